#!/usr/bin/env python3
"""Barnes-Hut t-SNE benchmark: ConvLens vs openTSNE vs scikit-learn, in one run.

Data: 5,000 points of dimension 50 from a seeded Gaussian mixture (10 clusters).
Every method: perplexity 30, theta 0.5, PCA initialisation, early exaggeration 12 for 250
iterations, 1,000 iterations in all, exact nearest neighbours, 2 threads.

Each tool reports its own KL divergence, computed against its own P and (for the Python tools)
with an approximate normaliser. To compare like with like, this script also evaluates every
final embedding against one common P (scikit-learn's recipe: 3 x perplexity exact neighbours,
binary search on sigma, symmetrised) with the exact normaliser Z, in float64.

Usage: python3 bench/tsne/run.py   (creates .venv-bench through bench/results.py if missing)
Writes the tsne section of bench/RESULTS.md.
"""
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import results  # noqa: E402

N, D, CLUSTERS, PERPLEXITY, THETA, ITERATIONS = 5000, 50, 10, 30.0, 0.5, 1000


def make_data(path):
    import numpy as np
    rng = np.random.default_rng(0)
    centres = rng.normal(0.0, 4.0, size=(CLUSTERS, D))
    labels = np.arange(N) % CLUSTERS
    points = (centres[labels] + rng.normal(0.0, 1.0, size=(N, D))).astype(np.float32)
    np.save(path, points)
    return points, labels


def common_p(points, perplexity):
    """scikit-learn's P: exact kNN (k = 3 perplexity + 1), binary search per row, symmetrised."""
    import numpy as np
    x = points.astype(np.float64)
    n = len(x)
    k = min(n - 1, int(3 * perplexity + 1))
    norms = (x * x).sum(1)
    idx = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k))
    for start in range(0, n, 500):
        block = np.maximum(norms[start:start + 500, None] + norms[None, :] - 2 * x[start:start + 500] @ x.T, 0)
        block[np.arange(len(block)), np.arange(start, start + len(block))] = np.inf
        part = np.argpartition(block, k, axis=1)[:, :k]
        idx[start:start + 500] = part
        dist[start:start + 500] = np.take_along_axis(block, part, 1)
    target = np.log(perplexity)
    beta = np.ones(n)
    low = np.full(n, -np.inf)
    high = np.full(n, np.inf)
    shifted = dist - dist.min(1, keepdims=True)
    for _ in range(100):
        w = np.exp(-shifted * beta[:, None])
        s = w.sum(1)
        h = np.log(s) + beta * (shifted * w).sum(1) / s
        diff = h - target
        if np.all(np.abs(diff) <= 1e-5):
            break
        up = diff > 0
        low = np.where(up, beta, low)
        high = np.where(up, high, beta)
        beta = np.where(up, np.where(np.isinf(high), beta * 2, (beta + high) / 2),
                        np.where(np.isinf(low), beta / 2, (beta + low) / 2))
    w = np.exp(-shifted * beta[:, None])
    cond = w / w.sum(1, keepdims=True)
    rows = np.repeat(np.arange(n), k)
    i_all = np.concatenate([rows, idx.ravel()])
    j_all = np.concatenate([idx.ravel(), rows])
    v_all = np.concatenate([cond.ravel(), cond.ravel()])
    key = i_all * n + j_all
    order = np.argsort(key, kind="stable")
    key, v_all = key[order], v_all[order]
    unique, first = np.unique(key, return_index=True)
    p = np.add.reduceat(v_all, first)
    p /= p.sum()
    return unique // n, unique % n, p


def kl_exact(p_rows, p_cols, p, y):
    import numpy as np
    y = y.astype(np.float64)
    n = len(y)
    z = 0.0
    sq = (y * y).sum(1)
    for start in range(0, n, 1000):
        d = np.maximum(sq[start:start + 1000, None] + sq[None, :] - 2 * y[start:start + 1000] @ y.T, 0)
        w = 1.0 / (1.0 + d)
        z += w.sum() - len(w)  # drop the diagonal, where w = 1
    d = ((y[p_rows] - y[p_cols]) ** 2).sum(1)
    q = 1.0 / (1.0 + d) / z
    return float((p * np.log(p / q)).sum())


def nn_agreement(y, labels):
    import numpy as np
    sq = (y * y).sum(1)
    d = sq[:, None] + sq[None, :] - 2 * y @ y.T
    np.fill_diagonal(d, np.inf)
    return float((labels[d.argmin(1)] == labels).mean())


