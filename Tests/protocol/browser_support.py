"""Shared pieces of the real-browser tests: headless Chromium (Debian `chromium` and
`chromium-driver`, selenium from PyPI), JupyterLab 4 on loopback serving a copy of the
notebooks folder with its app exposed as window.jupyterapp, and a poll of the notebook's state.
Screenshots go to out/browser/ (git-ignored)."""
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "out" / "browser"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as error:
        pytest.skip(f"selenium is not installed ({error}); run make setup")
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("chromium and chromedriver are not installed (Debian chromium, chromium-driver; make setup installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--disable-gpu"):
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except Exception as error:  # the browser itself could not start here (no display libraries, ...)
        pytest.skip(f"headless Chromium did not start: {str(error).splitlines()[0]}")
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def lab(tmp_path):
    """JupyterLab serving a copy of the notebooks folder, its app object exposed for the test."""
    root = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", root)
    port, token = _free_port(), uuid.uuid4().hex
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
               "--ServerApp.disable_check_xsrf=True"] + (["--allow-root"] if os.geteuid() == 0 else [])
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env={**os.environ, "HOME": str(tmp_path)}, cwd=root)
    deadline = time.monotonic() + 90
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert server.poll() is None, server.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "JupyterLab did not start within 90 s"
        time.sleep(0.5)
    yield f"http://127.0.0.1:{port}", token, root
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


# JavaScript run in the page: the notebook panel JupyterLab shows, and facts about it.
PANEL = "const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
STATE = PANEL + """
if (!panel || !panel.content || !panel.context || !panel.sessionContext) return null;
const cells = panel.content.model.cells;
let running = 0, errors = [], executed = 0, code = 0;
for (let i = 0; i < cells.length; i++) {
  const cell = cells.get(i);
  if (cell.type !== 'code') continue;
  code++;
  if (cell.executionCount) executed++;
  for (let j = 0; j < cell.outputs.length; j++) {
    const output = cell.outputs.get(j);
    if (output.type === 'error') errors.push(i + ': ' + JSON.stringify(output.toJSON()).slice(0, 300));
  }
}
document.querySelectorAll('.jp-InputPrompt').forEach(p => { if (p.textContent.includes('*')) running++; });
return {ready: panel.context.isReady, dirty: panel.context.model.dirty,
        kernel: panel.sessionContext.kernelDisplayName, status: panel.sessionContext.session && panel.sessionContext.session.kernel ? panel.sessionContext.session.kernel.status : 'none',
        running, errors, executed, code};
"""


def wait_for(driver, condition, timeout, what):
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        state = driver.execute_script(STATE)
        if state and condition(state):
            return state
        time.sleep(1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / "timeout.png"))
    pytest.fail(f"timed out after {timeout} s waiting for {what}; last state {state}")
