"""A class on JupyterHub: classroom/jupyterhub_config.py with three students on loopback.

Each student gets a token from the hub's REST API, their own server, the course notebook in their
own home, and runs it in their own ConvLens kernel through their server at the same time as the
others; no student can reach another's files; every process is gone afterwards. bench/classroom
runs the same with ten students and a whole course notebook and records time and memory.
"""
import importlib.util
import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "classroom"))
from course_copy import LEDGER, copy_course  # noqa: E402

KERNEL_NAME = os.environ.get("CONVLENS_KERNEL_NAME", "convlens")
STUDENTS = ["ada", "grace", "linus"]
# The first cells of a course notebook: a classification table, then two filter pictures.
SOURCE_NOTEBOOK = ROOT / "notebooks" / "002_upc_interpretability.ipynb"
CELLS = 3


def test_course_copy_hands_out_once_and_never_overwrites(tmp_path):
    course, home = tmp_path / "course", tmp_path / "home"
    course.mkdir()
    (course / "a.ipynb").write_text('{"a": 1}')
    (course / "b.ipynb").write_text('{"b": 1}')
    target = home / "course"
    assert copy_course(course, target) == ["a.ipynb", "b.ipynb"]
    assert (target / "a.ipynb").read_text() == '{"a": 1}'
    (target / "a.ipynb").write_text('{"a": "edited by the student"}')
    (target / "b.ipynb").unlink()
    (course / "a.ipynb").write_text('{"a": 2}')  # the teacher revises a notebook
    (course / "c.ipynb").write_text('{"c": 1}')  # and adds one
    assert copy_course(course, target) == ["c.ipynb"]
    assert (target / "a.ipynb").read_text() == '{"a": "edited by the student"}'
    assert not (target / "b.ipynb").exists(), "a notebook the student deleted came back"
    assert json.loads((target / LEDGER).read_text()) == ["a.ipynb", "b.ipynb", "c.ipynb"]
    assert sorted(p.name for p in target.iterdir() if p.name.startswith(".") and p.name != LEDGER) == []
    with pytest.raises(FileNotFoundError, match="CONVLENS_CLASS_NOTEBOOKS"):
        copy_course(tmp_path / "missing", target)


def _requirements():
    if importlib.util.find_spec("jupyterhub") is None:
        pytest.skip("jupyterhub is not installed in this Python: pip install -r requirements.txt (make setup)")
    if shutil.which("configurable-http-proxy") is None:
        pytest.skip("configurable-http-proxy is missing: apt-get install node-configurable-http-proxy (make setup)")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        pytest.skip(f"kernelspec {KERNEL_NAME} is not installed in {sys.prefix}: make setup")


