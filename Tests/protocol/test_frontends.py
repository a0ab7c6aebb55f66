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
        nbformat.v4.new_code_cell('seed(n: 3)\nflag = true and not false'),
    ]
    source = tmp_path / "picture.ipynb"
    nbformat.write(notebook, source)
    # Executed first, then exported, as `make demo` does: the export reads the language_info
    # (and its pygments_lexer) that the kernel wrote into the executed notebook.
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.timeout=120", "--output", "executed.ipynb", str(source)],
                   check=True, capture_output=True, timeout=300)
    assert nbformat.read(tmp_path / "executed.ipynb", 4).metadata.language_info.pygments_lexer == "convlens"
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(tmp_path / "executed.ipynb")],
                   check=True, capture_output=True, timeout=300)
    html = (tmp_path / "executed.html").read_text()
    assert "data:image/png;base64," in html
    # The kernel's own Pygments lexer (language_info.pygments_lexer "convlens") highlighted the
    # cells: an argument name as an attribute, true/false as constants, `and`/`not` as words.
    assert '<span class="na">n</span>' in html
    assert '<span class="kc">true</span>' in html and '<span class="ow">not</span>' in html


def _free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_and_run_a_cell(command: str, tmp_path):
    """Starts `jupyter COMMAND` (lab or notebook, as the README says) on loopback, checks that it
    lists the ConvLens kernelspec, starts a ConvLens kernel through its REST API and runs a cell
    over the server's websocket, as a browser tab would."""
    import json
    import time
    import urllib.request
    import uuid

    from tornado import httpclient, websocket  # noqa: F401 (tornado ships with the server)
    from tornado.ioloop import IOLoop

    port, token = _free_port(), uuid.uuid4().hex
    server = subprocess.Popen(
        [str(BIN / "jupyter"), command, "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}"]
        + (["--allow-root"] if os.geteuid() == 0 else []),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "HOME": str(tmp_path)})
    base = f"http://127.0.0.1:{port}"

    def request(path, method="GET", body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{base}{path}", data=data, method=method,
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as reply:
            text = reply.read()
            return json.loads(text) if text else None

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                specs = request("/api/kernelspecs")
                break
            except OSError:
                assert server.poll() is None, f"jupyter {command} exited: {server.stderr.read().decode()[-2000:]}"
                assert time.monotonic() < deadline, f"jupyter {command} did not answer within 90 s"
                time.sleep(0.5)
        assert KERNEL_NAME in specs["kernelspecs"], sorted(specs["kernelspecs"])
        assert specs["kernelspecs"][KERNEL_NAME]["spec"]["display_name"].startswith("ConvLens")
        # The page a browser opens is served (the front end's bundle is installed).
        page = "/lab" if command == "lab" else "/tree"
        with urllib.request.urlopen(urllib.request.Request(f"{base}{page}?token={token}"), timeout=10) as reply:
            assert reply.status == 200 and b"<html" in reply.read(4096).lower()
        kernel = request("/api/kernels", "POST", {"name": KERNEL_NAME})

        async def run_cell():
            url = f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}/channels?token={token}"
            connection = await websocket.websocket_connect(url)
            msg_id = uuid.uuid4().hex
            await connection.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                           "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": "6 * 7", "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
            while True:
                message = json.loads(await connection.read_message())
                if message.get("parent_header", {}).get("msg_id") == msg_id and message["msg_type"] == "execute_result":
                    connection.close()
                    return message["content"]["data"]["text/plain"]

        assert IOLoop.current().run_sync(run_cell, timeout=60) == "42"
        request(f"/api/kernels/{kernel['id']}", "DELETE")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_jupyter_lab_from_the_readme_serves_and_runs_convlens(tmp_path):
    _serve_and_run_a_cell("lab", tmp_path)


def test_jupyter_notebook_7_serves_and_runs_convlens(tmp_path):
    _serve_and_run_a_cell("notebook", tmp_path)
