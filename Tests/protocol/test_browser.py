"""A real browser: JupyterLab 4 (pinned in .venv) on loopback, driven by headless Chromium
(Debian `chromium` and `chromium-driver`, selenium from PyPI), opens a course notebook, runs all
its cells and takes a screenshot (out/browser/, git-ignored).

It asserts what a teacher would see: the notebook is not marked modified on opening (its
committed metadata is what the kernel reports), the kernel shows as ConvLens, no cell ends in
an error, and every output image has a non-zero natural size. Skipped, with the reason, only
where the browser cannot start; `make setup` installs it.
"""

import os
from pathlib import Path

from browser_support import SCREENSHOTS, browser, lab, wait_for  # noqa: F401 (fixtures)

# The course notebook the test runs (the quickest of the five); another with CONVLENS_BROWSER_NOTEBOOK.
NOTEBOOK = os.environ.get("CONVLENS_BROWSER_NOTEBOOK", "001_yao_visualization.ipynb")


def test_course_notebook_runs_clean_in_jupyterlab(browser, lab):
    base, token, root = lab
    browser.get(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
    state = wait_for(browser, lambda s: s["ready"] and s["status"] == "idle", 120, "the notebook and its kernel")
    assert state["kernel"] == "ConvLens", state
    assert state["dirty"] is False, "opening the notebook marked it modified (metadata differs from the kernel's)"
    # Not awaited: the command's promise settles only when every cell has run.
    browser.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells'); return true;")
    # Every code cell gets an execution count and no prompt shows [*]: the run is over.
    state = wait_for(browser, lambda s: s["executed"] == s["code"] and s["running"] == 0 and s["status"] == "idle",
                     1500, "all cells to run")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / (Path(NOTEBOOK).stem + ".png")))
    assert state["errors"] == [], state["errors"]
    sizes = browser.execute_script(
        "return Array.from(document.querySelectorAll('.jp-OutputArea-output img')).map(i => [i.naturalWidth, i.naturalHeight]);")
    assert sizes, "no output images"
    assert all(w > 0 and h > 0 for w, h in sizes), sizes
