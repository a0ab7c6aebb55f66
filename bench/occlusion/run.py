#!/usr/bin/env python3
"""Occlusion benchmark: ConvLens vs PyTorch on SqueezeNet 1.1, in one run.

The loop of lecture 000, 1.10: a 227x227 image, a 32x32 square filled with the image's mean,
stride 8 -> 25 x 25 = 625 occluded copies, run through SqueezeNet 1.1 in batches, the softmax
probability of the clean image's top class kept per position. Both sides do exactly this:

  * PyTorch (eager, 2 threads, torch.no_grad, torchvision's squeezenet1_1 layout = the Caffe
    one ConvLens uses), from .venv-bench (created with a pinned torch from PyPI when missing,
    the same install step as bench/engine/run.py). Weights are random: they do not change
    the time.
  * ConvLens: `convlens bench occlusion --json` when the CLI has it; otherwise the engine's
    sources are compiled -Ounchecked with bench/occlusion/harness_main.swift. Both call
    `Occlusion.benchmarkOcclusion` on the real SqueezeNet weights and chelsea.

Frames per second = 625 / median seconds of one whole map (the clean pass included).
Results go to bench/RESULTS.md between <!-- occlusion --> markers.

Usage: python3 bench/occlusion/run.py [--batch 8] [--repetitions 3]
"""
import argparse
import json
import shutil
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_VENV = ROOT / ".venv-bench"
TORCH_PIN = "torch==2.15.0"
SIZE, WINDOW, STRIDE = 227, 32, 8
THREADS = "2"


