"""The kernel behind real front ends: `jupyter console` (driven with pexpect)
and `jupyter nbconvert --execute`."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pexpect

from conftest import KERNEL_NAME

BIN = Path(sys.executable).parent


def test_jupyter_console_runs_cells():
    console = pexpect.spawn(str(BIN / "jupyter"), ["console", "--kernel", KERNEL_NAME, "--simple-prompt"],
                            encoding="utf-8", timeout=60, env={**os.environ, "TERM": "dumb"})
    try:
        console.expect(r"In \[1\]: ")
        console.sendline("1 + 2")
        console.expect(r"Out\[1\]: 3")
        console.expect(r"In \[2\]: ")
        console.sendline('print("hello, world")')
        console.expect("hello, world")
        console.expect(r"In \[3\]: ")
        console.sendeof()  # Ctrl-D leaves the console and shuts the kernel down
        if console.expect([r"really want to exit", pexpect.EOF]) == 0:
            console.sendline("y")
            console.expect(pexpect.EOF)
    finally:
        console.close(force=True)


def test_nbconvert_execute_embeds_png(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "ConvLens", "language": "convlens"}
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1 + 2"),
        nbformat.v4.new_code_cell('show(image("chelsea"))'),
    ]
    source = tmp_path / "picture.ipynb"
    nbformat.write(notebook, source)
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--execute",
                    "--ExecutePreprocessor.timeout=120", str(source)],
                   check=True, capture_output=True, timeout=300)
    html = (tmp_path / "picture.html").read_text()
    assert "data:image/png;base64," in html
