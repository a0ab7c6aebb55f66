#!/usr/bin/env python3
"""What bounds checking costs: the release build before and after `-Ounchecked` left the engine.

Until 2026-12 the Engine module was compiled with `-Ounchecked`, which removes Swift's array
bounds and overflow checks from the whole module, so an index bug anywhere in the engine would
read or write out of bounds instead of stopping. The Engine is now compiled with `-O`, checks on.
This script measures what that costs, side by side in one run:

  * before: the release binary of the last commit with `-Ounchecked` (BEFORE_COMMIT), built once
    into .build-before/ from `git archive` of that commit (override with --before PATH);
  * after: this tree's release binary, .build/release/convlens.

Figures (best median of --rounds alternating rounds, so load bursts hurt neither side more):
`convlens bench engine` (forward and forward+input gradient, SqueezeNet 1.1 and EfficientNet-Lite0),
`convlens bench occlusion` (frames/s of a 625-position map) and `convlens bench tsne` (Barnes-Hut
t-SNE of 2,000 x 50 seeded Gaussian points, 500 iterations). Ratio = after / before for times.

Usage: python3 bench/checked/run.py [--before PATH] [--rounds 2] [--iterations 20]
"""
import argparse
import json
import random
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import results  # noqa: E402

BEFORE_COMMIT = "2475644"
BEFORE_DIR = results.ROOT / ".build-before"
NETWORKS = [("squeezenet1_1", "SqueezeNet 1.1 227x227"), ("efficientnet_lite0", "EfficientNet-Lite0 224x224")]


def build_before() -> Path:
    """The release binary of BEFORE_COMMIT, built on first use (a full release build, minutes)."""
    binary = BEFORE_DIR / "src" / ".build" / "release" / "convlens"
    if binary.exists():
        return binary
    source = BEFORE_DIR / "src"
    source.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", BEFORE_COMMIT], cwd=results.ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    print(f"bench: building {BEFORE_COMMIT} (with -Ounchecked) in {source}", flush=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "convlens"], cwd=source, check=True)
    return binary


def run(binary: Path, *arguments: str) -> dict:
    command = [str(binary), *arguments]
    done = subprocess.run(command, capture_output=True, text=True, cwd=results.ROOT)
    if done.returncode != 0:
        sys.exit(f"bench: `{' '.join(command)}` failed with status {done.returncode}:\n{done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_points(path: Path, rows=2000, columns=50, clusters=10, seed=0) -> None:
    """A float32 .npy of `clusters` seeded Gaussian blobs (format: NumPy's NEP 1, version 1.0)."""
    generator = random.Random(seed)
    centres = [[generator.gauss(0, 4) for _ in range(columns)] for _ in range(clusters)]
    values = [centres[row % clusters][column] + generator.gauss(0, 1) for row in range(rows) for column in range(columns)]
    header = f"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    path.write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1")
                     + struct.pack(f"<{len(values)}f", *values))


def measure(binary: Path, iterations: int, points: Path) -> dict:
    engine = run(binary, "bench", "engine", "--json", "--iterations", str(iterations))
    occlusion = run(binary, "bench", "occlusion", "--json", "--image", str(results.ASSETS / "images" / "chelsea.png"),
                    "--window", "32", "--stride", "8", "--batch", "8", "--repetitions", "3")
    tsne = run(binary, "bench", "tsne", "--input", str(points), "--iterations", "500", "--seed", "0")
    return {"engine": engine, "occlusion_fps": occlusion["fps"], "tsne_s": tsne["seconds"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="release binary built with -Ounchecked (default: build it)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=20)
    args = parser.parse_args()
    after_binary = results.convlens_binary()
    before_binary = args.before or build_before()
    results.pin_threads()
    load_before = results.load_average()
    rounds = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as workdir:
        points = Path(workdir) / "points.npy"
        write_points(points)
        for index in range(max(1, args.rounds)):
            for side, binary in (("before", before_binary), ("after", after_binary)):
                rounds[side].append(measure(binary, args.iterations, points))
                print(f"round {index + 1} {side}: {json.dumps(rounds[side][-1])}", flush=True)

    def best(side, pick, larger_is_better=False):
        values = [pick(r) for r in rounds[side]]
        return max(values) if larger_is_better else min(values)

    rows = []
    for key, label in NETWORKS:
        for figure, name in (("forward_ms", "forward ms"), ("forward_grad_ms", "forward+grad ms")):
            before, after = best("before", lambda r: r["engine"][key][figure]), best("after", lambda r: r["engine"][key][figure])
            rows.append(f"| {label} | {name} | {before:.1f} | {after:.1f} | {after / before:.2f} |")
    before, after = best("before", lambda r: r["occlusion_fps"], True), best("after", lambda r: r["occlusion_fps"], True)
    rows.append(f"| occlusion, SqueezeNet, 625 positions | frames/s | {before:.1f} | {after:.1f} | {before / after:.2f} |")
    before, after = best("before", lambda r: r["tsne_s"]), best("after", lambda r: r["tsne_s"])
    rows.append(f"| Barnes-Hut t-SNE, 2,000 x 50, 500 iterations | s | {before:.2f} | {after:.2f} | {after / before:.2f} |")
    section = "\n".join([
        "## Bounds checks on: the engine before and after -Ounchecked (bench/checked/run.py)", "",
        f"Run {results.timestamp()}; load average (1/5/15 min) {load_before} before, {results.load_average()} after. "
        f"Before: release build of commit {BEFORE_COMMIT}, Engine compiled with `-Ounchecked`. After: this tree's "
        "release build, every module with `-O` (bounds and overflow checks on). Best median of "
        f"{len(rounds['after'])} alternating rounds per side. Ratio = after time / before time (for frames/s, "
        "before / after), so above 1.0 is the cost of the checks.", "",
        "| workload | figure | before (-Ounchecked) | after (checked) | ratio |", "| --- | --- | ---: | ---: | ---: |",
        *rows])
    results.replace_section("checked", section)
    print(section)


if __name__ == "__main__":
    main()
