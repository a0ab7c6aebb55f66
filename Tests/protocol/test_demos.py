"""ConvNetJS's other demos through the real kernel (issue 8): the MNIST autoencoder trains in two
cells and its codes equal the encoder run in numpy on the saved weights; "a network paints an
image" lowers its error below the best constant painting's, and seed() repeats it byte for byte."""
from __future__ import annotations

import json
import os
import re
import struct
from pathlib import Path

import numpy as np
import pytest

from conftest import TIMEOUT, execute, ok, shell_reply  # noqa: F401

ASSETS = Path(os.environ.get("CONVLENS_ASSETS", Path(__file__).resolve().parents[2] / ".cache" / "assets"))


def read_safetensors(path):
    """The tensors of a .safetensors file (8-byte header length, JSON header, raw data), by name."""
    raw = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    body = raw[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", entry
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype="<f4").reshape(entry["shape"])
    return tensors


def test_autoencoder_codes_are_the_encoder_run_in_numpy(kernel, tmp_path):
    if not (ASSETS / "mnist" / "train-labels-idx1-ubyte").is_file():
        pytest.skip("MNIST is not fetched (make setup)")
    _, kc = kernel
    ok(kc, 'seed(5)\nd = dataset("mnist", count: 400)\nae = autoencoder(code: 2)\n'
           'h = train(ae, d, epochs: 3, batch: 50, optimizer: "adam", rate: 0.003)', timeout=180)
    ok(kc, f'save(encode(ae, d), "{tmp_path}/codes.npy")\nsave(ae, "{tmp_path}/ae.safetensors")\n'
           f'save(h, "{tmp_path}/h.csv")\nsave(d, "{tmp_path}/x.npy")')
    codes = np.load(tmp_path / "codes.npy")
    assert codes.shape == (400, 2)
    weights = read_safetensors(tmp_path / "ae.safetensors")
    names = sorted(weights)
    weight = {layer: next(weights[n] for n in names if n.startswith(layer) and n.endswith("weight")) for layer in ("fc1", "fc2", "fc3")}
    bias = {layer: next(weights[n] for n in names if n.startswith(layer) and n.endswith("bias")) for layer in ("fc1", "fc2", "fc3")}
    x = np.load(tmp_path / "x.npy").reshape(400, -1).astype(np.float64)
    h1 = np.tanh(x @ weight["fc1"].reshape(50, -1).T + bias["fc1"])
    h2 = np.tanh(h1 @ weight["fc2"].reshape(50, -1).T + bias["fc2"])
    expected = h2 @ weight["fc3"].reshape(2, -1).T + bias["fc3"]
    np.testing.assert_allclose(codes, expected, atol=1e-4)
    # The codes spread out (a collapsed code would reconstruct every digit the same).
    assert codes.std(axis=0).min() > 0.05
    losses = [float(line.split(",")[2]) for line in (tmp_path / "h.csv").read_text().splitlines()[1:]]
    assert losses[-1] < 0.8 * losses[0], losses


def paint_error(messages):
    """The mean squared error paint's closing line reports."""
    texts = json.dumps([m["content"] for m in messages])
    found = re.findall(r"mean squared error ([0-9.]+)", texts)
    assert found, texts[:2000]
    return float(found[-1])


def test_paint_beats_the_constant_painting_and_repeats_with_a_seed(kernel, tmp_path):
    _, kc = kernel
    first = ok(kc, f'seed(2)\nnet = paint(image("chelsea"), size: 16, epochs: 60)\n'
                   f'save(painted(net, size: 16, aspect: 0.6875), "{tmp_path}/a.npy")', timeout=180)
    ok(kc, f'seed(2)\nnet2 = paint(image("chelsea"), size: 16, epochs: 60)\n'
           f'save(painted(net2, size: 16, aspect: 0.6875), "{tmp_path}/b.npy")\n'
           f'save(image("chelsea"), "{tmp_path}/photo.npy")', timeout=180)
    a, b = np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy")
    assert a.shape == (11, 16, 3)
    np.testing.assert_array_equal(a, b)
    assert a.min() >= 0 and a.max() <= 1
    error = paint_error(first)
    # The best constant painting of the photo: its per-channel variance (at full size, close to
    # the 16x11 painting's since area averaging keeps the mean and most of the spread).
    photo = np.load(tmp_path / "photo.npy").astype(np.float64)
    if photo.max() > 1.5:  # 0...255 grey levels: the painting's error is in 0...1 units
        photo /= 255
    constant = photo.reshape(-1, photo.shape[-1]).var(axis=0).mean()
    assert error < 0.7 * constant, (error, constant)
