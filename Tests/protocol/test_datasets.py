"""dataset(), toy2d(), evaluate() and predictions() through the real kernel, checked with numpy:
the dataset's numbers against the IDX files read here, the confusion matrix against one built in
numpy from the network's logits (computed by features(), a separate code path), toy2d's geometry."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from conftest import execute, ok, result, stdout  # noqa: F401

ASSETS = Path(os.environ.get("CONVLENS_ASSETS", Path(__file__).resolve().parents[2] / ".cache" / "assets"))


def idx(path: Path, header: int) -> np.ndarray:
    return np.frombuffer(path.read_bytes()[header:], dtype=np.uint8)


@pytest.fixture()
def mnist():
    folder = ASSETS / "mnist"
    if not (folder / "t10k-labels-idx1-ubyte").is_file():
        pytest.skip("MNIST is not fetched (make setup)")
    return idx(folder / "t10k-images-idx3-ubyte", 16).reshape(-1, 28, 28), idx(folder / "t10k-labels-idx1-ubyte", 8)


def test_dataset_numbers_and_display(kernel, tmp_path, mnist):
    _, kc = kernel
    images, labels = mnist
    messages = ok(kc, f'd = dataset("mnist", split: "test", count: 200)\nsave(d, "{tmp_path / "d.npy"}")\nsave(d.label, "{tmp_path / "l.npy"}")\nd')
    saved = np.load(tmp_path / "d.npy")
    assert saved.shape == (200, 1, 28, 28)
    np.testing.assert_array_equal(saved[:, 0], images[:200] / np.float32(255))
    np.testing.assert_array_equal(np.load(tmp_path / "l.npy"), labels[:200])
    shown = result(messages)[0]
    assert shown["text/plain"] == "dataset mnist test: 200 examples of 1x28x28, 10 classes"
    assert "image/png" in shown


def test_seeded_count_picks_distinct_examples_with_their_labels(kernel, tmp_path, mnist):
    _, kc = kernel
    images, labels = mnist
    def pick(seed, name):
        ok(kc, f'd = dataset("mnist", split: "test", count: 50, seed: {seed})\nsave(d, "{tmp_path / name}.npy")\nsave(d.label, "{tmp_path / name}-l.npy")')
        return np.load(tmp_path / f"{name}.npy"), np.load(tmp_path / f"{name}-l.npy")
    first, again, other = pick(3, "a"), pick(3, "b"), pick(4, "c")
    assert first[0].tobytes() == again[0].tobytes() and first[0].tobytes() != other[0].tobytes()
    # Each picked digit keeps its own label: find it among the test images.
    flat = images.reshape(len(images), -1)
    for digit, label in zip(first[0], first[1]):
        matches = np.flatnonzero((flat == np.round(digit.reshape(-1) * 255)).all(axis=1))
        assert label in labels[matches]


def test_unknown_dataset_suggests_the_close_name(kernel):
    _, kc = kernel
    reply, _ = execute(kc, 'dataset("fashion_mnist")')
    assert reply["content"]["status"] == "error"
    assert "fashion-mnist" in "\n".join(reply["content"]["traceback"])


def test_toy2d_is_seeded_and_has_the_playground_geometry(kernel, tmp_path):
    _, kc = kernel
    code = (f'a = toy2d(kind: "circles", count: 400, seed: 5)\nb = toy2d(kind: "circles", count: 400, seed: 5)\n'
            f'save(a, "{tmp_path / "a.npy"}")\nsave(b, "{tmp_path / "b.npy"}")\nsave(a.label, "{tmp_path / "l.npy"}")\na')
    messages = ok(kc, code)
    a, b = np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy")
    assert a.shape == (400, 2)
    assert a.tobytes() == b.tobytes()
    label = np.load(tmp_path / "l.npy")
    assert (label == 0).sum() == 200
    radius = np.hypot(a[:, 0], a[:, 1]) * 6  # back to the Playground's units
    assert radius[label == 0].max() <= 2.5 + 1e-4
    assert radius[label == 1].min() >= 3.5 - 1e-4 and radius[label == 1].max() <= 5 + 1e-4
    assert "image/png" in result(messages)[0]


def test_evaluate_confusion_counts_match_numpy(kernel, tmp_path, mnist):
    _, kc = kernel
    _, labels = mnist
    code = (f'net = model("lenet_mnist")\nd = dataset("mnist", split: "test", count: 300)\nm = evaluate(net, d)\n'
            f'save(m, "{tmp_path / "m.npy"}")\n'
            f'save(features(net, d.image, "logits"), "{tmp_path / "logits.npy"}")\nm')
    messages = ok(kc, code)
    counts = np.load(tmp_path / "m.npy")
    logits = np.load(tmp_path / "logits.npy")
    assert counts.shape == (10, 10) and logits.shape == (300, 10)
    expected = np.zeros((10, 10))
    np.add.at(expected, (labels[:300], logits.argmax(axis=1)), 1)
    np.testing.assert_array_equal(counts, expected)
    accuracy = np.trace(expected) / 300
    assert accuracy > 0.95
    title = result(messages)[0]["text/plain"]
    assert f"({int(np.trace(expected))}/300)" in title, title
    assert "per class:" in stdout(messages)


def test_predictions_probabilities_sum_to_one_and_rank_like_numpy(kernel, tmp_path, mnist):
    _, kc = kernel
    code = (f'net = model("lenet_mnist")\nd = dataset("mnist", split: "test", count: 16)\np = predictions(net, d, count: 16)\n'
            f'save(p, "{tmp_path / "p.npy"}")\nsave(features(net, d.image, "logits"), "{tmp_path / "l.npy"}")\np')
    messages = ok(kc, code)
    probabilities = np.load(tmp_path / "p.npy").astype(np.float64)
    logits = np.load(tmp_path / "l.npy").astype(np.float64)
    softmax = np.exp(logits - logits.max(axis=1, keepdims=True))
    softmax /= softmax.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probabilities, softmax, atol=1e-5)
    assert "image/png" in result(messages)[0]
