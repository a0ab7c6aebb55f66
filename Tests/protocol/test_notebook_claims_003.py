"""Claims notebook 003 (Michigan lecture 14) makes about its pictures, checked on the pictures'
numbers through the kernel: each test runs the notebook's own cells (found by the start of their
source) and reads the values with save(x, "f.npy"). One assertion per claim; the claims:

1. Nearest neighbours (fire9, mean-pooled, query left out): (a) the horse's six are hoofed mammals
   (photos 54-118 are the mammals); (b) the sports car's two nearest are cars; (c) after them come the
   chile, the yam and the Christmas hat; (d) the electric guitar's three nearest are the other guitars.
2. PCA vs t-SNE of LeNet fc1: (a) t-SNE gives one group per digit (a point's 5 nearest neighbours in
   the map share its digit 95% of the time or more); (b) PCA leaves them overlapping (below 80%).
3. Activations: of fire6 channels 0-11 on the zebra, the four brightest are 2, 3, 7 and 9.
4. Occlusion of the zebra: (a) every position that brings P(zebra) below 0.8 covers mostly zebra;
   (b) the worst is 0.63 (within 0.01); (c) squares over the grey background alone keep it above 0.93;
   (d) no square changes the answer (P(zebra) stays above 0.5).
5. Segmentation from saliency, zebra without a box: (a) the mask takes none of the grey (95% or more
   of it is zebra); (b) the legs (bottom fifth of the photo) and (c) the head (left 20 columns) are
   left out.
6. Segmentation with a box around the horse: (a) the mask is the horse (intersection over union with
   its cut-out at least 0.9); (b) almost none of the grey (98% or more of the mask is horse); (c) the
   tail and hind legs (left 20 columns) and (d) the head (right 25 columns) are in; (e) the legs too
   (half or more of the horse in the bottom fifth).
7. Adversarial examples: the attacked zebra is classified as a school bus.
8. MNIST at epsilon 0.3: (a) the plain LeNet is fooled into a 3, (b) the adversarially trained one is not.
9. Feature inversion: the reconstruction drifts further from the photo with depth (mean absolute
   pixel difference conv2_2 < conv3_3 < conv4_3).
"""
from pathlib import Path

import nbformat
import numpy as np

from conftest import ok, stdout

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "003_michigan_visualizing.ipynb"
SLOW = 300
SETUP = "seed(0)\nnet = model()"


def cell(starts_with):
    nb = nbformat.read(ROOT / "notebooks" / NOTEBOOK, 4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with))


def run(kc, *prefixes):
    for prefix in prefixes:
        ok(kc, cell(prefix), timeout=SLOW)


def load(kc, tmp_path, **values):
    """Saves each named expression's numbers and returns them as arrays."""
    ok(kc, "\n".join(f'save({expr}, "{tmp_path}/{name}.npy")' for name, expr in values.items()), timeout=SLOW)
    return {name: np.load(tmp_path / f"{name}.npy") for name in values}


def object_mask(pixels):
    """A cut-out photo's object: pixels that differ from its plain grey background (the corner)."""
    return np.abs(pixels - pixels[0, 0]).max(axis=2) > 0.04


def centre_crop(shape, side=227, shorter=256):
    """The part of a photo the network looks at: shorter side to 256, centre 227 (as InputRegion measures)."""
    h, w = shape
    extent = min(h, w) * side / shorter
    return (h - extent) / 2, (w - extent) / 2, extent


def test_neighbours_share_kind_first(kernel, tmp_path):
    """Claim 1."""
    _, kc = kernel
    run(kc, SETUP, "queries = [")
    n = load(kc, tmp_path, n="n.neighbors")["n"].astype(int).reshape(4, 6)
    assert set(n[0]) <= set(range(54, 119)), n[0]
    assert set(n[1, :2]) <= {309, 310, 315, 320}, n[1]
    assert list(n[1, 2:5]) == [157, 171, 265], n[1]
    assert set(n[3, :3]) == {181, 182, 183}, n[3]


def test_tsne_separates_digits_pca_does_not(kernel, tmp_path):
    """Claim 2."""
    _, kc = kernel
    run(kc, SETUP, "lenet = model(", "digits = mnist(")
    v = load(kc, tmp_path, t="points", p="pca(codes)", y="digits.label")

    def agreement(points, labels):
        d = ((points[:, None, :] - points[None, :, :]) ** 2).sum(-1)
        np.fill_diagonal(d, np.inf)
        nearest = np.argsort(d, axis=1)[:, :5]
        return (labels[nearest] == labels[:, None]).mean()

    labels = v["y"].astype(int)
    assert agreement(v["t"], labels) >= 0.95
    assert agreement(v["p"], labels) < 0.8


def test_fire6_channels_on_the_zebra(kernel, tmp_path):
    """Claim 3."""
    _, kc = kernel
    run(kc, SETUP, "zebra = photos[99]")
    a = load(kc, tmp_path, a='activations(net, zebra, "fire6", channels: 0..11)')["a"]
    assert set(np.argsort(a.reshape(12, -1).max(1))[-4:]) == {2, 3, 7, 9}


