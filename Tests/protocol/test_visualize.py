"""visualize through the kernel: every objective and regularizer for a few steps, the objective's
curve read back with save(v.objective, "f.npy"), the picture formed in place with the step and the
objective written under it, and section 1.13's two runs checked with numpy."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import execute

CELLS = {
    "logit": 'visualize(net, class: "flamingo", steps: 4, start: "zeros")',
    "probability": 'visualize(net, class: "flamingo", objective: "probability", steps: 4, start: "zeros")',
    "neuron": 'visualize(net, layer: "logits", neuron: [130], steps: 4)',
    "channel": 'visualize(net, layer: "fire5", channel: 3, steps: 4, regularizer: "l2")',
    "layer": 'visualize(net, layer: "fire3", steps: 4, regularizer: "none")',
    "preset": 'visualize(net, class: "flamingo", steps: 4, preset: 3)',
    "fourier": 'visualize(net, class: "flamingo", steps: 4, regularizer: "fourier", start: "noise")',
    "photo": 'visualize(net, class: "flamingo", steps: 4, start: image("chelsea"))',
}


@pytest.mark.parametrize("name", sorted(CELLS))
def test_each_objective_climbs_and_saves_its_curve(kernel, tmp_path, name):
    _, kc = kernel
    curve, pixels = tmp_path / "curve.npy", tmp_path / "pixels.npy"
    code = (f'net = model("squeezenet")\nseed(3)\nv = {CELLS[name]}\n'
            f'save(v.objective, "{curve}")\nsave(v, "{pixels}")\nv')
    reply, messages = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    objective = np.load(curve)
    assert objective.shape == (5,)
    assert objective[-1] > objective[0], objective
    image = np.load(pixels)
    assert image.shape == (227, 227, 3) and 0 <= image.min() and image.max() <= 1
    # The frame that formed in place says the step and the objective under it.
    texts = [m["content"]["data"].get("text/plain", "") for m in messages
             if m["msg_type"] in ("display_data", "update_display_data")]
    assert any("step 4/4, objective" in text for text in texts), texts


def test_probability_lowers_the_other_classes(kernel, tmp_path):
    _, kc = kernel
    files = {name: tmp_path / f"{name}.npy" for name in ("sl", "so", "pl", "po")}
    code = ('net = model("squeezenet")\n'
            'seed(1)\ns = visualize(net, class: "flamingo", steps: 6, regularizer: "none", start: "zeros")\n'
            'seed(1)\np = visualize(net, class: "flamingo", objective: "probability", steps: 6, regularizer: "none", start: "zeros")\n'
            f'save(s.logit, "{files["sl"]}")\nsave(s.others, "{files["so"]}")\n'
            f'save(p.logit, "{files["pl"]}")\nsave(p.others, "{files["po"]}")')
    reply, _ = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    sl, so, pl, po = (np.load(files[name]) for name in ("sl", "so", "pl", "po"))
    assert sl[0] == pl[0], "the same start"
    assert po[-1] - po[0] < so[-1] - so[0], "the probability run lowers the other logits more"
    assert sl[-1] - sl[0] > pl[-1] - pl[0], "the logit run raises the target's logit more"
