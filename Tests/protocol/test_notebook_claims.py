"""Claims notebook 000 (Wonka's notes) makes about its pictures, checked on the pictures' numbers:
if an engine change or a new default makes a sentence false, this fails (issue 14, "a claim is
checked, not written"). The notebook's own cells run through the kernel, found by the start of
their source; the values come back through save(x, "f.npy"). One assertion per claim:

- intro: the photo collection holds 416 labelled photos.
- 1.3 tiny values: the probability gradient's saliency runs from 0 to about 0.02 (below 0.03).
- 1.3 huge values: conv1 channel 6 reaches about 500 and 85% of its pixels are above 1 (white under clip).
- 1.6: the fire9 channels shown are the 8 of the first 64 with the highest peak on the squirrel.
- 1.6: seven of them fire in a few of their 196 positions (under 15% above a quarter of their own peak);
  channel 58 (the seventh shown) is the one that does not.
- 1.8: the ten digit classes separate much better under t-SNE than PCA (5-nearest-neighbour accuracy in
  the 2-D map at least 0.2 higher).
- 1.9: the five queries' neighbours share the query's kind of photo (at least 26 of 30).
- 1.10: hiding the zebra drops P(zebra) from 0.44 to almost 0 (below 0.01); hiding the giraffe raises
  it above 0.9.
- CAM section: Grad-CAM at conv10 equals CAM (the same map up to scale).
- CAM section: one map per class: the husky map peaks on the dog (left half), the mountain bike's on the
  bicycle's rear wheel (right half).
- 1.13: the probability run raises the goldfish logit by under a tenth of the logit run's rise, and the
  mean of the other logits moves by less than 5.
- 1.19: the diversity images' Gram similarity falls from about 1.0 to about 0.4 (below 0.5).
- 1.16: L2 keeps the image nearer its mean colour (mean |pixel - mean| under 0.8 times the unregularized run's).
"""
import json
from pathlib import Path

import nbformat
import numpy as np
import pytest

from conftest import execute, start_kernel

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "000_wonka_visualization.ipynb"
PHOTOS = Path(__file__).resolve().parents[2] / ".cache" / "assets" / "collections" / "photos.json"


def cell_source(starts_with, notebook=NOTEBOOK):
    nb = nbformat.read(ROOT / "notebooks" / notebook, 4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with))


def run_ok(kc, code):
    reply, _ = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]


def photo_kinds():
    """Each photo's kind: its folder two levels below the collection (animals/birds, food/fruit...)."""
    kinds = []
    for entry in json.loads(PHOTOS.read_text()):
        parts = entry["file"].split("/")
        if parts[1] == "tuxpaint":
            kinds.append("/".join(parts[2:-1][:2]) or "tuxpaint")
        else:
            kinds.append("/".join(parts[1:-1]) or "samples")
    return kinds


@pytest.fixture(scope="module")
def notebook(tmp_path_factory):
    """One kernel that has run the notebook's set-up cell; yields (client, folder for saved values)."""
    folder = tmp_path_factory.mktemp("claims000")
    km, kc = start_kernel()
    try:
        run_ok(kc, cell_source("seed(0)\nnet = model()"))
        run_ok(kc, 'squirrel = image("squirrel")\nlenet = model("lenet_mnist")')
        yield kc, folder
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def saved(kc, folder, **values):
    """Saves each named expression's numbers and loads them back."""
    run_ok(kc, "\n".join(f'save({expr}, "{folder}/{name}.npy")' for name, expr in values.items()))
    return {name: np.load(folder / f"{name}.npy") for name in values}


def test_intro_photo_count(notebook):
    kc, folder = notebook
    run_ok(kc, f'save([len(photos)], "{folder}/count.npy")')
    assert int(np.load(folder / "count.npy")[0]) == 416


def test_1_3_tiny_values(notebook):
    kc, folder = notebook
    run_ok(kc, cell_source('squirrel = image("squirrel")\nshow(classify'))
    tiny = saved(kc, folder, tiny="tiny")["tiny"]
    assert tiny.min() >= 0 and 0.01 < tiny.max() < 0.03, (tiny.min(), tiny.max())


def test_1_3_huge_values(notebook):
    kc, folder = notebook
    run_ok(kc, cell_source('first = activations(net, squirrel, "conv1"'))
    channel = saved(kc, folder, first="first")["first"][6]
    assert 400 < channel.max() < 600 and abs((channel > 1).mean() - 0.85) < 0.03, (channel.max(), (channel > 1).mean())


def test_1_6_fire9_channels_are_the_strongest(notebook):
    kc, folder = notebook
    maps = saved(kc, folder, all=' activations(net, squirrel, "fire9", channels: 0..63)')["all"]
    peaks = maps.reshape(64, -1).max(axis=1)
    shown = [36, 61, 43, 55, 32, 52, 58, 42]
    assert f"channels: {shown}" in cell_source('activations(net, squirrel, "fire9"')
    assert set(np.argsort(-peaks)[:8]) == set(shown), np.argsort(-peaks)[:8]