def test_occlusion_of_the_zebra(kernel, tmp_path):
    """Claim 4: positions are the notebook's 48-pixel squares at stride 12 over the 227-pixel crop."""
    _, kc = kernel
    run(kc, SETUP, "zebra = photos[99]")
    v = load(kc, tmp_path, p="occlusion(net, zebra, window: 48, stride: 12)", photo="zebra")
    p, mask = v["p"], object_mask(v["photo"])
    y0, x0, extent = centre_crop(mask.shape)
    starts = [min(12 * i, 227 - 48) for i in range(p.shape[0])]

    def zebra_share(i, j):
        rows = (y0 + (np.arange(starts[i], starts[i] + 48) + 0.5) * extent / 227).astype(int)
        cols = (x0 + (np.arange(starts[j], starts[j] + 48) + 0.5) * extent / 227).astype(int)
        return mask[np.ix_(rows, cols)].mean()

    share = np.array([[zebra_share(i, j) for j in range(p.shape[1])] for i in range(p.shape[0])])
    assert (share[p < 0.8] > 0.5).all(), share[p < 0.8]
    assert abs(p.min() - 0.63) < 0.01, p.min()
    assert (p[share == 0] > 0.93).all(), p[share == 0].min()
    assert p.min() > 0.5


def test_segmentation_of_the_zebra(kernel, tmp_path):
    """Claim 5."""
    _, kc = kernel
    run(kc, SETUP, "zebra = photos[99]", "show(saliency(net, zebra))")
    v = load(kc, tmp_path, m="segment(zebra, s)", photo="zebra")
    m, obj = v["m"] > 0.5, object_mask(v["photo"])
    fifth = int(0.8 * m.shape[0])
    assert (m & obj).sum() / m.sum() >= 0.95
    assert (m & obj)[fifth:].sum() / obj[fifth:].sum() < 0.05
    assert (m & obj)[:, :20].sum() / obj[:, :20].sum() < 0.05


def test_segmentation_of_the_horse_in_a_box(kernel, tmp_path):
    """Claim 6."""
    _, kc = kernel
    run(kc, SETUP)
    source = cell("horse = photos[98]")
    ok(kc, "horse = photos[98]", timeout=SLOW)
    v = load(kc, tmp_path, m=source.splitlines()[-1], photo="horse")
    m, obj = v["m"] > 0.5, object_mask(v["photo"])
    fifth = int(0.8 * m.shape[0])
    assert (m & obj).sum() / (m | obj).sum() >= 0.9
    assert (m & obj).sum() / m.sum() >= 0.98
    assert (m & obj)[:, :20].sum() / obj[:, :20].sum() >= 0.8
    assert (m & obj)[:, -25:].sum() / obj[:, -25:].sum() >= 0.7
    assert (m & obj)[fifth:].sum() / obj[fifth:].sum() >= 0.45


def test_adversarial_zebra_becomes_a_school_bus(kernel, tmp_path):
    """Claim 7."""
    _, kc = kernel
    run(kc, SETUP, "zebra = photos[99]")
    ok(kc, 'a = adversarial(net, zebra, class: "school bus")', timeout=SLOW)
    top = load(kc, tmp_path, p="logits(net, a)")["p"]
    assert int(np.argmax(top)) == 779, np.argsort(top.ravel())[-3:]


def test_mnist_budget_fools_only_the_plain_lenet(kernel, tmp_path):
    """Claim 8."""
    _, kc = kernel
    run(kc, SETUP, "lenet = model(", "digits = mnist(")
    ok(kc, "seven = digits.image[0]\n"
           "a = adversarial(lenet, seven, class: 3, epsilon: 77)\n"
           "robust = model(\"lenet_mnist_adv\")\n"
           "b = adversarial(robust, seven, class: 3, epsilon: 77)", timeout=SLOW)
    v = load(kc, tmp_path, plain="logits(lenet, a)", adv="logits(robust, b)")
    assert int(np.argmax(v["plain"])) == 3, v["plain"]
    assert int(np.argmax(v["adv"])) != 3


def test_inversion_drifts_with_depth(kernel, tmp_path):
    """Claim 9: compared with the photo's centre crop at 96 pixels (nearest sampling)."""
    _, kc = kernel
    run(kc, SETUP)
    ok(kc, 'horse = photos[98]\nvgg = model("vgg16")', timeout=SLOW)
    v = load(kc, tmp_path, photo="horse",
             **{layer: f'invert(vgg, horse, "{layer}", size: 96, steps: 40)'
                for layer in ("conv2_2", "conv3_3", "conv4_3")})
    photo = v["photo"]
    h, w = photo.shape[:2]
    side = min(h, w)
    idx = (np.arange(96) + 0.5) * side / 96
    crop = photo[np.ix_(((h - side) / 2 + idx).astype(int), ((w - side) / 2 + idx).astype(int))]
    error = [np.abs(v[layer] - crop).mean() for layer in ("conv2_2", "conv3_3", "conv4_3")]
    assert error[0] < error[1] < error[2], error
