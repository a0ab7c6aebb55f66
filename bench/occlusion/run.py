#!/usr/bin/env python3
"""Occlusion benchmark: ConvLens vs PyTorch on SqueezeNet 1.1, in one run.

The loop of lecture 000, 1.10: a 227x227 image, a 32x32 square filled with the image's mean,
stride 8 -> 25 x 25 = 625 occluded copies, run through SqueezeNet 1.1 in batches, the softmax
probability of the clean image's top class kept per position. Both sides do exactly this:

  * PyTorch (eager, 2 threads, torch.no_grad, torchvision's squeezenet1_1 layout = the Caffe
    one ConvLens uses, the same pretrained weights via bench/engine/torch_models.py), from
    .venv-bench (created with pinned packages by bench/results.py).
  * ConvLens: `convlens bench occlusion --json`, which times whole `Occlusion.compute` calls
    (what `occlusion()` runs) on the real SqueezeNet weights and chelsea.

Frames per second = 625 / median seconds of one whole map (the clean pass included).
Results go to the occlusion section of bench/RESULTS.md.

Usage: python3 bench/occlusion/run.py [--batch 8] [--repetitions 3]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
import results  # noqa: E402

SIZE, WINDOW, STRIDE = 227, 32, 8


def torch_squeezenet():
    """PyTorch's SqueezeNet 1.1 with the same pretrained weights as ConvLens (bench/engine/torch_models.py)."""
    import torch_models
    return torch_models.build("squeezenet1_1", results.ASSETS)


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
    torch.set_num_threads(results.THREADS)
    model, weights = torch_squeezenet()
    x = torch.randn(1, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(0)) * 50
    with torch.no_grad():
        model(x.repeat(batch, 1, 1, 1))  # warm-up batch, as on the ConvLens side
    samples = []
    frames = 0
    for _ in range(repetitions):
        start = time.perf_counter()
        _, frames = torch_occlusion(model, x, batch)
        samples.append(time.perf_counter() - start)
    return frames, statistics.median(samples), torch.__version__, weights


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    results.convlens_binary()
    results.ensure_bench_venv(__file__)
    results.pin_threads()
    image = results.ASSETS / "images" / "chelsea.png"
    if not image.exists():
        sys.exit(f"bench: {image} is missing: run make setup (it fetches the sample photos)")
    load_before = results.load_average()
    ours = results.run_convlens("bench", "occlusion", "--image", str(image), "--window", str(WINDOW),
                                "--stride", str(STRIDE), "--batch", str(args.batch),
                                "--repetitions", str(args.repetitions), "--json")
    frames, torch_seconds, torch_version, weights = time_torch(args.batch, args.repetitions)
    torch_fps = frames / torch_seconds
    ratio = ours["fps"] / torch_fps
    text = (f"## Occlusion, SqueezeNet 1.1 (bench/occlusion/run.py)\n\n"
            f"{SIZE}x{SIZE} image, {WINDOW}x{WINDOW} square of the image mean, stride {STRIDE}: {frames} occluded "
            f"copies, batches of {args.batch}, median of {args.repetitions} whole maps (clean pass included), "
            f"{results.THREADS} threads, pretrained SqueezeNet weights on ConvLens's side and {weights} on "
            f"PyTorch's (the same file). Run {results.timestamp()}, load average (1/5/15 min) {load_before} before, "
            f"{results.load_average()} after (other work shares the machine; compare within one run). "
            "ConvLens via: `convlens bench occlusion` on chelsea, release build; PyTorch on a seeded random "
            "image (the time does not depend on the pixels).\n\n"
            "| tool | seconds per map | occluded frames / s |\n| --- | ---: | ---: |\n"
            f"| ConvLens | {ours['seconds']:.3f} | {ours['fps']:.1f} |\n"
            f"| PyTorch {torch_version} (eager, no_grad) | {torch_seconds:.3f} | {torch_fps:.1f} |\n\n"
            f"Ratio ConvLens / PyTorch frames per second: {ratio:.2f} (goal > 1: {'met' if ratio > 1 else 'NOT met'}).\n")
    results.replace_section("occlusion", text)
    print(text)


if __name__ == "__main__":
    main()
