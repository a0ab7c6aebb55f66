"""adversarial's methods, fooling images and the adversarial patch through the kernel, with the
numbers read back by save(x, "f.npy") and checked here with numpy.

The acceptance run (ten classes on chelsea, the patch on the sample photos) takes minutes; it runs
only with CONVLENS_ACCEPTANCE=1 and prints its figures (pytest -s shows them), writing the
pictures to $CONVLENS_ACCEPTANCE_OUT (default out/attacks)."""
from __future__ import annotations

import os
import pathlib

import numpy as np
import pytest

from conftest import execute, iopub_until_idle, shell_reply


def run_ok(kc, code, timeout=None):
    if timeout is None:
        reply, messages = execute(kc, code)
    else:
        msg_id = kc.execute(code)
        reply = shell_reply(kc, msg_id, timeout=timeout)
        messages = iopub_until_idle(kc, msg_id, timeout=timeout)
    assert reply["content"]["status"] == "ok", reply["content"]
    return messages


def texts(messages):
    return [m["content"]["data"].get("text/plain", "") for m in messages
            if m["msg_type"] in ("display_data", "update_display_data", "execute_result")]


def test_fgsm_changes_every_pixel_by_epsilon_and_pgd_stays_in_the_ball(kernel, tmp_path):
    _, kc = kernel
    files = {name: tmp_path / f"{name}.npy" for name in ("original", "fgsm", "pgd", "curve")}
    # Egyptian cat is chelsea's top class (44%): the iterative recipe stops at once and returns the crop unchanged.
    run_ok(kc, 'net = model("squeezenet")\ncat = image("chelsea")\nseed(1)\n'
               'o = adversarial(net, cat, class: "Egyptian cat")\n'
               'f = adversarial(net, cat, class: "goldfish", method: "fgsm", epsilon: 4)\n'
               'p = adversarial(net, cat, class: "goldfish", method: "pgd", epsilon: 3, rate: 1, steps: 5, random_start: true)\n'
               f'save(o, "{files["original"]}")\nsave(f, "{files["fgsm"]}")\nsave(p, "{files["pgd"]}")\n'
               f'save(p.probabilities, "{files["curve"]}")')
    original, fgsm, pgd = (np.load(files[name]).astype(np.float64) for name in ("original", "fgsm", "pgd"))
    assert original.shape == fgsm.shape == (227, 227, 3)
    change = (fgsm - original) * 255
    free = (original > 4.5 / 255) & (original < 1 - 4.5 / 255)
    # Away from black and white, FGSM moves each value by exactly epsilon (+-4 grey levels), or not
    # at all where the gradient is exactly 0 (units after a ReLU that is off everywhere they see).
    moved = np.abs(change[free])
    assert np.all(np.isclose(moved, 4, atol=1e-3) | (moved == 0)), moved
    assert np.mean(moved > 0) > 0.95, np.mean(moved > 0)
    assert np.abs(change).max() <= 4 + 1e-3
    assert np.abs(pgd - original).max() * 255 <= 3 + 1e-3
    assert 0 <= pgd.min() and pgd.max() <= 1
    assert np.load(files["curve"]).shape == (6,)
    # The members read the same numbers.
    messages = run_ok(kc, "[f.linf, f.steps, p.steps, o.steps]")
    assert any("4" in text and "5" in text for text in texts(messages)), texts(messages)


def test_fooling_forms_in_place_and_is_repeatable(kernel, tmp_path):
    _, kc = kernel
    first, second, curve = tmp_path / "a.npy", tmp_path / "b.npy", tmp_path / "curve.npy"
    messages = run_ok(kc, 'net = model("squeezenet")\n'
                          f'seed(7)\na = fooling(net, class: "goldfish", steps: 3, confidence: 0.999)\nsave(a, "{first}")\n'
                          f'save(a.objective, "{curve}")\n'
                          f'seed(7)\nb = fooling(net, class: "goldfish", steps: 3, confidence: 0.999)\nsave(b, "{second}")\na')
    assert first.read_bytes() == second.read_bytes(), "same seed, same bytes"
    p = np.load(curve)
    assert p.shape == (4,) and p[-1] > p[0], p
    assert any("step 3/3, objective" in text for text in texts(messages)), texts(messages)


def test_patch_trains_reports_and_saves(kernel, tmp_path):
    _, kc = kernel
    patch, curve = tmp_path / "patch.npy", tmp_path / "curve.npy"
    messages = run_ok(kc, 'net = model("squeezenet")\nseed(3)\n'
                          'q = patch(net, samples([\"chelsea\", \"dog\", \"coffee\", \"horses\"]), class: "toaster", steps: 5, batch: 2)\n'
                          f'save(q, "{patch}")\nsave(q.objective, "{curve}")\nq.success', timeout=120)
    pixels = np.load(patch)
    # sqrt(0.1 * 227 * 227) = 71.8: a 72-pixel square.
    assert pixels.shape == (72, 72, 3) and 0 <= pixels.min() and pixels.max() <= 1
    assert np.load(curve).shape == (5,)
    assert any("step 5/5, objective" in text for text in texts(messages)), texts(messages)


TEN = ["goldfish", "king penguin", "school bus", "toaster", "pizza", "banana", "volcano", "broccoli", "castle",
       "tree frog"]


@pytest.mark.skipif(os.environ.get("CONVLENS_ACCEPTANCE") != "1", reason="minutes long; set CONVLENS_ACCEPTANCE=1")
def test_acceptance_figures(kernel, tmp_path):
    _, kc = kernel
    out = pathlib.Path(os.environ.get("CONVLENS_ACCEPTANCE_OUT", "out/attacks")).resolve()
    out.mkdir(parents=True, exist_ok=True)
    run_ok(kc, 'net = model("squeezenet")\ncat = image("chelsea")\nseed(1)')
    rows = []
    for name in TEN:
        slug = name.replace(" ", "_")
        numbers = tmp_path / f"{slug}.npy"
        run_ok(kc, f'a = adversarial(net, cat, class: "{name}", epsilon: 7, confidence: 0.99, steps: 300)\n'
                   f'f = fooling(net, class: "{name}", confidence: 0.99, steps: 300)\n'
                   f'save(a, "{out}/adversarial_{slug}.png")\nsave(f, "{out}/fooling_{slug}.png")\n'
                   f'save([a.linf, a.probability, a.steps, f.probability, f.steps], "{numbers}")', timeout=900)
        rows.append((name, *np.load(numbers)))
    print("\nclass            adv L-inf/255  adv p     steps   fooling p  steps")
    for name, linf, p, steps, fp, fsteps in rows:
        print(f"{name:16s} {linf:8.2f}      {p:.4f}  {int(steps):5d}   {fp:.4f}    {int(fsteps):5d}")
    success = tmp_path / "success.npy"
    run_ok(kc, 'seed(1)\nphotos = samples() + dataset("imagenet-sample").image\n'
               'q = patch(net, photos, class: "toaster", size: 0.1, steps: 400)\n'
               f'save(q, "{out}/patch_toaster.png")\nsave([q.success], "{success}")', timeout=3600)
    rate = float(np.load(success)[0])
    print(f"patch (toaster, 10% of the area) held-out success rate: {rate:.3f}")
    assert all(p >= 0.99 and linf < 8 for _, linf, p, *_ in rows)
    assert all(fp >= 0.99 for *_, fp, _ in rows)
    assert rate >= 0.5
