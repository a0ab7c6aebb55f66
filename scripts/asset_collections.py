"""Image collections: hundreds or thousands of files pinned by the package that holds them.

A file entry in assets/manifest.json pins one file by its sha256. For a collection (the Tux Paint
photo cut-outs, the Scratch backgrounds, Open Clip Art) that would mean thousands of lines, so a
`collections` entry pins the downloaded package itself (`deb_sha256`, the .deb file's sha256) and
names its members by rule:

    {"collection": "photos", "into": "photos/tuxpaint", "registry": "debian", "package": ...,
     "version": ..., "deb_sha256": ..., "licence": ..., "root": "./usr/share/tuxpaint/stamps/",
     "include": ["*.png"], "exclude": ["*/cartoon/*", "symbols/*"], "label": "txt-first-line",
     "require_label": true, "mask": "alpha"}

`include` and `exclude` are fnmatch patterns on the member path below `root`. `label` is how each
file's label is found: `txt-first-line` (the first line of the sibling .txt, as Tux Paint's stamp
descriptions are written), `stem` (the file name without extension, `-`/`_` as spaces, trailing
digits dropped) or `parent` (the folder holding the file). `mask: "alpha"` records that the file's
alpha channel is its object mask (the engine composites it on grey and keeps the mask).

The members are extracted into `<cache>/<into>/` with their relative paths, and `index.json` is
written beside them: one row per file with file, label, source, licence and sha256. A stamp
(`.complete`, holding the package's sha256 and a hash of the rule) makes the next run skip the
collection entirely, so set-up after the first time reads one small file per collection.

Collections may also take files already fetched as file entries (`from_index`: name prefixes of
the main index.json), so `photos` includes the sample photos and foolbox's ImageNet images.
"""

import fnmatch
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import tarfile
from pathlib import Path

STAMP = ".complete"


def rule_digest(entry: dict) -> str:
    """What the extracted folder depends on: the package's hash and every rule."""
    return hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()


def is_current(root: Path, entry: dict) -> bool:
    stamp = root / entry["into"] / STAMP
    return stamp.is_file() and stamp.read_text().strip() == rule_digest(entry)


def selected(relative: str, entry: dict) -> bool:
    if not any(fnmatch.fnmatch(relative, pattern) for pattern in entry["include"]):
        return False
    return not any(fnmatch.fnmatch(relative, pattern) for pattern in entry.get("exclude", []))


def stem_label(relative: str) -> str:
    stem = Path(relative).stem
    words = re.sub(r"[-_]+", " ", stem)
    return re.sub(r"\s*\d+$", "", words).strip() or stem


def extract_collection(entry: dict, deb: Path, root: Path, sha256_of) -> int:
    """Extracts the selected members of `deb` into root/into and writes its index.json;
    returns how many files were kept. Raises RuntimeError when the package's hash differs."""
    actual = sha256_of(deb)
    if actual != entry["deb_sha256"]:
        raise RuntimeError(f"{deb.name} has sha256 {actual}, manifest says {entry['deb_sha256']}")
    target = root / entry["into"]
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    prefix = entry["root"]
    texts = {}
    kept = []
    stream = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    with tarfile.open(fileobj=stream.stdout, mode="r|") as bundle:
        for info in bundle:
            if not info.isfile() or not info.name.startswith(prefix):
                continue
            relative = info.name[len(prefix):]
            if entry.get("label") == "txt-first-line" and relative.endswith(".txt"):
                source = bundle.extractfile(info)
                texts[relative] = source.read().decode("utf-8", "replace")
                continue
            if not selected(relative, entry):
                continue
            out = target / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            with open(out, "wb") as sink:
                shutil.copyfileobj(bundle.extractfile(info), sink)
            if too_large(out, entry):
                out.unlink()
                continue
            kept.append(relative)
    stream.stdout.close()
    if stream.wait() != 0:
        raise RuntimeError(f"dpkg-deb could not read {deb}")
    rows = []
    source = f"{entry['registry']}:{entry['package']}=={entry['version']}"
    for relative in sorted(kept):
        label = label_for(relative, entry, texts)
        if label is None:
            (target / relative).unlink()
            continue
        row = {"file": f"{entry['into']}/{relative}", "label": label, "source": f"{source}:{prefix}{relative}",
               "licence": entry["licence"], "sha256": sha256_of(target / relative)}
        if entry.get("mask"):
            row["mask"] = entry["mask"]
        rows.append(row)
    (target / "index.json").write_text(json.dumps(rows, indent=0) + "\n")
    (target / STAMP).write_text(rule_digest(entry) + "\n")
    return len(rows)