def test_three_students_run_a_course_notebook_at_once(tmp_path):
    _requirements()
    from hub_driver import Classroom, in_parallel
    from isolation_checks import isolation_problems, kernel_reaches

    course = tmp_path / "course-notebooks"
    course.mkdir()
    notebook = json.loads(SOURCE_NOTEBOOK.read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"][:CELLS]
    notebook["cells"] = code
    (course / "first-cells.ipynb").write_text(json.dumps(notebook))

    started = time.monotonic()
    with Classroom(tmp_path / "hub", course, kernel_name=KERNEL_NAME) as room:
        room.add_students(STUDENTS)
        assert len(set(room.tokens.values())) == len(STUDENTS)
        started_servers = in_parallel(room.start_server, STUDENTS)
        assert all(result is None for result in started_servers.values()), (started_servers, room.hub_log())
        for name in STUDENTS:
            listing = room.student(name).get_json("contents/course")
            assert [entry["name"] for entry in listing["content"]] == ["first-cells.ipynb"]

        runs = in_parallel(lambda name: room.student(name).run_notebook("course/first-cells.ipynb", KERNEL_NAME),
                           STUDENTS)
        for name, run in runs.items():
            assert isinstance(run, dict), f"{name}: {run!r}\n{room.hub_log()}"
            assert run["errors"] == [], f"{name}: {run['errors']}"
            assert run["cells"] == CELLS
            assert run["images"] >= 2, f"{name} got {run['images']} pictures from two filters cells"
            saved = room.student(name).get_json("contents/course/first-cells.ipynb")["content"]
            table = json.dumps(saved["cells"][0]["outputs"])
            assert "tabby" in table, "the classification of chelsea lost its top class"
            # Each kernel ran as its student: its history went to that student's home, not a shared one.
            history = tmp_path / "hub" / "homes" / name / ".local/share/jupyter/convlens/history.jsonl"
            assert history.exists(), f"{name}'s kernel kept no history in {history.parent}"
            assert "classify(net, cat, top: 3)" in history.read_text()

        assert isolation_problems(room, "ada", "grace") == []
        assert isolation_problems(room, "grace", "linus") == []
        assert isolation_problems(room, "linus", "ada") == []
        # What the shared account does not isolate, as docs/classroom.md says: a cell that names another
        # student's file by its absolute path reads it (the kernels all run as the hub's account).
        assert kernel_reaches(room, "ada", "grace", tmp_path / "hub" / "homes" / "ada") == (True, True)
        peak = room.sampler.peak_bytes
        kernels = room.sampler.peak_kernel_bytes
    assert room.orphans == [], f"processes outlived the hub: {room.orphans}"
    assert 0 < kernels < peak
    print(f"classroom test: 3 students, slowest {max(r['seconds'] for r in runs.values()):.1f} s, "
          f"peak {peak / 2**20:.0f} MiB, whole test {time.monotonic() - started:.0f} s")


def _readable_by_everyone(path: Path) -> bool:
    """Whether another account can run `path`: every folder above it searchable and the file readable by others."""
    path = path.resolve()
    return all(parent.stat().st_mode & 0o001 for parent in path.parents) and bool(path.stat().st_mode & 0o004)


def test_unix_accounts_keep_students_kernels_apart(tmp_path):
    """The `system` spawner: a Unix account per student, so even code in a cell cannot read another's home.

    Adds two throw-away accounts (and removes them), so it runs only as root and when asked:
    CONVLENS_CLASSROOM_ACCOUNTS=1, with a Python the new accounts can run (not one under /root).
    """
    _requirements()
    if os.geteuid() != 0 or os.environ.get("CONVLENS_CLASSROOM_ACCOUNTS") != "1":
        pytest.skip("adds Unix accounts: runs as root with CONVLENS_CLASSROOM_ACCOUNTS=1")
    if not _readable_by_everyone(Path(sys.executable)):
        pytest.skip(f"{Path(sys.executable).resolve()} cannot be run by other accounts (a folder above it is private); "
                    "use a venv made from /usr/bin/python3")
    import subprocess
    import tempfile

    from hub_driver import Classroom, in_parallel
    from isolation_checks import isolation_problems, kernel_reaches

    suffix = os.urandom(3).hex()
    names = [f"cls{suffix}a", f"cls{suffix}b"]
    # Not under tmp_path: pytest's base folder is private to root, and the students must reach their homes.
    homes = Path(tempfile.mkdtemp(prefix="convlens-accounts-"))
    homes.chmod(0o755)
    course = tmp_path / "course-notebooks"
    course.mkdir()
    (course / "empty.ipynb").write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    try:
        for name in names:
            subprocess.run(["useradd", "--create-home", "--home-dir", str(homes / name), "--shell", "/bin/sh", name],
                           check=True)
            (homes / name).chmod(0o700)
        with Classroom(tmp_path / "hub", course, kernel_name=KERNEL_NAME, spawner="system") as room:
            room.add_students(names)
            started = in_parallel(room.start_server, names)
            assert all(result is None for result in started.values()), (started, room.hub_log())
            copied = homes / names[0] / "course" / "empty.ipynb"
            assert copied.stat().st_uid == pwd_uid(names[0]), "the course copy is not the student's own file"
            assert isolation_problems(room, names[0], names[1]) == []
            assert kernel_reaches(room, names[0], names[1], homes / names[0]) == (True, False)
        assert room.orphans == []
    finally:
        for name in names:
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        shutil.rmtree(homes, ignore_errors=True)


def pwd_uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid
