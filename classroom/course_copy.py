"""Gives a student the course notebooks once, never touching what they have edited since.

JupyterHub calls this from its pre_spawn_hook (classroom/jupyterhub_config.py) before each start of a
student's server. The first start copies every notebook; later starts copy only notebooks the teacher
has added since. A ledger file in the course folder names what was handed out, so a notebook the
student edited is never replaced, and one they deleted on purpose does not come back.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

LEDGER = ".convlens-course.json"


def _chown(path: Path, owner: tuple[int, int] | None) -> None:
    if owner is not None:
        os.chown(path, *owner)


def copy_course(source: Path, target: Path, owner: tuple[int, int] | None = None) -> list[str]:
    """Copies each `*.ipynb` of `source` into `target` unless it was handed out before.

    `owner` is the (uid, gid) to give the folder and the copies when the hub runs as root for
    students with their own Unix accounts; None leaves them to the hub's account.
    Returns the names copied this time. A file already present under a name is never overwritten
    (it is recorded as handed out). Raises FileNotFoundError when `source` is not a folder, so a
    misconfigured hub fails the spawn with a message instead of giving an empty course.
    """
    if not source.is_dir():
        raise FileNotFoundError(f"course notebooks folder {source} does not exist (CONVLENS_CLASS_NOTEBOOKS)")
    for folder in (target.parent, target):
        if not folder.exists():
            folder.mkdir(mode=0o700 if folder == target.parent else 0o755)
            _chown(folder, owner)
    ledger_path = target / LEDGER
    try:
        handed_out = set(json.loads(ledger_path.read_text()))
    except (OSError, ValueError, TypeError):
        handed_out = set()
    copied = []
    for notebook in sorted(source.glob("*.ipynb")):
        name = notebook.name
        destination = target / name
        if name in handed_out:
            continue
        handed_out.add(name)
        if destination.exists():
            continue
        # Write beside the destination and link it in: os.link fails rather than replace a file
        # that appeared meanwhile, so a student's edit can never be overwritten.
        partial = target / f".{name}.partial"
        shutil.copyfile(notebook, partial)
        _chown(partial, owner)
        try:
            os.link(partial, destination)
            copied.append(name)
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    ledger_path.write_text(json.dumps(sorted(handed_out), indent=1) + "\n")
    _chown(ledger_path, owner)
    return copied
