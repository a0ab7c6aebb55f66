#!/usr/bin/env python3
"""Engine benchmark: ConvLens vs PyTorch CPU on SqueezeNet 1.1, EfficientNet-Lite0 and MobileNetV2, and peak memory.

Latency (section `engine`): batch 1, the median latency of a forward pass and of a forward pass
plus the gradient of the top logit with respect to the input image, for

  * ConvLens: `convlens bench engine --json`, which times the pretrained networks as `model()`
    loads them (ModelZoo); it stops with what to install when the weight files are missing;
  * PyTorch (eager, 2 threads, parameters frozen so only the input gradient is computed), with
    the same pretrained weights read from the same files (bench/engine/torch_models.py), from
    .venv-bench (created with pinned packages by bench/results.py).

Both run in the same invocation, alternating for --rounds rounds; each figure keeps the best
median of its rounds, so a burst of load from other work on the machine hurts neither side
more than the other. Ratio = ours / PyTorch; <= 1.0 means at least as fast; the goal is 0.8.

Memory (section `memory`): `convlens bench memory` loads all the networks, runs a forward and an
input gradient through each on chelsea, and reports its peak RSS (VmHWM; see MemoryBench); the
same is measured for PyTorch in a fresh process for context. Goal: ConvLens < 400 MB.

Usage: python3 bench/engine/run.py [--iterations 20] [--rounds 2] [--skip-torch]
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

NETWORKS = [("squeezenet1_1", "SqueezeNet 1.1", 227), ("efficientnet_lite0", "EfficientNet-Lite0", 224),
            ("mobilenet_v2", "MobileNetV2", 224)]
FIGURES = [("forward_ms", "forward"), ("forward_grad_ms", "forward+grad")]
MEMORY_GOAL_MB = 400
# Issue 12: forward and forward+input-gradient at most 0.8x PyTorch eager on every network.
RATIO_GOAL = 0.8


def median_ms(body, iterations, warmup=3):
    for _ in range(warmup):
        body()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        body()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def time_torch(iterations):
    import torch
    import torch_models
    torch.set_num_threads(results.THREADS)
    generator = torch.Generator().manual_seed(0)
    report = {}
    for key, _, size in NETWORKS:
        model, weights = torch_models.build(key, results.ASSETS)
        image = torch.rand(1, 3, size, size, generator=generator) * 2 - 1

        def forward():
            with torch.no_grad():
                model(image)

        def forward_grad():
            x = image.clone().requires_grad_(True)
            logits = model(x)
            logits[0, int(logits.argmax())].backward()

        report[key] = {"forward_ms": median_ms(forward, iterations),
                       "forward_grad_ms": median_ms(forward_grad, iterations), "weights": weights}
    return report


def best_of(rounds, key, figure):
    values = [r.get(key, {}).get(figure) for r in rounds if r]
    values = [v for v in values if v is not None]
    return min(values) if values else None


def torch_peak_memory():
    """Peak RSS (MB, VmHWM) of a fresh Python process that loads every network and runs each forward+grad."""
    here = Path(__file__).resolve().parent
    script = (
        "import sys, json, torch\n"
        f"sys.path.insert(0, {str(here)!r})\n"
        "import torch_models\n"
        f"torch.set_num_threads({results.THREADS})\n"
        "from pathlib import Path\n"
        f"models = [torch_models.build(k, Path({str(results.ASSETS)!r}))[0] for k in {[k for k, _, _ in NETWORKS]!r}]\n"
        f"for model, size in zip(models, {[size for _, _, size in NETWORKS]!r}):\n"
        "    x = torch.rand(1, 3, size, size, requires_grad=True)\n"
        "    logits = model(x)\n"
        "    logits[0, int(logits.argmax())].backward()\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
        "print(json.dumps({'peak_rss_mb': int(hwm) / 1024}))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if run.returncode != 0:
        return None
    return json.loads(run.stdout.strip().splitlines()[-1])["peak_rss_mb"]


def engine_section(ours_rounds, torch_rounds, iterations, load_before):
    ours_weights = next((r.get("weights") for r in ours_rounds if r), "?")
    torch_weights = {r[k]["weights"] for r in torch_rounds if r for k, _, _ in NETWORKS}
    torch_note = (f"PyTorch {results.installed_version('torch')}, eager, {results.THREADS} threads, "
                  f"{'/'.join(sorted(torch_weights)) or 'not run'} weights")
    lines = [
        "## Engine latency, batch 1 (bench/engine/run.py)", "",
        f"Run {results.timestamp()}; load average (1/5/15 min) {load_before} before, {results.load_average()} after. "
        f"Median of {iterations} runs after 3 warm-ups, best median of {len(ours_rounds)} alternating rounds per side. "
        f"ConvLens: `convlens bench engine`, {ours_weights} weights, release build. {torch_note}. "
        "Both sides get a seeded uniform random input in [-1, 1]; forward+grad = forward plus the gradient of "
        "the top logit with respect to the input image.", "",
        "| network | figure | ConvLens ms | PyTorch ms | ratio |", "| --- | --- | ---: | ---: | ---: |"]
    worst = 0.0
    for key, label, size in NETWORKS:
        for figure, name in FIGURES:
            mine, theirs = best_of(ours_rounds, key, figure), best_of(torch_rounds, key, figure)
            ratio = mine / theirs if mine and theirs else None
            worst = max(worst, ratio or 0)
            cell = lambda value: f"{value:.1f}" if value else "n/a"
            lines.append(f"| {label} {size}x{size} | {name} | {cell(mine)} | {cell(theirs)} | "
                         f"{f'{ratio:.2f}' if ratio else 'n/a'} |")
    if torch_rounds and any(torch_rounds):
        lines += ["", f"Goal (issue 12): every ratio <= {RATIO_GOAL} -> {'met' if worst <= RATIO_GOAL else 'NOT met'} (worst {worst:.2f})."]
    return "\n".join(lines)


def memory_section(ours, torch_mb):
    rows = [f"| ConvLens (`convlens bench memory`) | {ours['after_load_mb']:.0f} | {ours['peak_rss_mb']:.0f} |"]
    if torch_mb is not None:
        rows.append(f"| PyTorch {results.installed_version('torch')} (python, same steps) | n/a | {torch_mb:.0f} |")
    verdict = "met" if ours["peak_rss_mb"] < MEMORY_GOAL_MB else "NOT met"
    return "\n".join([
        "## Peak memory, the ImageNet networks (bench/engine/run.py)", "",
        f"Run {results.timestamp()}; load average {results.load_average()}. One fresh process loads SqueezeNet 1.1, "
        f"EfficientNet-Lite0 and MobileNetV2 (all kept loaded), then runs a forward pass and an input gradient through each "
        f"(ConvLens on `{ours.get('input', '?')}`, PyTorch on random input). Peak RSS = VmHWM of the process's own "
        "address space (getrusage's ru_maxrss would include this script's own peak, which Linux carries over "
        f"fork and exec; ConvLens's ru_maxrss here: {ours.get('ru_maxrss_mb', 0):.0f} MB).", "",
        "| process | peak RSS after loading, MB | peak RSS after forward+grad, MB |", "| --- | ---: | ---: |",
        *rows, "",
        f"Goal: ConvLens peak under {MEMORY_GOAL_MB} MB -> {verdict} ({ours['peak_rss_mb']:.0f} MB)."])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-torch", action="store_true")
    args = parser.parse_args()
    results.convlens_binary()
    if not args.skip_torch:
        results.ensure_bench_venv(__file__)
    results.pin_threads()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    load_before = results.load_average()
    ours_rounds, torch_rounds = [], []
    for round_index in range(max(1, args.rounds)):
        ours_rounds.append(results.run_convlens("bench", "engine", "--json", "--iterations", str(args.iterations)))
        print(f"round {round_index + 1} ConvLens: {json.dumps(ours_rounds[-1])}", flush=True)
        if not args.skip_torch:
            torch_rounds.append(time_torch(args.iterations))
            print(f"round {round_index + 1} PyTorch:  {json.dumps(torch_rounds[-1])}", flush=True)
    section = engine_section(ours_rounds, torch_rounds, args.iterations, load_before)
    results.replace_section("engine", section)
    print(section)

    memory = results.run_convlens("bench", "memory")
    section = memory_section(memory, None if args.skip_torch else torch_peak_memory())
    results.replace_section("memory", section)
    print(section)


if __name__ == "__main__":
    main()