def test_1_6_fire9_channels_are_sparse(notebook):
    kc, folder = notebook
    maps = saved(kc, folder, shown=cell_source('activations(net, squirrel, "fire9"'))["shown"]
    flat = maps.reshape(len(maps), -1)
    share = (flat > 0.25 * flat.max(axis=1, keepdims=True)).mean(axis=1)
    assert (np.delete(share, 6) < 0.15).all() and share[6] > 0.15, share


def knn_accuracy(points, labels, k=5):
    distances = ((points[:, None, :] - points[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(distances, np.inf)
    nearest = np.argsort(distances, axis=1)[:, :k]
    votes = labels[nearest]
    predicted = np.array([np.bincount(row, minlength=10).argmax() for row in votes])
    return (predicted == labels).mean()


def test_1_8_tsne_separates_digits_better_than_pca(notebook):
    kc, folder = notebook
    run_ok(kc, cell_source("digits = mnist(count: 1000)"))
    run_ok(kc, "seed(0)\n" + cell_source("points = tsne(codes"))
    values = saved(kc, folder, pca="pca(codes)", tsne="points", labels="digits.label")
    labels = values["labels"].astype(int)
    pca, tsne = knn_accuracy(values["pca"], labels), knn_accuracy(values["tsne"], labels)
    assert tsne >= pca + 0.2, (pca, tsne)


def test_1_9_neighbours_share_the_query_kind(notebook):
    kc, folder = notebook
    source = cell_source("neighbors(net, [")
    run_ok(kc, "grid = " + source + "\nfound = grid.neighbors")
    found = saved(kc, folder, found="found")["found"].astype(int).reshape(-1, 6)
    queries = json.loads(source[len("neighbors(net, "):source.index("]") + 1])
    kinds = photo_kinds()
    same = sum(kinds[n] == kinds[q] for q, row in zip(queries, found) for n in row)
    assert same >= 26, (same, [[kinds[n] for n in row] for row in found])


def test_1_10_occlusion_of_the_zebra(notebook):
    kc, folder = notebook
    run_ok(kc, cell_source('zoo = image("giraffe")').replace("\nocclusion(", "\no = occlusion("))
    occlusion = saved(kc, folder, o="o")["o"]
    rows, columns = occlusion.shape
    # The zebra stands in the lower right of the centre crop; the giraffe's neck and body above it.
    zebra = occlusion[rows // 2:, columns // 2:]
    assert zebra.min() < 0.01 and occlusion.max() > 0.9, (zebra.min(), occlusion.max())


def test_cam_equals_gradcam_at_conv10(notebook):
    kc, folder = notebook
    run_ok(kc, 'dog = image("dog")')
    values = saved(kc, folder, cam='cam(net, dog, class: "Siberian husky")',
                   grad='gradcam(net, dog, class: "Siberian husky", layer: "conv10")')
    cam, grad = values["cam"].ravel(), values["grad"].ravel()
    if cam.shape != grad.shape:
        pytest.fail(f"CAM {values['cam'].shape} and Grad-CAM {values['grad'].shape} differ in resolution")
    assert np.allclose(cam / cam.max(), grad / grad.max(), atol=1e-4)


def test_one_map_per_class(notebook):
    kc, folder = notebook
    run_ok(kc, 'dog = image("dog")')
    values = saved(kc, folder, husky='gradcam(net, dog, class: "Siberian husky", layer: "conv10")',
                   bike='gradcam(net, dog, class: "mountain bike", layer: "conv10")')
    # The dog sits in the left half of the centre crop, the bicycle's rear wheel and chainring right of it.
    husky_column = np.unravel_index(values["husky"].argmax(), values["husky"].shape)[1] / values["husky"].shape[1]
    bike_column = np.unravel_index(values["bike"].argmax(), values["bike"].shape)[1] / values["bike"].shape[1]
    assert husky_column < 0.5 < bike_column, (husky_column, bike_column)


def test_1_13_probability_rises_by_lowering_the_others(notebook):
    kc, folder = notebook
    run_ok(kc, cell_source('seed(2)\nby_score'))
    values = saved(kc, folder, score_logit="by_score.logit", probability_logit="by_probability.logit",
                   probability_others="by_probability.others")
    score_gain = values["score_logit"][-1] - values["score_logit"][0]
    probability_gain = values["probability_logit"][-1] - values["probability_logit"][0]
    others = values["probability_others"]
    assert probability_gain < 0.1 * score_gain and abs(others[-1] - others[0]) < 5, (score_gain, probability_gain, others[0], others[-1])


def test_1_16_l2_is_greyer_than_none(notebook):
    kc, folder = notebook
    run_ok(kc, cell_source('seed(0)\nplain = visualize'))
    run_ok(kc, cell_source('seed(0)\nwith_l2 = visualize'))
    values = saved(kc, folder, plain="plain", l2="with_l2")
    spread = {name: np.abs(x - x.mean(axis=(0, 1))).mean() for name, x in values.items()}
    assert spread["l2"] < 0.8 * spread["plain"], spread


def test_1_19_diversity_pushes_the_images_apart(notebook):
    kc, folder = notebook
    run_ok(kc, cell_source('seed(0)\nspread = diversity'))
    similarity = saved(kc, folder, similarity="spread.similarity")["similarity"]
    assert similarity[0] > 0.95 and similarity[-1] < 0.5, (similarity[0], similarity[-1])
