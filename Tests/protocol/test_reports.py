"""The HTML reports `make demo` writes: every picture carries the kernel's one-line description
as its alt text (display metadata image/png "alt"), so nbconvert fills in no placeholder."""
import logging
import sys
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from nbclient import NotebookClient

from conftest import KERNEL_NAME

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import run_notebooks  # noqa: E402


def test_report_pictures_have_their_descriptions_as_alt_text(caplog):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A report"),
        nbformat.v4.new_code_cell('net = model("lenet_mnist")\ndigits = mnist(count: 3)\nshow(digits.image[0])'),
        nbformat.v4.new_code_cell("saliency(net, digits.image[1], class: digits.label[1])"),
    ]
    NotebookClient(notebook, kernel_name=KERNEL_NAME, timeout=120).execute()
    described = [output["metadata"]["image/png"]["alt"]
                 for cell in notebook.cells if cell.cell_type == "code"
                 for output in cell.outputs if "image/png" in output.get("data", {})]
    assert len(described) == 2 and described[0].startswith("digit ") and described[1].startswith("saliency of ")
    with caplog.at_level(logging.WARNING):
        html = run_notebooks.export_html(notebook)
    assert "Alternative text is missing" not in caplog.text
    images = BeautifulSoup(html, "html.parser").select("img")
    assert [image["alt"] for image in images] == described
    assert all(image["src"].startswith("data:image/png;base64,") for image in images)
