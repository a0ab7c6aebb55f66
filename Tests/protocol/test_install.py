"""`convlens install --user` writes where jupyter_core looks: $JUPYTER_DATA_DIR, else
$XDG_DATA_HOME/jupyter, else $HOME/.local/share/jupyter (not the account's home from the
password database), so a JupyterHub or container HOME finds the kernel."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "release" / "convlens"
# Not "convlens": the venv's own kernelspec of that name comes first in a venv's search path.
NAME = "convlens-home-test"


def install_user(environment):
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_DATA_DIR", "XDG_DATA_HOME", "JUPYTER_PATH")}
    env.update(environment)
    subprocess.run([str(BINARY), "install", "--user", "--name", NAME], env=env, check=True, capture_output=True)
    return env


def jupyter_sees(env):
    """The kernelspecs jupyter_client finds under this environment (a fresh Python reads it)."""
    script = "import json; from jupyter_client.kernelspec import KernelSpecManager as M; print(json.dumps(M().find_kernel_specs()))"
    run = subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True)
    return json.loads(run.stdout)


def test_install_user_follows_home(tmp_path):
    home = tmp_path / "student"
    home.mkdir()
    env = install_user({"HOME": str(home)})
    spec = home / ".local" / "share" / "jupyter" / "kernels" / NAME / "kernel.json"
    assert Path(json.loads(spec.read_text())["argv"][0]).resolve() == BINARY.resolve()
    assert Path(jupyter_sees(env)[NAME]) == spec.parent


def test_install_user_follows_jupyter_data_dir_then_xdg(tmp_path):
    env = install_user({"HOME": str(tmp_path), "JUPYTER_DATA_DIR": str(tmp_path / "data"), "XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert (tmp_path / "data" / "kernels" / NAME / "kernel.json").exists()
    assert Path(jupyter_sees(env)[NAME]) == tmp_path / "data" / "kernels" / NAME
    install_user({"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert (tmp_path / "xdg" / "jupyter" / "kernels" / NAME / "kernel.json").exists()
