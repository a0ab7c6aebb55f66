"""Widgets in a real browser: JupyterLab 4 with the stock jupyterlab_widgets front end, headless
Chromium, a notebook with `explore(model(), image("chelsea"))`. The widget must render (no
"Error displaying widget", no "Loading widget..." left, which also checks that the minimal
Layout and style states the kernel sends are enough for JupyterLab 4's widget manager), and
moving the channel slider's handle with the mouse, then with the keyboard, must change the
picture's src within two seconds. Screenshots under out/browser/ (git-ignored)."""
import json
import os
import time

import pytest

from browser_support import SCREENSHOTS, browser, lab, wait_for  # noqa: F401 (fixtures)

KERNEL_NAME = os.environ.get("CONVLENS_KERNEL_NAME", "convlens")
CODE = 'explore(model(), image("chelsea"))'

# The explore widget's parts in the first output: its slider handle, its picture, and what the output says.
WIDGET = """
const output = document.querySelector('.jp-OutputArea-output');
if (!output) return null;
const image = output.querySelector('img.widget-image');
return {text: output.innerText,
        handles: output.querySelectorAll('.widget-slider .noUi-handle').length,
        selects: output.querySelectorAll('.widget-dropdown select').length,
        src: image ? image.src : null, width: image ? image.naturalWidth : 0,
        label: Array.from(output.querySelectorAll('.widget-label')).map(l => l.innerText).join(' | ')};
"""


def notebook(path):
    path.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "explore", "metadata": {}, "outputs": [],
                   "source": [CODE]}],
        "metadata": {"kernelspec": {"display_name": "ConvLens", "language": "convlens", "name": KERNEL_NAME},
                     "language_info": {"name": "convlens", "file_extension": ".cvl", "mimetype": "text/x-convlens"}},
        "nbformat": 4, "nbformat_minor": 5}))


def poll(driver, condition, timeout):
    """The widget's facts once `condition` holds, or the last ones seen after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    facts = None
    while time.monotonic() < deadline:
        facts = driver.execute_script(WIDGET)
        if facts and condition(facts):
            return facts, True
        time.sleep(0.05)
    return facts, False


def shoot(driver, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / name))


def test_explore_slider_changes_the_picture(browser, lab):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, token, root = lab
    notebook(root / "explore.ipynb")
    browser.get(f"{base}/lab/tree/explore.ipynb?token={token}")
    wait_for(browser, lambda s: s["ready"] and s["status"] == "idle", 120, "the notebook and its kernel")
    browser.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells'); return true;")
    wait_for(browser, lambda s: s["executed"] == s["code"] and s["running"] == 0 and s["status"] == "idle",
             300, "explore's cell to run")
    facts, rendered = poll(browser, lambda f: f["handles"] == 1 and f["src"] and f["width"] > 0, 30)
    shoot(browser, "explore.png")
    assert rendered, f"the widget did not render: {facts}"
    assert "Error displaying widget" not in facts["text"], facts["text"]
    assert "Loading widget" not in facts["text"], facts["text"]
    assert facts["selects"] == 2, facts
    assert "channel 0 of 64" in facts["label"], facts["label"]

    # The mouse: drag the handle to the right along the track.
    handle = browser.find_element(By.CSS_SELECTOR, ".jp-OutputArea-output .widget-slider .noUi-handle")
    before = facts["src"]
    started = time.monotonic()
    ActionChains(browser).click_and_hold(handle).move_by_offset(60, 0).release().perform()
    facts, changed = poll(browser, lambda f: f["src"] != before, 2)
    print(f"picture changed {time.monotonic() - started:.2f} s after the drag began; label: {facts['label']}")
    shoot(browser, "explore-dragged.png")
    assert changed, f"the picture did not change within 2 s of dragging the slider: {facts}"
    assert "channel 0 of 64" not in facts["label"], facts["label"]

    # The keyboard: the focused handle moves one step per arrow key.
    handle = browser.find_element(By.CSS_SELECTOR, ".jp-OutputArea-output .widget-slider .noUi-handle")
    before = facts["src"]
    handle.send_keys(Keys.ARROW_RIGHT)
    facts, changed = poll(browser, lambda f: f["src"] != before, 2)
    shoot(browser, "explore-arrow.png")
    assert changed, f"the picture did not change within 2 s of an arrow key on the slider: {facts}"
    if not facts["width"]:
        pytest.fail(f"the new picture did not load: {facts}")


TRAIN = ('seed(1)\nd = dataset("mnist", count: 2000)\nnet = convnet("conv 5x5 8 relu, pool 2, fc 10", input: [1, 28, 28])\n'
         'h = train(net, d, epochs: 8, batch: 20)')

# The running train cell: its pause button's label and the dashboard picture's src.
TRAINING = """
const output = document.querySelector('.jp-Cell .jp-OutputArea');
if (!output) return null;
const buttons = Array.from(output.querySelectorAll('button.widget-button')).map(b => b.innerText.trim());
const images = Array.from(output.querySelectorAll('img')).filter(i => !i.closest('.widget-image'));
return {buttons, src: images.length ? images[images.length - 1].src : null};
"""


def test_pause_button_stops_a_running_train(browser, lab):
    from selenium.webdriver.common.by import By

    base, token, root = lab
    path = root / "train.ipynb"
    notebook(path)
    data = json.loads(path.read_text())
    data["cells"][0]["source"] = [TRAIN]
    path.write_text(json.dumps(data))
    browser.get(f"{base}/lab/tree/train.ipynb?token={token}")
    wait_for(browser, lambda s: s["ready"] and s["status"] == "idle", 120, "the notebook and its kernel")
    browser.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells'); return true;")

    def training(condition, timeout):
        deadline = time.monotonic() + timeout
        facts = None
        while time.monotonic() < deadline:
            facts = browser.execute_script(TRAINING)
            if facts and condition(facts):
                return facts, True
            time.sleep(0.05)
        return facts, False

    facts, shown = training(lambda f: "pause" in f["buttons"] and f["src"], 120)
    shoot(browser, "train-running.png")
    assert shown, f"no pause button and dashboard while training: {facts}"
    # The dashboard moves while training runs...
    before = facts["src"]
    facts, moving = training(lambda f: f["src"] != before, 10)
    assert moving, "the dashboard did not update while training"
    browser.find_element(By.XPATH, "//button[contains(@class, 'widget-button')][normalize-space()='pause']").click()
    facts, paused = training(lambda f: "resume" in f["buttons"], 5)
    assert paused, f"the button did not turn into resume: {facts}"
    # ...and stands still once paused (the paused frame may take one report to arrive).
    time.sleep(1.0)
    held = browser.execute_script(TRAINING)["src"]
    facts, moved = training(lambda f: f["src"] != held, 2.5)
    shoot(browser, "train-paused.png")
    assert not moved, "the dashboard kept changing while paused"
    browser.find_element(By.XPATH, "//button[contains(@class, 'widget-button')][normalize-space()='resume']").click()
    facts, resumed = training(lambda f: f["src"] != held, 10)
    assert resumed, "training did not resume"
    state = wait_for(browser, lambda s: s["running"] == 0 and s["status"] == "idle", 300, "training to finish")
    assert not state["errors"], state["errors"]
    facts = browser.execute_script(TRAINING)
    shoot(browser, "train-finished.png")
    assert facts["buttons"] == [], f"the controls should be gone once training ended: {facts}"
