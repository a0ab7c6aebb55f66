#!/usr/bin/env bash
# Runs every benchmark under bench/ in sequence; each rewrites only its own sections of
# bench/RESULTS.md. `make bench` calls this after `make setup` (release build, assets, .venv).
# The peers that are not Jupyter tooling (PyTorch, numpy, scikit-learn, openTSNE) are installed
# on first use into .venv-bench with the pins of bench/results.py.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
if [ ! -x "$PY" ]; then
    echo "bench: $PY is missing: run make setup" >&2
    exit 1
fi

status=0
for script in bench/engine/run.py bench/onnx/run.py bench/kernel_latency/run.py bench/tsne/run.py bench/occlusion/run.py bench/patches/run.py bench/synthesis/run.py bench/train/run.py bench/classroom/run.py; do
    echo "== $script (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    if ! "$PY" "$script"; then
        echo "bench: $script failed; the other benchmarks still run" >&2
        status=1
    fi
done
exit $status
