"""`convlens run FILE.cvl`: cells split at `# %%`, pictures written as PNG (final frames only),
values as .npy with --numbers, errors printed as the kernel shows them with exit status 1."""
import subprocess
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "release" / "convlens"

SCRIPT = """\
# %% load
net = model("lenet_mnist")
digits = mnist(count: 4)
# %%
print("classes:", len(classes(net)))
# %% a picture shown mid-cell, then the cell's value
show(gallery(digits.image))
saliency(net, digits.image[0], class: digits.label[0])
"""


def run(script: str, tmp_path: Path, *flags: str):
    path = tmp_path / "demo.cvl"
    path.write_text(script)
    out = tmp_path / "pictures"
    done = subprocess.run([str(BINARY), "run", str(path), "--out", str(out), *flags],
                          capture_output=True, text=True, timeout=300)
    return done, out


def test_run_writes_pictures_and_numbers(tmp_path):
    done, out = run(SCRIPT, tmp_path, "--numbers")
    assert done.returncode == 0, done.stderr
    assert "classes: 10" in done.stdout
    # Cell 1 is assignments only: no files. Cell 3 shows a gallery, then its saliency map.
    assert sorted(p.name for p in out.iterdir()) == ["cell03-1.png", "cell03-2.png", "cell03.npy"]
    for png in ("cell03-1.png", "cell03-2.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saliency = np.load(out / "cell03.npy")
    assert saliency.shape == (28, 28) and np.isfinite(saliency).all() and saliency.max() > 0


def test_run_stops_at_the_first_error_with_status_1(tmp_path):
    done, out = run('x = 1\n# %%\ny = undefined_name + 1\n# %%\nprint("not reached")\n', tmp_path)
    assert done.returncode == 1
    assert "undefined_name" in done.stderr and "is not defined" in done.stderr
    assert "not reached" not in done.stdout


def test_run_refuses_a_missing_file(tmp_path):
    done = subprocess.run([str(BINARY), "run", str(tmp_path / "nope.cvl")], capture_output=True, text=True)
    assert done.returncode != 0 and "no such file" in done.stderr
