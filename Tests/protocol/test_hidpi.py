"""High-DPI pictures through the real kernel: a drawing is sent as a PNG of twice its size with
image/png metadata width/height at its logical (1x) size, so front ends show it at 1x size; a
photo is sent at its own size; the numbers (`.width`, `save(x, "f.npy")`) stay at 1x and equal
the 2x PNG averaged over 2 x 2 blocks (decoded here with this suite's own PNG reader)."""
from __future__ import annotations

import base64
import struct

import numpy as np

from conftest import execute
from test_onnx_import import read_png


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def shown(kc, code):
    reply, messages = execute(kc, code)
    assert reply["content"]["status"] == "ok", [m["content"] for m in messages if m["msg_type"] == "error"]
    results = [m["content"] for m in messages if m["msg_type"] == "execute_result"]
    assert results, messages
    return results[-1]


def test_drawings_are_2x_with_1x_metadata_and_photos_1x(kernel, tmp_path):
    _, kc = kernel
    diagram = shown(kc, 'd = diagram(model("lenet_mnist"))\nd')
    png = base64.b64decode(diagram["data"]["image/png"])
    meta = diagram["metadata"]["image/png"]
    width, height = png_size(png)
    assert (width, height) == (2 * meta["width"], 2 * meta["height"])
    assert meta["width"] > 300 and meta["alt"].startswith("diagram of lenet_mnist")
    # The picture's members and numbers are the logical size.
    sizes = shown(kc, "[d.width, d.height]")["data"]["text/plain"]
    assert sizes.replace(" ", "") == f"[{meta['width']},{meta['height']}]"
    shown(kc, f'save(d, "{tmp_path / "d.npy"}")\nsave(d, "{tmp_path / "d.png"}")\n1')
    numbers = np.load(tmp_path / "d.npy")
    assert numbers.shape == (meta["height"], meta["width"], 3)
    # save(.png) writes what the notebook shows; its 2 x 2 block means are the saved numbers.
    assert (tmp_path / "d.png").read_bytes() == png
    pixels = read_png(tmp_path / "d.png").astype(np.float64) / 255
    blocks = pixels.reshape(meta["height"], 2, meta["width"], 2, 3).mean(axis=(1, 3))
    assert np.abs(blocks - numbers).max() < 1.5 / 255
    # Text is drawn at device resolution: the 2x PNG has far more distinct grey levels than a
    # nearest-neighbour upsampling of the 1x numbers would (each 2 x 2 block would be flat).
    flat = np.abs(pixels[0::2, 0::2] - pixels[1::2, 1::2]).max(axis=2)
    assert (flat > 0.1).sum() > 500

    photo = shown(kc, 'image("chelsea")')
    png = base64.b64decode(photo["data"]["image/png"])
    meta = photo["metadata"]["image/png"]
    assert png_size(png) == (meta["width"], meta["height"])
