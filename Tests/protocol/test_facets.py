"""diversity, facets and dream's iterate-and-zoom through the kernel, a few steps each: the numbers
read back with save(x, "f.npy"), the animation's chunks parsed from the saved PNG, and the same
seed giving the same bytes."""
from __future__ import annotations

import struct

import numpy as np

from conftest import execute


def run(kc, code):
    reply, messages = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    return [m["content"]["data"].get("text/plain", "") for m in messages
            if m["msg_type"] in ("display_data", "update_display_data")]


def chunks(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, found = 8, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        found.append((data[offset + 4:offset + 8].decode(), data[offset + 8:offset + 8 + length]))
        offset += 12 + length
    return found


def test_diversity_is_seeded_and_less_alike_than_it_started(kernel, tmp_path):
    _, kc = kernel
    files = [tmp_path / f"d{i}.npy" for i in range(2)]
    similarity = tmp_path / "s.npy"
    code = 'net = model("squeezenet")\n'
    for file in files:
        code += f'seed(3)\nd = diversity(net, layer: "fire5", channel: 3, count: 2, steps: 6, images: [image("chelsea")])\nsave(d, "{file}")\n'
    code += f'save(d.similarity, "{similarity}")\nd'
    texts = run(kc, code)
    first, second = np.load(files[0]), np.load(files[1])
    assert first.shape == (2, 227, 227, 3) and 0 <= first.min() and first.max() <= 1
    assert files[0].read_bytes() == files[1].read_bytes(), "same seed, same bytes"
    assert not np.array_equal(first[0], first[1])
    curve = np.load(similarity)
    assert curve.shape == (7,) and np.all((curve >= -1) & (curve <= 1)), curve
    assert any("step 6/6" in text for text in texts), texts


def test_facets_start_from_cluster_means_and_are_seeded(kernel, tmp_path):
    _, kc = kernel
    files = [tmp_path / f"f{i}.npy" for i in range(2)]
    code = 'net = model("squeezenet")\nphotos = samples()\n'
    for file in files:
        code += f'seed(5)\nf = facets(net, layer: "fire5", channel: 3, images: photos, count: 2, steps: 2)\nsave(f, "{file}")\n'
    code += 'f'
    run(kc, code)
    first = np.load(files[0])
    assert first.shape == (2, 227, 227, 3)
    assert files[0].read_bytes() == files[1].read_bytes()
    assert not np.array_equal(first[0], first[1]), "two facets start from two different means"


def test_dream_zoom_saves_an_animated_png(kernel, tmp_path):
    _, kc = kernel
    png, npy = tmp_path / "zoom.png", tmp_path / "zoom.npy"
    code = ('net = model("squeezenet")\nseed(2)\n'
            'z = dream(net, image("chelsea"), "fire3", steps: 2, octaves: 1, size: 96, zoom: 10, frames: 3)\n'
            f'save(z, "{png}")\nsave(z, "{npy}")\nz')
    texts = run(kc, code)
    found = chunks(png.read_bytes())
    types = [name for name, _ in found]
    assert types[0] == "IHDR" and types[-1] == "IEND"
    actl = dict(found)["acTL"]
    assert struct.unpack(">II", actl) == (3, 0)
    assert types.count("fcTL") == 3 and types.count("fdAT") >= 2 and "IDAT" in types
    frames = np.load(npy)
    assert frames.shape[0] == 3 and frames.shape[3] == 3 and max(frames.shape[1:3]) == 96
    assert any("frame 3/3" in text for text in texts), texts
