"""Claims notebook 001 (Yao's lecture) makes about its pictures, checked on their numbers
(issue 14). One assertion per claim:

- dimensionality reduction: on the t-SNE map each kind of photo gathers in its own region, more
  than on the PCA map: the 5 nearest points share a point's kind for at least 0.75 of the photos
  under t-SNE, and at least 0.1 more often than under PCA.
- gradient ascent: blur and clipping (l2++) leave a smoother image than L2 alone (mean absolute
  difference between neighbouring pixels at most 0.7 times L2's).
"""
import numpy as np

from test_notebook_claims import cell_source, run_ok, saved, start_kernel

NOTEBOOK = "001_yao_visualization.ipynb"


def neighbours_agree(points, labels, k=5):
    distances = ((points[:, None, :] - points[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(distances, np.inf)
    nearest = np.argsort(distances, axis=1)[:, :k]
    predicted = np.array([np.bincount(row, minlength=labels.max() + 1).argmax() for row in labels[nearest]])
    return (predicted == labels).mean()


def test_001_claims(tmp_path):
    km, kc = start_kernel()
    try:
        run_ok(kc, cell_source("seed(0)\nnet = model()", NOTEBOOK))
        run_ok(kc, cell_source("seed(0)\ntable_l2", NOTEBOOK))
        run_ok(kc, cell_source("photos = images(", NOTEBOOK))
        run_ok(kc, "seed(0)")
        tsne_source = cell_source("scatter(tsne(last", NOTEBOOK)
        run_ok(kc, "t = " + tsne_source[len("scatter("):tsne_source.index(", labels:")])
        values = saved(kc, tmp_path, pca="pca(last)", tsne="t", kind="kind", l2="table_l2", pp="table_pp")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    kind = values["kind"].astype(int)
    pca, tsne = neighbours_agree(values["pca"], kind), neighbours_agree(values["tsne"], kind)
    assert tsne >= 0.75 and tsne >= pca + 0.1, (pca, tsne)
    roughness = {name: np.abs(np.diff(values[name], axis=1)).mean() for name in ("l2", "pp")}
    assert roughness["pp"] <= 0.7 * roughness["l2"], roughness
