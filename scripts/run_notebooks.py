"""Executes the course notebooks with the ConvLens kernel and writes HTML reports.

`make demo` runs this after `make setup`. Each notebook under notebooks/ runs top
to bottom in a fresh kernel; the executed copy and its HTML report go to
out/reports/. A failing cell fails the run, naming the notebook and the cell.
"""
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "out" / "reports"
# nbconvert's lab template plus alt text from each picture's display metadata.
REPORT_TEMPLATES = ROOT / "scripts" / "report_template"


def export_html(notebook) -> str:
    """The executed notebook as a self-contained HTML report (lab template, embedded pictures)."""
    exporter = HTMLExporter(template_name="convlens_report", extra_template_basedirs=[str(REPORT_TEMPLATES)])
    html, _ = exporter.from_notebook_node(notebook)
    return html


def run(path: pathlib.Path) -> bool:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name="convlens", timeout=1800,
                            resources={"metadata": {"path": str(ROOT)}})
    started = time.time()
    ok = True
    try:
        client.execute()
    except CellExecutionError as error:
        print(f"{path.name}: a cell failed\n{error}", file=sys.stderr)
        ok = False
    REPORTS.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, REPORTS / path.name)
    (REPORTS / path.with_suffix(".html").name).write_text(export_html(notebook), encoding="utf-8")
    print(f"{path.name}: {'ok' if ok else 'FAILED'} in {time.time() - started:.1f} s "
          f"-> {REPORTS / path.with_suffix('.html').name}")
    return ok


def main(argv):
    paths = [pathlib.Path(a) for a in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        print("no notebooks found under notebooks/", file=sys.stderr)
        return 1
    results = [run(p) for p in paths]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
