#!/usr/bin/env python3
"""Barnes-Hut t-SNE benchmark: ConvLens vs openTSNE vs scikit-learn, in one run.

Data: 5,000 points of dimension 50 from a seeded Gaussian mixture (10 clusters).
Every method: perplexity 30, theta 0.5, PCA initialisation, early exaggeration 12 for 250
iterations, 1,000 iterations in all, exact nearest neighbours, 2 threads.

Each tool reports its own KL divergence, computed against its own P and (for the Python tools)
with an approximate normaliser. To compare like with like, this script also evaluates every
final embedding against one common P (scikit-learn's recipe: 3 x perplexity exact neighbours,
binary search on sigma, symmetrised) with the exact normaliser Z, in float64.

Usage: python3 bench/tsne/run.py   (from the repository root; creates .venv-bench if missing)
Writes bench/RESULTS.md between <!-- tsne --> and <!-- /tsne -->.
"""
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, ".venv-bench")
PINS = ["numpy==2.4.6", "scikit-learn==1.9.1", "openTSNE==1.0.4"]
N, D, CLUSTERS, PERPLEXITY, THETA, ITERATIONS = 5000, 50, 10, 30.0, 0.5, 1000
THREADS = "2"


def ensure_venv():
    """Re-run this script inside .venv-bench, creating it with the pinned packages if needed."""
    python = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        return
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([python, "-m", "pip", "install", "-q"] + PINS)
    os.execv(python, [python] + sys.argv)


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


def convlens_command(workdir):
    """`convlens bench tsne` when wired; else compile the fallback harness from the engine sources."""
    for build in ("release", "debug"):
        binary = os.path.join(ROOT, ".build", build, "convlens")
        if os.path.exists(binary):
            probe = subprocess.run([binary, "bench", "tsne", "--help"], capture_output=True, text=True)
            # NOTE: argument parsers answer --help with status 0 even for unknown subcommands.
            if probe.returncode == 0 and "--perplexity" in probe.stdout:
                return lambda i, o: [binary, "bench", "tsne", "--input", i, "--output", o, "--perplexity",
                                     str(PERPLEXITY), "--theta", str(THETA), "--iterations", str(ITERATIONS)], \
                    f"convlens bench tsne ({build})"
    harness = os.path.join(workdir, "tsne-harness")
    sources = sorted(os.path.join(ROOT, "Sources/Engine/Embedding", f)
                     for f in os.listdir(os.path.join(ROOT, "Sources/Engine/Embedding")) if f.endswith(".swift"))
    sources.append(os.path.join(ROOT, "Sources/Engine/Support/SeededRandom.swift"))
    # Top-level code must live in a file named main.swift.
    main = os.path.join(workdir, "main.swift")
    with open(os.path.join(ROOT, "bench/tsne/harness_main.swift")) as source, open(main, "w") as copy:
        copy.write(source.read())
    subprocess.check_call(["swiftc", "-Ounchecked", "-swift-version", "5", "-I",
                           os.path.join(ROOT, "Sources/COpenBLAS")] + sources +
                          [main, "-o", harness,
                           "-lopenblas", "-llapacke"])
    return (lambda i, o: [harness, i, o, str(PERPLEXITY), str(THETA), str(ITERATIONS)],
            "Engine/Embedding compiled -Ounchecked with bench/tsne/harness_main.swift")


def run_convlens(command, data_path, out_path):
    result = subprocess.run(command(data_path, out_path), capture_output=True, text=True, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report["seconds"], np.load(out_path), float(report["kl"])


def write_results(text):
    path = os.path.join(ROOT, "bench", "RESULTS.md")
    old = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    section = "<!-- tsne -->\n" + text + "<!-- /tsne -->\n"
    if "<!-- tsne -->" in old and "<!-- /tsne -->" in old:
        head, rest = old.split("<!-- tsne -->", 1)
        tail = rest.split("<!-- /tsne -->", 1)[1].lstrip("\n")
        new = head + section + tail
    else:
        new = old.rstrip("\n") + "\n\n" + section
    open(path, "w").write(new)


if __name__ == "__main__":
    ensure_venv()
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = THREADS
    import numpy as np
    import sklearn
    import openTSNE
    workdir = tempfile.mkdtemp(prefix="tsne-bench-")
    data_path = os.path.join(workdir, "points.npy")
    points, labels = make_data(data_path)
    command, how = convlens_command(workdir)
    p_rows, p_cols, p = common_p(points, PERPLEXITY)
    rows = []
    for name, version, runner in [
        ("scikit-learn", sklearn.__version__, lambda: run_sklearn(points)),
        ("openTSNE", openTSNE.__version__, lambda: run_opentsne(points)),
        ("ConvLens", "this tree", lambda: run_convlens(command, data_path, os.path.join(workdir, "convlens.npy"))),
    ]:
        seconds, y, own_kl = runner()
        rows.append((name, version, seconds, own_kl, kl_exact(p_rows, p_cols, p, y), nn_agreement(y, labels)))
        print(f"{name:13s} {seconds:7.2f} s  own KL {own_kl:.4f}  common KL {rows[-1][4]:.4f}  "
              f"1-NN label agreement {rows[-1][5]:.3f}", flush=True)
    sk = rows[0]
    load = os.getloadavg()
    text = (f"## Barnes-Hut t-SNE, {N} x {D} Gaussian mixture ({CLUSTERS} clusters, seed 0)\n\n"
            f"perplexity {PERPLEXITY:g}, theta {THETA}, {ITERATIONS} iterations (250 exaggerated x12), PCA init, "
            f"exact kNN, {THREADS} threads. Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
            f"{platform.machine()}, {os.cpu_count()} cores, load average before the run {load[0]:.2f} "
            f"(other builds share the machine; compare within one run). ConvLens via: {how}.\n\n"
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
    write_results(text)
    print(text)
