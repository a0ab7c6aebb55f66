"""The photo and clip-art collections through the real kernel: images("photos") against the
collection index the fetcher wrote, credits(), dataset("photos") labels, and patches() over a
few hundred photos whose streaming top-k must equal a brute-force ranking done here in numpy
from features(pool: "max") (each image's best unit per channel, a separate code path)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from conftest import execute, ok, result, stdout  # noqa: F401

ASSETS = Path(os.environ.get("CONVLENS_ASSETS", Path(__file__).resolve().parents[2] / ".cache" / "assets"))


@pytest.fixture()
def photos():
    index = ASSETS / "collections" / "photos.json"
    if not index.is_file():
        pytest.skip("the photo collection is not fetched (make setup)")
    return json.loads(index.read_text())


def test_collection_count_labels_and_credits(kernel, tmp_path, photos):
    _, kc = kernel
    assert len(photos) > 400
    assert sum("tuxpaint" in row["file"] for row in photos) > 300
    assert all(row["mask"] == "alpha" for row in photos if "tuxpaint" in row["file"])
    messages = ok(kc, 'p = images("photos")\nprint(len(p))\nd = dataset("photos")\n'
                      f'save(d.label, "{tmp_path / "labels.npy"}")\nprint(d)')
    count, summary = stdout(messages).strip().split("\n")
    assert int(count) == len(photos)
    names = sorted({row["label"] for row in photos})
    assert summary == f"dataset photos: {len(photos)} examples of 3x64x64, {len(names)} classes"
    labels = np.load(tmp_path / "labels.npy")
    assert [names[int(label)] for label in labels] == [row["label"] for row in photos]
    credits = result(ok(kc, 'credits("photos")'))[0]["text/plain"]
    assert "tuxpaint-stamps-default" in credits and "GPL-2" in credits
    assert "scratch" in credits and "CC-BY-SA-3.0" in credits
    reply, _ = execute(kc, 'images("holiday-snaps")')
    assert reply["content"]["status"] == "error"


def test_seeded_sample_repeats(kernel):
    _, kc = kernel
    out = stdout(ok(kc, 'print(images("photos", count: 5, seed: 3))\nprint(images("photos", count: 5, seed: 3))\n'
                        'print(images("photos", count: 5, seed: 4))'))
    first, again, other = out.strip().split("\n")
    assert first == again and first != other and first.count(": image ") == 5


def test_patches_top_k_equals_brute_force(kernel, tmp_path, photos):
    _, kc = kernel
    ok(kc, 'net = model("squeezenet")\np = images("photos", count: 200, seed: 1, side: 160)\n'
           f'f = features(net, p, "fire9", pool: "max")\nsave(f, "{tmp_path / "f.npy"}")\n'
           f'r = patches(net, p, "fire9", channels: 6)\nsave(r, "{tmp_path / "r.npy"}")\n'
           f'one = patches(net, p, "fire9", 4, top: 5)\nsave(one, "{tmp_path / "one.npy"}")')
    features = np.load(tmp_path / "f.npy")
    found = np.load(tmp_path / "r.npy")
    assert features.shape == (200, 512) and found.shape == (6, 9)
    for channel in range(6):
        expected = np.sort(features[:, channel])[::-1][:9]
        np.testing.assert_allclose(found[channel], expected, rtol=1e-5)
    np.testing.assert_allclose(np.load(tmp_path / "one.npy"), np.sort(features[:, 4])[::-1][:5], rtol=1e-5)


def test_an_unreadable_member_is_left_out_and_named(tmp_path, photos):
    """A collection whose index names a damaged file still gives its other images; the cell says
    which file it left out. A collection of nothing but damaged files is an error."""
    assets = tmp_path / "assets"
    (assets / "collections").mkdir(parents=True)
    (assets / "photos").mkdir()
    rows = []
    for number, row in enumerate(photos[:2]):
        target = assets / "photos" / f"good{number}{Path(row['file']).suffix}"
        target.write_bytes((ASSETS / row["file"]).read_bytes())
        rows.append({**row, "file": f"photos/{target.name}"})
    (assets / "photos" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a PNG")
    rows.insert(1, {**photos[0], "file": "photos/broken.png", "label": "broken"})
    rows[1].pop("mask", None)
    (assets / "collections" / "photos.json").write_text(json.dumps(rows))
    (assets / "index.json").write_text("{}")  # what marks a folder as an asset folder
    # The installed kernelspec names the real asset folder in its env, which wins over ours: run
    # the same kernel from a copy of the spec that names the temporary one.
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from conftest import KERNEL_NAME, TIMEOUT
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    spec_dir = tmp_path / "kernels" / "convlens-assets-test"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({**spec.to_dict(), "env": {**spec.env, "CONVLENS_ASSETS": str(assets)}}))
    km = KernelManager(kernel_name="convlens-assets-test", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")]))
    km.start_kernel(env={**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data")})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    try:
        out = stdout(ok(kc, 'p = images("photos")\nprint(len(p))'))
        note, count = out.strip().split("\n")
        assert count == "2"
        assert note.startswith('images("photos"): left out 1 image that could not be read:') and "broken.png" in note
        (assets / "collections" / "photos.json").write_text(json.dumps([rows[1]]))
        reply, _ = execute(kc, 'q = images("photos")')
        assert reply["content"]["status"] == "error" and "broken.png" in reply["content"]["evalue"]
        assert stdout(ok(kc, "print(len(p))")).strip() == "2"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
