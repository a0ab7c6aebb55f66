#!/usr/bin/env python3
"""Patches benchmark: maximally activating patches over 2,000 images at SqueezeNet 1.1 fire9,
ConvLens beside the same loop in PyTorch, in one run, with the peak memory of each.

  * ConvLens: `convlens run` on a two-cell script: 2,000 images of the clip-art collection
    (`images("clipart", count: 2000, seed: 0, side: 128)`, decoded and kept at 128 px), then
    `patches(net, x, "fire9", channels: 6)`: one streaming pass, batches of 8, a top-9 heap per
    channel. Timed twice as whole processes, once without the patches cell, so the patches time
    is the difference (loading the network and decoding the PNGs are left out of it).
  * PyTorch (eager, 2 threads, no_grad, the same pretrained SqueezeNet 1.1 via
    bench/engine/torch_models.py): 2,000 seeded random 227x227 inputs made a batch of 8 at a time,
    forward to fire9, the best position per image and channel, a top-9 heap per channel (heapq).
    The time of a forward pass does not depend on the pixels, so random inputs time the same loop.

Peak memory is each process's maximum resident set (os.wait4's ru_maxrss for ConvLens; the
PyTorch side measures itself in a child process). Results go to the patches section of
bench/RESULTS.md.

Usage: python3 bench/patches/run.py [--images 2000] [--batch 8]
"""
import argparse
import heapq
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
import results  # noqa: E402

CHANNELS, TOP, SIZE = 6, 9, 227


def run_convlens_script(cells, workdir):
    """Runs `convlens run` on the cells; returns (wall seconds, peak RSS in MB)."""
    script = Path(workdir) / "bench.cvl"
    script.write_text("\n# %%\n".join(cells) + "\n")
    start = time.perf_counter()
    process = subprocess.Popen([str(results.convlens_binary()), "run", str(script), "--out", str(Path(workdir) / "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=results.ROOT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"bench: convlens run failed:\n{output.decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def torch_patches(count, batch):
    """The PyTorch loop; prints seconds, peak MB and the top values of channel 0."""
    import resource
    import torch
    import torch.nn.functional as F
    import torch_models
    torch.set_num_threads(results.THREADS)
    model, weights = torch_models.build("squeezenet1_1", results.ASSETS)

    def fire9(x):
        pool = lambda t: F.max_pool2d(t, 3, 2, ceil_mode=True)
        x = pool(F.relu(model.conv1(x)))
        x = pool(model.fires[1](model.fires[0](x)))
        x = pool(model.fires[3](model.fires[2](x)))
        for fire in model.fires[4:]:
            x = fire(x)
        return x

    generator = torch.Generator().manual_seed(0)
    heaps = [[] for _ in range(CHANNELS)]
    with torch.no_grad():
        fire9(torch.randn(batch, 3, SIZE, SIZE, generator=generator))  # warm-up, as ConvLens loads first
        start = time.perf_counter()
        for first in range(0, count, batch):
            n = min(batch, count - first)
            activation = fire9(torch.randn(n, 3, SIZE, SIZE, generator=generator) * 50)[:, :CHANNELS]
            best, where = activation.flatten(2).max(2)   # the best unit per image and channel
            for item in range(n):
                for channel in range(CHANNELS):
                    entry = (float(best[item, channel]), -(first + item), int(where[item, channel]))
                    if len(heaps[channel]) < TOP:
                        heapq.heappush(heaps[channel], entry)
                    elif entry > heaps[channel][0]:
                        heapq.heapreplace(heaps[channel], entry)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds} {peak} {torch.__version__} {weights}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--torch-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_child:
        torch_patches(args.images, args.batch)
        return
    results.convlens_binary()
    results.ensure_bench_venv(__file__)
    results.pin_threads()
    load_before = results.load_average()
    load = f'net = model("squeezenet")\nx = images("clipart", count: {args.images}, seed: 0, side: 128)\nprint(len(x))'
    with tempfile.TemporaryDirectory() as workdir:
        load_seconds, load_peak = run_convlens_script([load], workdir)
        both_seconds, both_peak = run_convlens_script([load, 'patches(net, x, "fire9", channels: 6)'], workdir)
    ours = max(both_seconds - load_seconds, 1e-9)
    child = subprocess.run([sys.executable, __file__, "--torch-child", "--images", str(args.images), "--batch", str(args.batch)],
                           capture_output=True, text=True, check=True)
    torch_seconds, torch_peak, torch_version, weights = child.stdout.split()[:4]
    torch_seconds, torch_peak = float(torch_seconds), float(torch_peak)
    ratio = torch_seconds / ours
    text = (f"## Patches over {args.images} images, SqueezeNet 1.1 fire9 (bench/patches/run.py)\n\n"
            f"Top {TOP} patches of channels 0-{CHANNELS - 1} at fire9 over {args.images} images, batches of {args.batch}, "
            f"{results.THREADS} threads. ConvLens: the clip-art collection (128 px, resized to {SIZE} by the network), "
            "`convlens run`, patches time = whole run minus a run that only loads the network and images. PyTorch: "
            f"the same loop on seeded random {SIZE}x{SIZE} inputs (eager, no_grad, {weights}). Run {results.timestamp()}, "
            f"load average {load_before} before, {results.load_average()} after.\n\n"
            "| tool | patches seconds | images / s | peak RSS (MB) |\n| --- | ---: | ---: | ---: |\n"
            f"| ConvLens (load only: {load_seconds:.1f} s, {load_peak:.0f} MB) | {ours:.1f} | {args.images / ours:.1f} | {both_peak:.0f} |\n"
            f"| PyTorch {torch_version} | {torch_seconds:.1f} | {args.images / torch_seconds:.1f} | {torch_peak:.0f} |\n\n"
            f"Ratio PyTorch / ConvLens seconds: {ratio:.2f} (above 1: ConvLens faster). ConvLens's peak includes the "
            f"{args.images} decoded images it holds as a list ({load_peak:.0f} MB without the search); the search adds "
            f"{both_peak - load_peak:.0f} MB (one batch of activations and the heaps).\n")
    results.replace_section("patches", text)
    print(text)


if __name__ == "__main__":
    main()
