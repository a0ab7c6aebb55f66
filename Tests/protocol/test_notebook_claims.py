"""Claims the course notebooks make about their pictures, checked on the pictures' numbers: if an
engine change or a new default makes a sentence false, this fails (issue "Classroom-ready")."""
from pathlib import Path

import nbformat
import numpy as np

from conftest import execute

ROOT = Path(__file__).resolve().parents[2]


def cell_source(notebook, starts_with):
    nb = nbformat.read(ROOT / "notebooks" / notebook, 4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with))


def run_ok(kc, code):
    reply, _ = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]


def test_000_section_1_3_tone_mapping(kernel, tmp_path):
    """000 §1.3: the saliency map runs from 0 to about 1.65 with half its values below 0.08; under
    minmax the typical value is about 5% grey; clip gives the brighter picture of the two."""
    _, kc = kernel
    run_ok(kc, cell_source("000_wonka_visualization.ipynb", "seed(0)\nnet = model()"))
    run_ok(kc, cell_source("000_wonka_visualization.ipynb", 's = saliency(net, cat, class: "tabby")'))
    saves = [f'save(s, "{tmp_path}/s.npy")']
    for mode in ("minmax", "clip"):
        saves.append(f'save(tonemap(s, mode: "{mode}"), "{tmp_path}/{mode}.png")')
        saves.append(f'save(image("{tmp_path}/{mode}.png"), "{tmp_path}/{mode}.npy")')
    run_ok(kc, "\n".join(saves))
    s = np.load(tmp_path / "s.npy")
    assert s.min() == 0 and 1.55 <= s.max() <= 1.75, (s.min(), s.max())
    assert np.median(s) < 0.08
    # The drawn maps (the caption strip under them left out), as grey levels in 0..1.
    drawn = {mode: np.load(tmp_path / f"{mode}.npy")[: s.shape[0], : s.shape[1]].mean(axis=2) for mode in ("minmax", "clip")}
    assert abs(np.median(drawn["minmax"]) - 0.05) < 0.015, np.median(drawn["minmax"])
    assert drawn["clip"].mean() > drawn["minmax"].mean() * 1.3, {m: d.mean() for m, d in drawn.items()}
