"""A class on one server: JupyterHub with N students running a course notebook at the same time.

Starts JupyterHub with classroom/jupyterhub_config.py on loopback (DummyAuthenticator, one home folder
per student, free ports), creates the students, gets each a token from the hub's REST API, starts
their servers together, then runs one whole course notebook in every student's own ConvLens kernel
at once, through that student's server (REST session + kernel websocket, as JupyterLab does).
Records the slowest student's time and the peak of the summed RSS of hub, proxy, servers and
kernels (sampled every 0.25 s) in the `classroom` section of bench/RESULTS.md, checks that no
student can reach another's files, and that no process outlives the hub.

    .venv/bin/python bench/classroom/run.py [--students 10] [--notebook 002_upc_interpretability.ipynb]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "classroom"))
import results  # noqa: E402
from hub_driver import Classroom, in_parallel  # noqa: E402
from isolation_checks import isolation_problems, kernel_reaches  # noqa: E402

MIB = 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--notebook", default="002_upc_interpretability.ipynb",
                        help="a notebook of notebooks/ that every student runs")
    parser.add_argument("--kernel", default=os.environ.get("CONVLENS_KERNEL_NAME", "convlens"))
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing RESULTS.md")
    arguments = parser.parse_args()

    notebooks = results.ROOT / "notebooks"
    if not (notebooks / arguments.notebook).exists():
        sys.exit(f"bench: {notebooks / arguments.notebook} does not exist")
    names = [f"student{index:02d}" for index in range(1, arguments.students + 1)]
    load_before = results.load_average()
    when = results.timestamp()
    with tempfile.TemporaryDirectory(prefix="convlens-classroom-") as workdir:
        log = print
        room = Classroom(Path(workdir), notebooks, kernel_name=arguments.kernel)
        with room:
            room.add_students(names)
            begin = time.monotonic()
            started = in_parallel(room.start_server, names)
            start_seconds = time.monotonic() - begin
            failed = {name: result for name, result in started.items() if result is not None}
            if failed:
                sys.exit(f"bench: servers did not start: {failed}\n{room.hub_log()}")
            log(f"bench: {len(names)} servers ready in {start_seconds:.1f} s")
            after_start = room.sampler.sample()
            path = f"course/{arguments.notebook}"
            # One student alone first: the figure the class's times are compared with (it also warms the
            # page cache with the assets, as a teacher's own try-out before class would).
            solo = room.student(names[0]).run_notebook(path, arguments.kernel)
            if solo["errors"]:
                sys.exit(f"bench: {path} failed for one student alone: {solo['errors']}")
            log(f"bench: one student alone: {solo['seconds']:.1f} s")
            begin = time.monotonic()
            runs = in_parallel(lambda name: room.student(name).run_notebook(path, arguments.kernel), names)
            wall = time.monotonic() - begin
            broken = {name: run for name, run in runs.items() if not isinstance(run, dict) or run["errors"]}
            if broken:
                sys.exit(f"bench: notebooks failed: {broken}")
            problems = []
            for owner, other in zip(names, names[1:] + names[:1]):
                problems += isolation_problems(room, owner, other)
            # The shared account's known gap (docs/classroom.md): recorded, not counted as a failure.
            _, cell_reaches = kernel_reaches(room, names[0], names[-1], Path(workdir) / "homes" / names[0])
            sampler = room.sampler
        orphans = room.orphans
    seconds = sorted(run["seconds"] for run in runs.values())
    cells = runs[names[0]]["cells"]
    images = runs[names[0]]["images"]
    peak = sampler.peak_bytes
    roles = sampler.peak_by_role
    role_rows = "\n".join(f"| {role} | {count} | {size / MIB:.0f} | {size / MIB / count:.0f} |"
                          for role, (count, size) in sorted(roles.items()))
    kernel_count, kernel_bytes = roles.get("kernel", (0, 0))
    server_count, server_bytes = roles.get("server", (0, 0))
    per_student = (kernel_bytes / max(kernel_count, 1) + server_bytes / max(server_count, 1)) / MIB
    verdict_isolation = "none: every check refused" if not problems else "; ".join(problems)
    verdict_orphans = "none" if not orphans else "; ".join(orphans)
    section = f"""## A class on JupyterHub (bench/classroom/run.py)

Run {when}; load average (1/5/15 min) {load_before} before, {results.load_average()} after. JupyterHub
{results.installed_version('jupyterhub')} with classroom/jupyterhub_config.py on loopback (DummyAuthenticator,
SimpleLocalProcessSpawner, one BLAS thread per kernel), {len(names)} students, each with a token from the hub's REST
API and their own server; all servers started together, then every student ran `notebooks/{arguments.notebook}`
({cells} code cells, {images} pictures) at the same moment in their own ConvLens kernel, through their own server
(REST session, cells over the kernel websocket, the executed notebook saved back through the contents API).
One student ran it alone first, for comparison. Time per student = session start to the last cell's idle, kernel start-up included. Memory = the summed RSS of
the hub and every process under it (proxy, servers, kernels), sampled every 0.25 s.

| figure | value |
| --- | ---: |
| students | {len(names)} |
| servers started together, ready after | {start_seconds:.1f} s |
| one student alone (before the class) | {solo['seconds']:.1f} s |
| slowest student | {seconds[-1]:.1f} s ({seconds[-1] / solo['seconds']:.1f}x alone) |
| median student | {statistics.median(seconds):.1f} s |
| fastest student | {seconds[0]:.1f} s |
| all notebooks done (wall) | {wall:.1f} s |
| memory with every server up, no kernel | {after_start / MIB:.0f} MiB |
| peak memory, whole hub | {peak / MIB:.0f} MiB |
| largest single kernel | {sampler.peak_kernel_bytes / MIB:.0f} MiB |
| RAM per student at the peak (server + kernel) | {per_student:.0f} MiB |

At the peak, by process:

| process | count | MiB | MiB each |
| --- | ---: | ---: | ---: |
{role_rows}

Files reached across students (each student's token against the next student's file, through both servers):
{verdict_isolation}. A cell in one student's kernel naming another's file by its absolute path (`image(...)`):
{"read it (all kernels run as the one shared account: use Unix accounts for a class, docs/classroom.md)" if cell_reaches
 else "refused"}. Processes left after the hub stopped: {verdict_orphans}.
"""
    if arguments.no_write:
        print(section)
    else:
        results.replace_section("classroom", section)
    print(f"bench: slowest student {seconds[-1]:.1f} s, peak {peak / MIB:.0f} MiB")
    return 1 if problems or orphans else 0


if __name__ == "__main__":
    sys.exit(main())
