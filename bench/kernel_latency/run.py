"""Kernel latency benchmark: ConvLens against ipykernel, measured in one run.

Round trip: a client sends execute_request and waits until it holds both the
execute_reply (shell) and the idle status (iopub) for that request, over raw
pyzmq sockets so that client-side threads add nothing. Startup: from launching
the kernel process to its first kernel_info_reply. Medians are reported.

ConvLens runs from the release build (.build/release/convlens) through a private kernelspec
in a temporary JUPYTER_PATH entry, so the figure is that of the release binary whatever
kernelspec `make setup` installed.

Also writes the `cell` section: the median time the language takes to parse and evaluate a
trivial cell (`convlens bench cell`, no protocol around it; issue 3's goal is < 0.1 ms).

Writes the kernel_latency and cell sections of bench/RESULTS.md.
Usage: .venv/bin/python bench/kernel_latency/run.py [--executes 300] [--startups 7]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import results  # noqa: E402

import zmq  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

BENCH_KERNEL = "convlens-bench-release"
KERNELS = [("ConvLens", BENCH_KERNEL, "1 + 2"), ("ipykernel", "python3", "1 + 2")]
CELL_GOAL_MS = 0.1


def install_release_kernelspec() -> None:
    """Puts a kernelspec for the release binary first on JUPYTER_PATH, for this process only."""
    directory = Path(tempfile.mkdtemp(prefix="convlens-bench-jupyter-"))
    spec = directory / "kernels" / BENCH_KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(results.convlens_binary()), "kernel", "-f", "{connection_file}"],
        "display_name": "ConvLens (bench, release)", "language": "convlens", "interrupt_mode": "signal",
        "env": {"CONVLENS_ASSETS": str(results.ASSETS)}}))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(directory), os.environ.get("JUPYTER_PATH")]))


def wait_ready(km: KernelManager, timeout: float = 60) -> None:
    """Sends kernel_info_request until one is answered; the kernel is then serving."""
    socket = km.connect_shell()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            km.session.send(socket, "kernel_info_request", {})
            if socket.poll(50):
                km.session.recv(socket)
                return
        raise TimeoutError(f"{km.kernel_name} did not answer kernel_info within {timeout} s")
    finally:
        socket.close(linger=0)


def measure_startup(kernel_name: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        km = KernelManager(kernel_name=kernel_name)
        started = time.perf_counter()
        km.start_kernel()
        wait_ready(km)
        times.append(time.perf_counter() - started)
        km.shutdown_kernel(now=True)
    return times


def measure_round_trips(kernel_name: str, code: str, count: int, warmup: int = 30) -> list[float]:
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    try:
        wait_ready(km)
        shell = km.connect_shell()
        iopub = km.connect_iopub()
        time.sleep(0.5)  # let the iopub subscription settle
        while iopub.poll(100):
            iopub.recv_multipart()
        session = km.session
        times = []
        for index in range(warmup + count):
            started = time.perf_counter()
            sent = session.send(shell, "execute_request",
                                {"code": code, "silent": False, "store_history": True,
                                 "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
            msg_id = sent["header"]["msg_id"]
            replied = idle = False
            while not (replied and idle):
                ready = dict(zmq.Poller.poll(_poller(shell, iopub), 10000))
                if not ready:
                    raise TimeoutError(f"{kernel_name}: no reply within 10 s")
                if shell in ready:
                    _, reply = session.recv(shell)
                    replied = replied or reply["parent_header"].get("msg_id") == msg_id
                if iopub in ready:
                    _, message = session.recv(iopub)
                    idle = idle or (message["parent_header"].get("msg_id") == msg_id
                                    and message["msg_type"] == "status"
                                    and message["content"]["execution_state"] == "idle")
            if index >= warmup:
                times.append(time.perf_counter() - started)
        shell.close(linger=0)
        iopub.close(linger=0)
        return times
    finally:
        km.shutdown_kernel(now=True)


_pollers: dict[tuple[int, int], zmq.Poller] = {}


def _poller(shell, iopub) -> zmq.Poller:
    key = (id(shell), id(iopub))
    if key not in _pollers:
        poller = zmq.Poller()
        poller.register(shell, zmq.POLLIN)
        poller.register(iopub, zmq.POLLIN)
        _pollers[key] = poller
    return _pollers[key]


def cell_section() -> str:
    report = results.run_convlens("bench", "cell")
    median = report["median_ms"]
    cell = report["cell"].replace("\n", "; ")
    verdict = "met" if median < CELL_GOAL_MS else "NOT met"
    return (
        "## Trivial cell, parse and evaluate (bench/kernel_latency/run.py)\n\n"
        f"Run {results.timestamp()}; load average (1/5/15 min) {results.load_average()}. "
        f"`convlens bench cell`, release build: median over {report.get('iterations', '?')} executions of "
        f"`{cell}` in one warm session (the language alone, no protocol around it).\n\n"
        "| cell | median (ms) |\n| --- | ---: |\n"
        f"| `{cell}` | {median:.4f} |\n\n"
        f"Goal: under {CELL_GOAL_MS} ms -> {verdict}.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executes", type=int, default=300)
    parser.add_argument("--startups", type=int, default=7)
    args = parser.parse_args()
    install_release_kernelspec()
    load_before = results.load_average()

    rows = {}
    for label, kernel_name, code in KERNELS:
        startup = statistics.median(measure_startup(kernel_name, args.startups))
        trips = measure_round_trips(kernel_name, code, args.executes)
        rows[label] = (statistics.median(trips), startup)
        print(f"{label:10s} round trip {rows[label][0] * 1e3:7.3f} ms   startup {startup:6.3f} s")

    convlens, ipy = rows["ConvLens"], rows["ipykernel"]
    trip_ratio, start_ratio = convlens[0] / ipy[0], convlens[1] / ipy[1]
    verdict = lambda ok: "met" if ok else "NOT met"
    text = (
        "## Kernel latency (bench/kernel_latency/run.py)\n\n"
        f"Measured {results.timestamp()} on {platform.machine()}, load average (1/5/15 min) {load_before} "
        f"before, {results.load_average()} after; ConvLens release build. "
        f"{args.executes} executes of `1 + 2` after warm-up, {args.startups} start-ups, medians.\n"
        "Round trip = send execute_request until both execute_reply and idle arrived; "
        "startup = process launch until the first kernel_info_reply.\n\n"
        "| kernel | round trip (ms) | startup (s) |\n|---|---:|---:|\n"
        f"| ConvLens | {convlens[0] * 1e3:.3f} | {convlens[1]:.3f} |\n"
        f"| ipykernel | {ipy[0] * 1e3:.3f} | {ipy[1]:.3f} |\n\n"
        f"Ratios: round trip {trip_ratio:.2f} of ipykernel (goal <= 0.33: {verdict(trip_ratio <= 1 / 3)}), "
        f"startup {start_ratio:.2f} (goal <= 0.50: {verdict(start_ratio <= 0.5)}).\n"
    )
    results.replace_section("kernel_latency", text)
    print(text)
    text = cell_section()
    results.replace_section("cell", text)
    print(text)


if __name__ == "__main__":
    main()
