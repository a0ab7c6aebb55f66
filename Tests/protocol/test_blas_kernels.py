"""The executable runs OpenBLAS's vector kernels on any processor with AVX2, even when the
OpenBLAS it links does not know the processor (Debian 12's 0.3.21 takes an Emerald Rapids Xeon
for a Prescott and runs SSE3 kernels, 6x slower): `convlens` restarts itself with
OPENBLAS_CORETYPE set. Checked against /proc/cpuinfo's flags, read independently here."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import KERNEL_NAME

VECTOR_CORES = {"haswell", "skylakex", "cooperlake", "sapphirerapids", "zen"}


def convlens_binary():
    from jupyter_client.kernelspec import KernelSpecManager
    return KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0]


def cpu_flags():
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.exists():
        pytest.skip("no /proc/cpuinfo")
    line = next((l for l in cpuinfo.read_text().splitlines() if l.startswith("flags")), "")
    return set(line.split(":", 1)[-1].split())


def kernels_in_use(env):
    run = subprocess.run([convlens_binary(), "blas"], capture_output=True, text=True, timeout=30, env=env)
    assert run.returncode == 0, run.stderr
    line = next(l for l in run.stdout.splitlines() if l.startswith("kernels in use:"))
    return line.split(":", 1)[1].strip(), run.stdout


def test_vector_kernels_on_a_vector_processor():
    flags = cpu_flags()
    if not {"avx2", "fma"} <= flags:
        pytest.skip("processor without AVX2/FMA")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    core, text = kernels_in_use(env)
    assert core.lower() in VECTOR_CORES, text
    if {"avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512cd"} <= flags:
        assert core.lower() in {"skylakex", "cooperlake", "sapphirerapids"}, text


def test_a_users_choice_is_kept():
    core, text = kernels_in_use({**os.environ, "OPENBLAS_CORETYPE": "Prescott"})
    assert core == "Prescott" and "set by the environment" in text, text
