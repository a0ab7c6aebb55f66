"""Claims notebook 004 (Berkeley CS182 lecture 10) makes about its pictures in the sections rewritten
so far (t-SNE perplexity, the ConvNetJS network trained live, feature inversion,
occlusion), checked on the pictures' numbers through
the kernel. Each test runs the notebook's own code cells in order up to the one it needs (the random
state then matches the notebook's) and reads values with save(x, "f.npy"). One assertion per claim:

1. Perplexity: (a) at 2 every digit falls apart into many strands (the graph joining each point to
   its 3 nearest neighbours in the map has more than 5 times as many connected pieces as at 30);
   (b) at 30 and (c) at 100 each digit is one group and the groups stay apart (a point's 5 nearest
   neighbours in the map share its digit 95% of the time or more).
2. The ConvNetJS network after 3000 digits gets about 90% of the 500 test digits right (85-95%).
3. Its layer 2 takes the test 7 apart: (a) channel 4 is brightest on the top bar (rows 0-4 of the
   14 x 14 map), (b) channel 11 on the slanted stroke (rows 5 and below).
4. Feature inversion: the conv2_2 reconstruction is nearer the photo than the conv5_3 one.
5. Occlusion of the husky photo: (a) SqueezeNet's top class is Siberian husky; (b) the worst position
   covers the head (top right) and (c) brings P below 0.02; (f) squares over the middle of the body
   (rows 5-7, columns 5-10 of the 16 x 16 positions) bring it to 0.05 or less; (d) squares over the grey background alone
   keep it between 0.14 and 0.2; (e) covering the curled tail (top left) raises it most, above 0.28.
"""
from pathlib import Path

import nbformat
import numpy as np

from conftest import ok

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "004_berkeley_visualization.ipynb"
SLOW = 300


def run_until(kc, starts_with):
    """Runs the notebook's code cells in order, through the first one starting with `starts_with`."""
    nb = nbformat.read(ROOT / "notebooks" / NOTEBOOK, 4)
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        ok(kc, c.source, timeout=SLOW)
        if c.source.startswith(starts_with):
            return
    raise AssertionError(f"no code cell starts with {starts_with!r}")


def load(kc, tmp_path, **values):
    """Saves each named expression's numbers and returns them as arrays."""
    ok(kc, "\n".join(f'save({expr}, "{tmp_path}/{name}.npy")' for name, expr in values.items()), timeout=SLOW)
    return {name: np.load(tmp_path / f"{name}.npy") for name in values}


def nearest(points, k):
    d = ((points[:, None, :] - points[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    return np.argsort(d, axis=1)[:, :k]


def agreement(points, labels):
    return (labels[nearest(points, 5)] == labels[:, None]).mean()


def pieces(points, k=3):
    """Connected components of the symmetric k-nearest-neighbour graph (union-find)."""
    parent = list(range(len(points)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, row in enumerate(nearest(points, k)):
        for j in row:
            parent[root(i)] = root(int(j))
    return len({root(i) for i in range(len(points))})


def test_perplexity(kernel, tmp_path):
    """Claim 1."""
    _, kc = kernel
    run_until(kc, "codes = features(")
    v = load(kc, tmp_path, p2="tsne(codes, perplexity: 2)", p30="points",
             p100="tsne(codes, perplexity: 100)", y="digits.label")
    labels = v["y"].astype(int)
    print("pieces", pieces(v["p2"]), pieces(v["p30"]), pieces(v["p100"]),
          "agreement", agreement(v["p30"], labels), agreement(v["p100"], labels))
    assert pieces(v["p2"]) > 5 * pieces(v["p30"])
    assert agreement(v["p30"], labels) >= 0.95
    assert agreement(v["p100"], labels) >= 0.95


def test_convnetjs_network(kernel, tmp_path):
    """Claims 2 and 3."""
    _, kc = kernel
    run_until(kc, "train_set = dataset(")
    v = load(kc, tmp_path, confusion="evaluate(cnn, test_set)",
             maps='activations(cnn, test_set.image[0], "conv2")')
    confusion, maps = v["confusion"], v["maps"].reshape(16, 14, 14)
    accuracy = np.trace(confusion) / confusion.sum()
    row = lambda channel: np.unravel_index(np.argmax(maps[channel]), (14, 14))[0]
    print("accuracy", accuracy, "rows", [row(c) for c in range(16)])
    assert 0.85 <= accuracy <= 0.95
    assert row(4) <= 4
    assert row(11) >= 5


def test_inversion_loses_the_photo_with_depth(kernel, tmp_path):
    """Claim 4: the conv2_2 reconstruction is nearer the photo than the conv5_3 one (mean absolute
    pixel difference against the photo's centre crop at 160 pixels, nearest sampling)."""
    _, kc = kernel
    nb = nbformat.read(ROOT / "notebooks" / NOTEBOOK, 4)
    source = next(c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith('vgg = model("vgg16")'))
    ok(kc, 'cat = image("chelsea")\nvgg = model("vgg16")', timeout=SLOW)
    calls = [line.removeprefix("show(").removesuffix(")") if line.startswith("show(") else line
             for line in source.splitlines()[1:]]
    v = load(kc, tmp_path, photo="cat", shallow=calls[0], deep=calls[1])
    photo = v["photo"]
    h, w = photo.shape[:2]
    side = min(h, w)
    idx = (np.arange(160) + 0.5) * side / 160
    crop = photo[np.ix_(((h - side) / 2 + idx).astype(int), ((w - side) / 2 + idx).astype(int))]
    assert np.abs(v["shallow"] - crop).mean() < np.abs(v["deep"] - crop).mean()


def test_occlusion_of_the_husky(kernel, tmp_path):
    """Claim 5, on the notebook's 48-pixel squares at stride 12 over the 227-pixel centre crop."""
    _, kc = kernel
    nb = nbformat.read(ROOT / "notebooks" / NOTEBOOK, 4)
    ok(kc, next(c.source for c in nb.cells if c.cell_type == "code" and "husky = " in c.source), timeout=SLOW)
    v = load(kc, tmp_path, p="occlusion(net, husky, window: 48, stride: 12)", photo="husky",
             logits="logits(net, husky)")
    p, photo = v["p"], v["photo"]
    mask = np.abs(photo - photo[0, -1]).max(axis=2) > 0.04
    h, w = mask.shape
    extent = min(h, w) * 227 / 256
    y0, x0 = (h - extent) / 2, (w - extent) / 2
    starts = [min(12 * i, 227 - 48) for i in range(p.shape[0])]

    def dog_share(i, j):
        rows = (y0 + (np.arange(starts[i], starts[i] + 48) + 0.5) * extent / 227).astype(int)
        cols = (x0 + (np.arange(starts[j], starts[j] + 48) + 0.5) * extent / 227).astype(int)
        return mask[np.ix_(rows, cols)].mean()

    share = np.array([[dog_share(i, j) for j in range(p.shape[1])] for i in range(p.shape[0])])
    worst = np.unravel_index(np.argmin(p), p.shape)
    best = np.unravel_index(np.argmax(p), p.shape)
    assert int(np.argmax(v["logits"])) == 250
    assert worst[0] <= 3 and worst[1] >= 12, worst
    assert p.min() < 0.02
    assert p[5:8, 5:11].max() <= 0.055, p[5:8, 5:11]
    assert ((p[share < 0.05] > 0.14) & (p[share < 0.05] < 0.2)).all(), p[share < 0.05]
    assert best[0] <= 2 and best[1] <= 3 and p.max() > 0.28, (best, p.max())