def run_sklearn(points):
    from sklearn.manifold import TSNE
    model = TSNE(n_components=2, perplexity=PERPLEXITY, angle=THETA, method="barnes_hut", init="pca",
                 learning_rate="auto", early_exaggeration=12.0, max_iter=ITERATIONS, random_state=0, n_jobs=2)
    start = time.perf_counter()
    y = model.fit_transform(points)
    return time.perf_counter() - start, y, float(model.kl_divergence_)


def run_opentsne(points):
    from openTSNE import TSNE
    model = TSNE(n_components=2, perplexity=PERPLEXITY, theta=THETA, negative_gradient_method="bh",
                 neighbors="exact", initialization="pca", early_exaggeration=12, early_exaggeration_iter=250,
                 n_iter=ITERATIONS - 250, n_jobs=2, random_state=0, verbose=False)
    start = time.perf_counter()
    embedding = model.fit(points)
    return time.perf_counter() - start, np.asarray(embedding), float(embedding.kl_divergence)


def run_convlens(data_path, out_path):
    """`convlens bench tsne` on the same points; it prints {"seconds": .., "kl": ..} and writes the positions."""
    import numpy as np
    report = results.run_convlens("bench", "tsne", "--input", data_path, "--output", out_path,
                                  "--perplexity", str(PERPLEXITY), "--theta", str(THETA),
                                  "--iterations", str(ITERATIONS))
    return report["seconds"], np.load(out_path), float(report["kl"])


if __name__ == "__main__":
    results.convlens_binary()
    results.ensure_bench_venv(__file__)
    results.pin_threads()
    THREADS = results.THREADS
    import numpy as np
    import sklearn
    import openTSNE
    workdir = tempfile.mkdtemp(prefix="tsne-bench-")
    data_path = os.path.join(workdir, "points.npy")
    points, labels = make_data(data_path)
    p_rows, p_cols, p = common_p(points, PERPLEXITY)
    rows = []
    load_before = results.load_average()
    for name, version, runner in [
        ("scikit-learn", sklearn.__version__, lambda: run_sklearn(points)),
        ("openTSNE", openTSNE.__version__, lambda: run_opentsne(points)),
        ("ConvLens", "this tree", lambda: run_convlens(data_path, os.path.join(workdir, "convlens.npy"))),
    ]:
        seconds, y, own_kl = runner()
        rows.append((name, version, seconds, own_kl, kl_exact(p_rows, p_cols, p, y), nn_agreement(y, labels)))
        print(f"{name:13s} {seconds:7.2f} s  own KL {own_kl:.4f}  common KL {rows[-1][4]:.4f}  "
              f"1-NN label agreement {rows[-1][5]:.3f}", flush=True)
    sk = rows[0]
    text = (f"## Barnes-Hut t-SNE, {N} x {D} Gaussian mixture ({CLUSTERS} clusters, seed 0)\n\n"
            f"perplexity {PERPLEXITY:g}, theta {THETA}, {ITERATIONS} iterations (250 exaggerated x12), PCA init, "
            f"exact kNN, {THREADS} threads. Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
            f"{platform.machine()}, {os.cpu_count()} cores, load average (1/5/15 min) {load_before} before, "
            f"{results.load_average()} after (other work shares the machine; compare within one run). "
            "ConvLens via: `convlens bench tsne`, release build.\n\n"
            "Common KL = KL(P || Q) of each final embedding against one P (scikit-learn's recipe) with the "
            "exact normaliser, float64; own KL = what each tool reports about itself.\n\n"
            "| tool | version | seconds | own KL | common KL | common KL / scikit-learn | 1-NN label agreement |\n"
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n")
    for name, version, seconds, own_kl, common_kl, agreement in rows:
        text += (f"| {name} | {version} | {seconds:.2f} | {own_kl:.4f} | {common_kl:.4f} | "
                 f"{common_kl / sk[4]:.3f} | {agreement:.3f} |\n")
    ours = rows[2]
    text += (f"\nGoal: ConvLens common KL within 5% of scikit-learn's -> "
             f"{'met' if ours[4] <= 1.05 * sk[4] else 'NOT met'}; faster than both -> "
             f"{'met' if ours[2] < min(rows[0][2], rows[1][2]) else 'NOT met'}.\n")
    results.replace_section("tsne", text)
    print(text)