def too_large(path: Path, entry: dict) -> bool:
    """Whether a PNG's header declares more pixels than `max_pixels` (the engine's limit, which
    refuses such a file when it is read), so set-up leaves it out instead of every images() call
    meeting it."""
    limit = entry.get("max_pixels")
    if not limit or path.suffix.lower() != ".png":
        return False
    with open(path, "rb") as handle:
        header = handle.read(24)
    if len(header) < 24 or header[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", header[16:24])
    return width * height > limit


def clean_sentence(text: str) -> str:
    """A stamp description as a label: "Neptune—one of the gas giants." -> "Neptune",
    "“School Crossing”" -> "School Crossing", "A blackbird." -> "blackbird"."""
    text = re.split(r"\s*(?:—|–| - |:|;|\(|!)", text)[0]
    text = text.strip(" .\"'“”‘’?")
    return re.sub(r"^(an?|the|some)\s+", "", text, flags=re.IGNORECASE).strip()


def label_for(relative: str, entry: dict, texts: dict):
    """The file's label, or None when the rule needs one the package does not give."""
    rule = entry.get("label", "stem")
    if rule == "txt-first-line":
        text = texts.get(str(Path(relative).with_suffix(".txt")))
        if text is None:
            return None if entry.get("require_label") else stem_label(relative)
        first = text.splitlines()[0].strip() if text.strip() else ""
        # Tux Paint writes a sentence ("A blackbird."): keep the noun phrase.
        return clean_sentence(first) or stem_label(relative)
    if rule == "parent":
        return Path(relative).parent.name.replace("_", " ") or stem_label(relative)
    return stem_label(relative)


def rows_from_index(entry: dict, index: dict, root: Path) -> list:
    """Rows for files already fetched as file entries (the sample photos, foolbox's ImageNet
    images); an ImageNet sample is labelled with its class's first WordNet name."""
    names = {}
    names_file = root / "labels" / "imagenet1k_label_to_names.json"
    if names_file.is_file():
        names = json.loads(names_file.read_text())
    rows = []
    for name in sorted(index):
        if not any(name.startswith(prefix) for prefix in entry["from_index"]):
            continue
        about = index[name]["about"]
        label = about
        match = re.search(r"class (\d+)", about)
        if match and names:
            label = str(names.get(match.group(1), about)).split(",")[0].strip()
        else:
            label = re.sub(r"^(an?|the)\s+", "", about)
        rows.append({"file": name, "label": label, "source": index[name]["source"],
                     "licence": index[name]["licence"], "sha256": index[name]["sha256"]})
    return rows


def write_collection_indexes(manifest: dict, root: Path, index: dict) -> dict:
    """<cache>/collections/<name>.json: every row of the collection, paths relative to the cache."""
    by_name = {}
    for entry in manifest.get("collections", []):
        if "from_index" in entry:
            rows = rows_from_index(entry, index, root)
        else:
            rows = json.loads((root / entry["into"] / "index.json").read_text())
        by_name.setdefault(entry["collection"], []).extend(rows)
    folder = root / "collections"
    folder.mkdir(exist_ok=True)
    for name, rows in by_name.items():
        partial = folder / f"{name}.json.partial"
        partial.write_text(json.dumps(rows, indent=0) + "\n")
        os.replace(partial, folder / f"{name}.json")
    return {name: len(rows) for name, rows in by_name.items()}
