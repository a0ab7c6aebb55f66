"""Can one student reach another's files? Checks through JupyterHub's REST paths and through kernel code.

Used by Tests/protocol/test_classroom.py and bench/classroom/run.py on a running `hub_driver.Classroom`.
Each check first proves the owner reaches the file the same way, so a refusal means isolation rather
than a broken request.
"""
from __future__ import annotations

import uuid
from pathlib import Path


def isolation_problems(room, owner: str, other: str) -> list[str]:
    """Writes a file as `owner` and tries to reach it as `other`; returns what `other` could see.

    Checks the three ways a student's token reaches files: the other student's own server (its root
    listing, and a path climbing out of its root), and the owner's server with the other's token.
    """
    secret = f"secret of {owner} {uuid.uuid4().hex}"
    name = f"private-{owner}.txt"  # one name per owner, so a student's own file never counts against them
    mine = room.student(owner)
    written = mine.request("PUT", f"contents/{name}", {"type": "file", "format": "text", "content": secret})
    if written.status_code not in (200, 201):
        return [f"{owner} could not write {name}: {written.status_code}"]
    problems = []
    # The same requests as the owner must succeed, or the refusals below would prove nothing.
    own = mine.request("GET", f"contents/{name}")
    if own.status_code != 200 or secret not in own.text:
        problems.append(f"{owner} cannot read their own {name} ({own.status_code}): the checks would be vacuous")
    theirs = room.student(other)
    listing = theirs.get_json("contents")
    if any(entry["name"] == name for entry in listing["content"]):
        problems.append(f"{other}'s server lists {name} in its root")
    for path in (f"contents/../{owner}/{name}", f"contents/%2E%2E/{owner}/{name}"):
        response = theirs.request("GET", path)
        if response.status_code == 200 or secret in response.text:
            problems.append(f"{other} read {owner}'s file through its own server: GET {path} -> {response.status_code}")
    intruder = room.student(owner, token=room.tokens[other])
    response = intruder.request("GET", f"contents/{name}")
    if response.status_code == 200 or secret in response.text:
        problems.append(f"{other}'s token read {owner}'s file on {owner}'s server -> {response.status_code}")
    return problems


def tiny_png() -> bytes:
    """A valid 2 x 2 RGB PNG (PNG spec: signature, IHDR, one IDAT, IEND)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([200, 30, 30] * 2) for _ in range(2))  # filter byte 0, then the pixels
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def kernel_reaches(room, owner: str, other: str, owner_home: Path) -> tuple[bool, bool]:
    """Puts a PNG in `owner`'s home, then loads it by absolute path with `image(...)` in a kernel of the
    owner and in one of `other`. Returns (owner's kernel loaded it, other's kernel loaded it): code in a
    cell is not bound by the contents API, only by the account the kernel runs as."""
    import base64

    name = f"photo-{owner}.png"
    written = room.student(owner).request("PUT", f"contents/{name}", {
        "type": "file", "format": "base64", "content": base64.b64encode(tiny_png()).decode()})
    if written.status_code not in (200, 201):
        raise RuntimeError(f"{owner} could not write {name}: {written.status_code} {written.text[:200]}")
    code = f'image("{owner_home / name}")'
    _, own_error = room.student(owner).run_code(code, room.kernel_name)
    _, other_error = room.student(other).run_code(code, room.kernel_name)
    return own_error is None, other_error is None
