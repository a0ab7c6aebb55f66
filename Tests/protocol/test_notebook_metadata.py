"""The course notebooks are committed with the metadata the kernel reports, so opening one in
JupyterLab or Notebook 7 (which copy kernel_info's language_info into the notebook) does not mark
it modified, and closing it untouched does not ask to save."""
from pathlib import Path

import nbformat
import pytest

from conftest import KERNEL_NAME, start_kernel  # noqa: F401

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def language_info():
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
    try:
        return kc.kernel_info(reply=True)["content"]["language_info"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_metadata_is_what_the_kernel_reports(path, language_info):
    metadata = nbformat.read(path, 4).metadata
    assert dict(metadata.language_info) == language_info
    assert metadata.kernelspec == {"name": "convlens", "display_name": "ConvLens", "language": "convlens"}
