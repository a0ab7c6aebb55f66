"""What every benchmark under bench/ shares: paths, the ConvLens binary, the bench venv, RESULTS.md.

Each script in bench/<name>/run.py measures ConvLens beside its peer in one run and rewrites only
its own sections of bench/RESULTS.md (between `<!-- name -->` and `<!-- /name -->`), so the
scripts can run in any order, alone or through bench/run_all.sh, without erasing each other.

The peers that are not part of the Jupyter tooling (PyTorch, numpy, scikit-learn, openTSNE) live
in a separate venv, .venv-bench, with pinned versions: `ensure_bench_venv()` creates it and
re-runs the calling script inside it.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
BENCH_VENV = ROOT / ".venv-bench"
CONVLENS = ROOT / ".build" / "release" / "convlens"
ASSETS = ROOT / ".cache" / "assets"

# PyPI's Linux torch wheel is the CUDA build; it runs on the CPU and is the only torch PyPI has.
BENCH_PINS = ["torch==2.15.0", "numpy==2.4.6", "scikit-learn==1.9.1", "openTSNE==1.0.4"]

# Both cores, for every engine: the issues' reference figures were taken with 2 threads.
THREADS = 2

# Canonical order of the sections in RESULTS.md; a section not listed goes at the end.
SECTIONS = ["engine", "memory", "onnx", "cell", "kernel_latency", "tsne", "occlusion", "patches", "synthesis", "train", "classroom", "checked"]


def convlens_binary() -> Path:
    """The release binary that `make setup` builds; exits with what to do when it is missing."""
    if not CONVLENS.exists():
        sys.exit(f"bench: {CONVLENS} is missing: run make setup "
                 "(or `swift build -c release --product convlens`) first")
    return CONVLENS


def run_convlens(*arguments: str, cwd: Path = ROOT) -> dict:
    """Runs `convlens ARGUMENTS` and returns the JSON object on the last line of its stdout."""
    command = [str(convlens_binary()), *arguments]
    run = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    if run.returncode != 0:
        sys.exit(f"bench: `{' '.join(command)}` failed with status {run.returncode}:\n{run.stderr.strip()[-2000:]}")
    lines = run.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        sys.exit(f"bench: `{' '.join(command)}` printed no JSON on its last line:\n{run.stdout[-2000:]}")


def pin_threads() -> None:
    """Tells OpenMP, OpenBLAS and MKL in this process and its children to use THREADS threads."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(THREADS)


def _missing_pins(python: Path) -> list[str]:
    """The pins that `python` does not have at exactly the pinned version."""
    probe = ("import json, sys\nfrom importlib import metadata\nout = {}\n"
             "for pin in sys.argv[1:]:\n    name = pin.split('==')[0]\n"
             "    try: out[pin] = metadata.version(name)\n    except metadata.PackageNotFoundError: out[pin] = None\n"
             "print(json.dumps(out))")
    run = subprocess.run([str(python), "-c", probe, *BENCH_PINS], capture_output=True, text=True)
    if run.returncode != 0:
        return list(BENCH_PINS)
    found = json.loads(run.stdout)
    return [pin for pin in BENCH_PINS if found.get(pin) != pin.split("==")[1]]


def ensure_bench_venv(script: str) -> None:
    """Re-runs `script` (the caller's __file__) inside .venv-bench, creating and filling it first.

    Returns at once when already inside it. A second run only checks the installed versions.
    """
    python = BENCH_VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == BENCH_VENV.resolve():
        return
    if not python.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(BENCH_VENV)])
    missing = _missing_pins(python)
    if missing:
        print(f"bench: installing into {BENCH_VENV}: {' '.join(missing)}", flush=True)
        subprocess.check_call([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *BENCH_PINS])
    os.execv(str(python), [str(python), script, *sys.argv[1:]])


def installed_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages: the machine is shared, so every section states them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def timestamp() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def machine_line() -> str:
    """One line on the machine: CPU model, cores, OS, OpenBLAS core type."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    coretype = os.environ.get("OPENBLAS_CORETYPE", "unset")
    return (f"Machine: {model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, OPENBLAS_CORETYPE {coretype}. The machine is shared with "
            "other work and noisy: compare the figures within one section (one run), not across runs.")


def _skeleton() -> str:
    markers = "".join(f"<!-- {name} -->\n<!-- /{name} -->\n\n" for name in SECTIONS)
    return f"# Benchmarks\n\n{machine_line()}\n\nRegenerate with `make bench` or one script at a time " \
           f"(see bench/README.md).\n\n{markers}"


def replace_section(name: str, markdown: str) -> None:
    """Rewrites only the text between `<!-- name -->` and `<!-- /name -->` in bench/RESULTS.md.

    Creates the file (heading, machine line, empty markers in SECTIONS order) when it is absent;
    appends the markers at the end when this section has none yet.
    """
    begin, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    text = RESULTS.read_text() if RESULTS.exists() else _skeleton()
    if begin not in text or end not in text or text.index(begin) > text.index(end):
        text = text.rstrip("\n") + f"\n\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    body = markdown.strip("\n") + "\n"
    RESULTS.write_text(f"{head}{begin}\n{body}{end}{tail}")
    print(f"bench: wrote the {name} section of {RESULTS}")
