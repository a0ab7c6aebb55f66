"""Claims notebook 002 (the UPC interpretability lecture) makes about its network-dissection
pictures, checked on their numbers (issue 14). One assertion per claim:

The figure, table and chart come from one call, dissect(net, ["fire3", "fire5", "fire9"], ...).

- fire9's six best units: most of them (at least 4 of 6) are labelled with an object concept (a
  pasted cut-out), read from the IoU matrix the figure saves and the concept set's categories.
- more than a third of fire9's 512 units get a label (best IoU > 0.04).
- fire9 has several times (at least 3x) as many object units as fire3 or fire5.
- most of fire5's labelled units are texture units.
"""
import json
import os
from pathlib import Path

import numpy as np

from test_notebook_claims import cell_source, run_ok, saved, start_kernel

NOTEBOOK = "002_upc_interpretability.ipynb"
ASSETS = Path(os.environ.get("CONVLENS_ASSETS", Path(__file__).resolve().parents[2] / ".cache" / "assets"))


def test_002_dissection_claims(tmp_path):
    km, kc = start_kernel()
    try:
        run_ok(kc, cell_source("seed(0)\nnet = model()", NOTEBOOK))
        cell = cell_source('d = dissect(net, ["fire3", "fire5", "fire9"]', NOTEBOOK)
        run_ok(kc, cell)
        # The same call (same images, same seed) returning the bar chart it shows, for its numbers.
        call = cell.split("\n")[0].removeprefix("d = ")
        run_ok(kc, "layers_chart = " + call.removesuffix(")") + ', result: "chart")')
        values = saved(kc, tmp_path, iou="d", chart="layers_chart")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    concepts = json.loads((ASSETS / "concepts" / "broden-lite" / "concepts.json").read_text())["concepts"]
    categories = np.array([c["category"] for c in concepts])
    iou = values["iou"]
    best = iou.max(axis=1)
    top_units = np.argsort(-best, kind="stable")[:6]
    assert (categories[iou[top_units].argmax(axis=1)] == "object").sum() >= 4, categories[iou[top_units].argmax(axis=1)]
    assert (best > 0.04).sum() > 512 / 3, (best > 0.04).sum()
    chart = values["chart"]  # [fire3, fire5, fire9] x [object, texture, colour]
    assert chart[2, 0] >= 3 * max(chart[0, 0], chart[1, 0]), chart
    assert chart[1, 1] > chart[1].sum() / 2, chart
