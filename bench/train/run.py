#!/usr/bin/env python3
"""Training benchmark: ConvNetJS's MNIST network trained in ConvLens and in PyTorch, side by side.

Both sides train conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10 (softmax
cross-entropy) on the 60,000 MNIST training digits, batch 20, SGD with momentum 0.9 and rate
0.01, no weight decay, a seeded shuffle each epoch; every 10,000 examples they measure the
accuracy on the full 10,000-digit test set, outside the training time. Each stops at the first
evaluation at or above 98% or when the training time passes --seconds.

  * ConvLens: `convlens bench train` (Sources/convlens/BenchTrain.swift): `Trainer.train` on a
    `convnet`, what `train()` runs in a cell, without the dashboard.
  * PyTorch: bench/train/torch_mnist.py, the same network and loop, 2 threads (torch pinned in
    bench/results.py, run inside .venv-bench).

Reports examples per second (training time only) and the training seconds to 98% for each, in
the "train" section of bench/RESULTS.md. Goals (issue 8): ConvLens examples/s at least PyTorch's;
ConvLens at 98% within 60 s.

Usage: python3 bench/train/run.py [--seconds 120] [--target 0.98] [--evaluate-every 10000]
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import results  # noqa: E402

SETTINGS = ["--rate", "0.01", "--momentum", "0.9", "--batch", "20"]


def run_torch(args):
    script = Path(__file__).resolve().parent / "torch_mnist.py"
    command = [sys.executable, str(script), *SETTINGS, "--seconds", str(args.seconds), "--target", str(args.target),
               "--evaluate-every", str(args.evaluate_every), "--seed", str(args.seed), "--threads", str(results.THREADS)]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"bench: torch_mnist.py failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def run_convlens(args):
    return results.run_convlens("bench", "train", *SETTINGS, "--seconds", str(args.seconds), "--target", str(args.target),
                                "--evaluate-every", str(args.evaluate_every), "--seed", str(args.seed))


def reached(side, target):
    seconds = side.get("seconds_to_target")
    return f"{seconds:.1f}" if seconds is not None else f"not within {side['training_seconds']:.0f} s"


def curve_text(side):
    return ", ".join(f"{examples // 1000}k: {accuracy * 100:.2f}% at {seconds:.1f} s" for examples, seconds, accuracy in side["curve"])


def section(ours, theirs, args, load_before):
    import torch
    target = f"{args.target * 100:g}%"
    lines = [
        "## Training ConvNetJS's MNIST network (bench/train/run.py)", "",
        f"Run {results.timestamp()}; load average (1/5/15 min) {load_before} before, {results.load_average()} after. "
        "conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10, softmax cross-entropy; 60,000 training digits, "
        "batch 20, SGD with momentum 0.9, rate 0.01, no weight decay, seeded shuffles; test accuracy on all 10,000 test "
        f"digits every {args.evaluate_every:,} examples, not counted in the training time; each side stops at {target} "
        f"or after {args.seconds:g} s of training. ConvLens: `convlens bench train` (release build, `Trainer.train`, "
        f"what train() runs). PyTorch {torch.__version__}: bench/train/torch_mnist.py, {results.THREADS} threads.", "",
        f"| tool | examples/s | training s to {target} | examples trained | final test accuracy |",
        "| --- | ---: | ---: | ---: | ---: |"]
    for name, side in (("ConvLens", ours), ("PyTorch", theirs)):
        lines.append(f"| {name} | {side['examples_per_second']:.0f} | {reached(side, args.target)} | {side['examples']:,} | "
                     f"{side['final_accuracy'] * 100:.2f}% |")
    lines += ["", f"ConvLens: forward {ours['forward_ms_per_example']:.3f} ms, backward and step "
                  f"{ours['backward_ms_per_example']:.3f} ms per example.",
              "", f"Test accuracy by examples seen: ConvLens {curve_text(ours)}.", "",
              f"PyTorch {curve_text(theirs)}.", ""]
    speed = ours["examples_per_second"] / theirs["examples_per_second"]
    in_time = ours.get("seconds_to_target") is not None and ours["seconds_to_target"] <= 60
    lines.append(f"Goals: examples/s at least PyTorch's -> {'met' if speed >= 1 else 'NOT met'} (ratio {speed:.2f}); "
                 f"{target} within 60 s of training -> {'met' if in_time else 'NOT met'}.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--target", type=float, default=0.98)
    parser.add_argument("--evaluate-every", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    results.convlens_binary()
    results.ensure_bench_venv(__file__)
    results.pin_threads()
    load_before = results.load_average()
    ours = run_convlens(args)
    print(f"ConvLens: {ours['examples_per_second']:.0f} examples/s, {args.target:.0%} at {reached(ours, args.target)}", flush=True)
    theirs = run_torch(args)
    print(f"PyTorch: {theirs['examples_per_second']:.0f} examples/s, {args.target:.0%} at {reached(theirs, args.target)}", flush=True)
    text = section(ours, theirs, args, load_before)
    results.replace_section("train", text)
    print(text)


if __name__ == "__main__":
    main()