def ensure_bench_venv():
    """Re-runs this script inside .venv-bench, creating it and installing torch if needed."""
    python = BENCH_VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == BENCH_VENV.resolve():
        return
    if not python.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(BENCH_VENV)])
    probe = subprocess.run([str(python), "-c", "import torch"], capture_output=True)
    if probe.returncode != 0:
        subprocess.check_call([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", TORCH_PIN])
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


def torch_squeezenet():
    import torch
    from torch import nn
    import torch.nn.functional as F

    class Fire(nn.Module):
        def __init__(self, inplanes, squeeze, expand):
            super().__init__()
            self.squeeze = nn.Conv2d(inplanes, squeeze, 1)
            self.expand1x1 = nn.Conv2d(squeeze, expand, 1)
            self.expand3x3 = nn.Conv2d(squeeze, expand, 3, padding=1)

        def forward(self, x):
            x = F.relu(self.squeeze(x))
            return torch.cat([F.relu(self.expand1x1(x)), F.relu(self.expand3x3(x))], 1)

    pool = lambda: nn.MaxPool2d(3, 2, ceil_mode=True)
    model = nn.Sequential(
        nn.Conv2d(3, 64, 3, stride=2), nn.ReLU(), pool(),
        Fire(64, 16, 64), Fire(128, 16, 64), pool(),
        Fire(128, 32, 128), Fire(256, 32, 128), pool(),
        Fire(256, 48, 192), Fire(384, 48, 192), Fire(384, 64, 256), Fire(512, 64, 256),
        nn.Conv2d(512, 1000, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    torch.manual_seed(0)
    return model.eval()


def torch_occlusion(model, x, batch):
    """The same loop as Occlusion.compute: clean pass, then batches of occluded copies."""
    import torch
    positions = [(y, x0) for y in range(0, SIZE - WINDOW + 1, STRIDE) for x0 in range(0, SIZE - WINDOW + 1, STRIDE)]
    with torch.no_grad():
        target = model(x).argmax(1).item()
        fill = x.mean(dim=(2, 3))[0].view(3, 1, 1)
        probabilities = []
        for start in range(0, len(positions), batch):
            chunk = positions[start:start + batch]
            copies = x.repeat(len(chunk), 1, 1, 1)
            for item, (y, x0) in enumerate(chunk):
                copies[item, :, y:y + WINDOW, x0:x0 + WINDOW] = fill
            probabilities.append(torch.softmax(model(copies), 1)[:, target])
        return torch.cat(probabilities), len(positions)


def time_torch(batch, repetitions):
    import torch
    torch.set_num_threads(int(THREADS))
    model = torch_squeezenet()
    x = torch.randn(1, 3, SIZE, SIZE) * 50
    with torch.no_grad():
        model(x.repeat(batch, 1, 1, 1))  # warm-up batch, as on the ConvLens side
    samples = []
    frames = 0
    for _ in range(repetitions):
        start = time.perf_counter()
        _, frames = torch_occlusion(model, x, batch)
        samples.append(time.perf_counter() - start)
    return frames, statistics.median(samples), torch.__version__


def convlens_command(workdir, batch, repetitions):
    """`convlens bench occlusion` when wired; else compile the harness with the engine sources."""
    image = str(ROOT / ".cache/assets/images/chelsea.png")
    for build in ("release", "debug"):
        binary = ROOT / ".build" / build / "convlens"
        if binary.exists():
            probe = subprocess.run([str(binary), "bench", "occlusion", "--help"], capture_output=True, text=True)
            if probe.returncode == 0 and "--stride" in probe.stdout:
                return ([str(binary), "bench", "occlusion", "--image", image, "--window", str(WINDOW), "--stride",
                         str(STRIDE), "--batch", str(batch), "--repetitions", str(repetitions), "--json"],
                        f"convlens bench occlusion ({build})")
    harness = os.path.join(workdir, "occlusion-harness")
    # Compile a snapshot: the tree may be edited while swiftc runs.
    snapshot = Path(workdir) / "Engine"
    shutil.copytree(ROOT / "Sources/Engine", snapshot)
    sources = sorted(str(path) for path in snapshot.rglob("*.swift"))
    main = os.path.join(workdir, "main.swift")  # top-level code must live in main.swift
    with open(ROOT / "bench/occlusion/harness_main.swift") as source, open(main, "w") as copy:
        copy.write(source.read())
    includes = []
    for module in ("COpenBLAS", "CPNG", "CJPEG"):
        includes += ["-I", str(ROOT / "Sources" / module)]
    subprocess.check_call(["swiftc", "-Ounchecked", "-wmo", "-swift-version", "5", "-module-name", "OcclusionHarness"]
                          + includes + sources + [main, "-o", harness])
    return ([harness, image, str(WINDOW), str(STRIDE), str(batch), str(repetitions)],
            "Sources/Engine compiled -Ounchecked -wmo with bench/occlusion/harness_main.swift")


def write_results(text):
    path = ROOT / "bench" / "RESULTS.md"
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    section = "<!-- occlusion -->\n" + text + "<!-- /occlusion -->\n"
    if "<!-- occlusion -->" in old and "<!-- /occlusion -->" in old:
        head, rest = old.split("<!-- occlusion -->", 1)
        tail = rest.split("<!-- /occlusion -->", 1)[1].lstrip("\n")
        new = head + section + tail
    else:
        new = old.rstrip("\n") + "\n\n" + section
    path.write_text(new)


if __name__ == "__main__":
    ensure_bench_venv()
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = THREADS
    workdir = tempfile.mkdtemp(prefix="occlusion-bench-")
    command, how = convlens_command(workdir, args.batch, args.repetitions)
    load_before = os.getloadavg()[0]
    ours = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip().splitlines()[-1])
    frames, torch_seconds, torch_version = time_torch(args.batch, args.repetitions)
    torch_fps = frames / torch_seconds
    ratio = ours["fps"] / torch_fps
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = (f"## Occlusion, SqueezeNet 1.1 (bench/occlusion/run.py)\n\n"
            f"{SIZE}x{SIZE} image, {WINDOW}x{WINDOW} square of the image mean, stride {STRIDE}: {frames} occluded "
            f"copies, batches of {args.batch}, median of {args.repetitions} whole maps (clean pass included), "
            f"{THREADS} threads. Run {when}, load average before the run {load_before:.2f} (other work shares the "
            f"machine; compare within one run). ConvLens via: {how}.\n\n"
            "| tool | seconds per map | occluded frames / s |\n| --- | ---: | ---: |\n"
            f"| ConvLens | {ours['seconds']:.3f} | {ours['fps']:.1f} |\n"
            f"| PyTorch {torch_version} (eager, no_grad) | {torch_seconds:.3f} | {torch_fps:.1f} |\n\n"
            f"Ratio ConvLens / PyTorch frames per second: {ratio:.2f} (goal > 1: {'met' if ratio > 1 else 'not met'}).\n")
    write_results(text)
    print(text)
