"""Network dissection through the real kernel: dissect(net, "fire9", count:, seed:) against a
numpy recomputation of Bau et al.'s procedure from the same images' activations (features(),
a separate code path) and the concept set's label masks on disk (labels.npy): the top-0.5%
threshold per unit, bilinear upsampling (align_corners=False) to the 112x112 masks, and the
IoU summed over the images."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from conftest import ok, result, stdout  # noqa: F401

ASSETS = Path(os.environ.get("CONVLENS_ASSETS", Path(__file__).resolve().parents[2] / ".cache" / "assets"))


def upsample(maps, side):
    """Bilinear, align_corners=False (PyTorch's F.interpolate), maps [units, h, w] -> [units, side, side]."""
    def taps(source):
        position = np.clip((np.arange(side) + 0.5) * source / side - 0.5, 0, source - 1)
        first = np.floor(position).astype(int)
        second = np.minimum(first + 1, source - 1)
        return first, second, (position - first).astype(np.float32)
    y0, y1, wy = taps(maps.shape[1])
    x0, x1, wx = taps(maps.shape[2])
    top = maps[:, y0][:, :, x0] * (1 - wx) + maps[:, y0][:, :, x1] * wx
    bottom = maps[:, y1][:, :, x0] * (1 - wx) + maps[:, y1][:, :, x1] * wx
    return top * (1 - wy)[None, :, None] + bottom * wy[None, :, None]


def test_dissect_matches_numpy(kernel, tmp_path):
    if not (ASSETS / "collections" / "textures.json").is_file():
        pytest.skip("the textures collection is not fetched (make setup)")
    _, kc = kernel
    count = 24
    messages = ok(kc, f'net = model("squeezenet")\np = images("broden-lite", count: {count}, seed: 3)\nprint(p)\n'
                      f'f = features(net, p, "fire9")\nsave(f, "{tmp_path / "f.npy"}")\n'
                      f'd = dissect(net, "fire9", count: {count}, seed: 3, units: 2, top: 3)\n'
                      f'save(d, "{tmp_path / "iou.npy"}")\nprint(d.labelled)', timeout=300)
    indices = [int(n) for n in re.findall(r"broden-lite (\d+)", stdout(messages))]
    assert len(indices) == count
    folder = ASSETS / "concepts" / "broden-lite"
    labels = np.load(folder / "labels.npy")[indices]  # [n, 3, 112, 112]
    concepts = json.loads((folder / "concepts.json").read_text())["concepts"]
    flat = np.load(tmp_path / "f.npy").reshape(count, 512, -1)
    side = int(round(flat.shape[2] ** 0.5))
    features = flat.reshape(count, 512, side, side)
    iou = np.load(tmp_path / "iou.npy")
    assert iou.shape == (512, len(concepts))
    keep = int(np.ceil(0.005 * count * side * side))
    thresholds = np.sort(features.transpose(1, 0, 2, 3).reshape(512, -1), axis=1)[:, -keep]
    intersections = np.zeros((512, len(concepts)))
    sizes = np.zeros(512)
    for item in range(count):
        masks = upsample(features[item], 112) > thresholds[:, None, None]  # [512, 112, 112]
        sizes += masks.sum(axis=(1, 2))
        for plane in range(3):
            onehot = np.eye(len(concepts) + 1, dtype=np.float32)[labels[item, plane]][..., 1:]  # [112, 112, C]
            intersections += np.einsum("uyx,yxc->uc", masks.astype(np.float32), onehot)
    label_counts = np.array([(labels == c + 1).sum() for c in range(len(concepts))])
    union = sizes[:, None] + label_counts[None, :] - intersections
    expected = np.where(union > 0, intersections / np.maximum(union, 1), 0)
    # Bilinear weights in float32 may put a few pixels on the other side of T_k.
    assert np.abs(iou - expected).max() < 2e-3
    labelled = int((expected.max(axis=1) > 0.04).sum())
    assert abs(int(float(stdout(messages).strip().split("\n")[-1])) - labelled) <= 2
    displays = [m for m in messages if m["msg_type"] == "display_data"]
    assert any("fire9:" in m["content"]["data"].get("text/plain", "") for m in displays)  # the table
