"""Input gradients of imported ONNX graphs checked against central finite differences.

For every fixture of scripts/make_onnx_fixtures.py that `convlens onnx-run` imports (one input),
ConvLens back-propagates L = sum(output * w) for a seeded weight tensor w
(`onnx-run --weights w.npy --input-gradient g.npy`), and the result is compared with central
differences (L(x + eps e) - L(x - eps e)) / 2 eps computed with onnxruntime, an implementation
independent of ConvLens: along 3 random unit directions (which touch every input element) and
at 24 random single elements.

onnxruntime computes in float32, so eps = 1e-3 leaves a rounding error of about 1e-7 |L| / eps
in each difference; the tolerance is 2e-3 * (the gradient's largest entry) + 2e-2 relative, which
a gradient off by a factor, a sign, a transposed index or a missing term fails (the directional
checks sum over every element), plus the float32 noise floor 4e-7 * sum|y * w| / eps. Inputs are
drawn away from the kinks of ReLU, ReLU6, max pooling and HardSigmoid: each input is |z| + 0.1 with a
random sign, so a step of 1e-3 cannot reach a kink of an elementwise op; inside networks, where a
pre-activation may sit within eps of a kink, a second difference far above a smooth function's
(a kink crossed) makes the check draw another direction or element, at most 10 times per fixture.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import KERNEL_NAME

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

REPO = Path(__file__).resolve().parents[2]
EPS = 1e-3


def convlens_binary():
    from jupyter_client.kernelspec import KernelSpecManager
    return KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0]


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    out = tmp_path_factory.mktemp("onnx-gradient-fixtures")
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_onnx_fixtures.py"), "--out", str(out), "--no-check"],
                   check=True, capture_output=True)
    return out, json.loads((out / "index.json").read_text())


def loss(session, name, x, w):
    (y,) = session.run(None, {name: x.astype(np.float32)})[:1]
    return float(np.sum(y.astype(np.float64) * w))


def test_input_gradients_match_finite_differences(fixtures, tmp_path):
    folder, index = fixtures
    binary = convlens_binary()
    rng = np.random.default_rng(21)
    checked, refused = [], []
    for name, entry in sorted(index.items()):
        if len(entry["inputs"]) != 1:
            continue
        shape = list(entry["inputs"].values())[0]
        # Away from zero, where ReLU-like ops and ties live.
        x = ((np.abs(rng.standard_normal(shape)) + 0.1) * rng.choice([-1.0, 1.0], size=shape)).astype(np.float32)
        np.save(tmp_path / "x.npy", x)
        model = folder / entry["file"]
        probe = subprocess.run([binary, "onnx-run", str(model), str(tmp_path / "x.npy"), str(tmp_path / "y.npy")],
                               capture_output=True, text=True, timeout=120)
        if probe.returncode != 0:
            refused.append(name)  # the import test checks every refusal's message
            continue
        y = np.load(tmp_path / "y.npy")
        w = rng.standard_normal(y.shape).astype(np.float32)
        np.save(tmp_path / "w.npy", w)
        run = subprocess.run([binary, "onnx-run", str(model), str(tmp_path / "x.npy"), str(tmp_path / "y.npy"),
                              "--weights", str(tmp_path / "w.npy"), "--input-gradient", str(tmp_path / "g.npy")],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, (name, run.stderr)
        gradient = np.load(tmp_path / "g.npy").astype(np.float64)
        assert gradient.shape == x.shape, (name, gradient.shape)
        session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
        input_name = session.get_inputs()[0].name
        w64 = w.astype(np.float64)
        base = loss(session, input_name, x, w64)
        scale = max(np.abs(gradient).max(), 1e-3)

        # float32 rounding of L, divided by the step: the noise floor of every difference.
        noise = 4e-7 * (abs(base) + float(np.abs(y.astype(np.float64) * w64).sum())) / EPS

        def check(direction, what):
            plus = loss(session, input_name, x + EPS * direction, w64)
            minus = loss(session, input_name, x - EPS * direction, w64)
            # A kink within eps shows as a second difference far above a smooth function's eps² f''.
            if abs(plus - 2 * base + minus) / EPS > 1e-3 * scale + noise:
                return False
            numeric = (plus - minus) / (2 * EPS)
            analytic = float(np.sum(gradient * direction))
            assert abs(numeric - analytic) <= 2e-3 * scale + 2e-2 * abs(numeric) + noise, (name, what, analytic, numeric)
            return True

        redraws, directions, elements = 0, 0, 0
        while directions < 3:
            v = rng.standard_normal(x.shape)
            v /= np.linalg.norm(v)
            if check(v, "direction"):
                directions += 1
            else:
                redraws += 1
            assert redraws <= 10, (name, "too many kinks within eps of the input")
        while elements < 24:
            e = np.zeros(x.shape)
            flat = int(rng.integers(0, x.size))
            e.flat[flat] = 1
            if check(e, f"element {flat}"):
                elements += 1
            else:
                redraws += 1
            assert redraws <= 10, (name, "too many kinks within eps of the input")
        checked.append(name)
    assert {"conv", "convtranspose", "convtranspose_padded_grouped", "prelu", "logsoftmax", "softmax", "globalmaxpool",
            "lrn", "averagepool", "averagepool_ceil_exclude_pad", "maxpool", "gemm", "gemm_scaled", "matmul",
            "matmul_constant_left", "sum", "net_alexnet_lrn_block", "net_residual_block", "net_depthwise_block",
            "net_squeeze_excitation"} <= set(checked), (checked, refused)
