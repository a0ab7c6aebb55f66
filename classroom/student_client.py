"""One student's view of their Jupyter server behind JupyterHub: REST (contents, sessions) and the kernel websocket.

Requests carry the student's hub-issued API token (`Authorization: token ...`); the server's
hub-auth checks it belongs to the server's owner. Cells travel over /api/kernels/<id>/channels
without a subprotocol, so messages are JSON text frames with a `channel` key (Jupyter Server's
legacy kernel websocket protocol, which it still accepts).
"""
from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import requests
import websocket


class StudentClient:
    """One student's view of their server: contents and sessions over REST, cells over the websocket."""

    def __init__(self, hub_url: str, name: str, token: str):
        self.hub_url, self.name, self.token = hub_url, name, token
        self.base = f"{hub_url}/user/{name}"
        self.headers = {"Authorization": f"token {token}"}

    def request(self, method: str, path: str, body=None) -> requests.Response:
        return requests.request(method, f"{self.base}/api/{path}", json=body, headers=self.headers,
                                timeout=60, allow_redirects=False)

    def get_json(self, path: str):
        response = self.request("GET", path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {self.base}/api/{path} -> {response.status_code}: {response.text[:300]}")
        return response.json()

    def run_code(self, code: str, kernel_name: str, timeout: float = 300):
        """Runs one cell in a new kernel of this student's server; returns (outputs, (ename, evalue) or None)."""
        session = self.request("POST", "sessions", {"path": f"scratch-{uuid.uuid4().hex}.ipynb", "type": "notebook",
                                                    "name": "scratch", "kernel": {"name": kernel_name}})
        if session.status_code != 201:
            raise RuntimeError(f"{self.name}: POST sessions -> {session.status_code}: {session.text[:300]}")
        session = session.json()
        ws_url = self.base.replace("http://", "ws://") + \
            f"/api/kernels/{session['kernel']['id']}/channels?session_id={uuid.uuid4().hex}"
        connection = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"], timeout=timeout)
        try:
            return self._execute(connection, code, timeout)
        finally:
            connection.close()
            self.request("DELETE", f"sessions/{session['id']}")

    def run_notebook(self, path: str, kernel_name: str, cell_timeout: float = 900) -> dict:
        """Runs every code cell of notebook `path` (relative to the student's root) in a new kernel.

        Returns {"seconds", "cells", "errors": [(index, ename, evalue)], "images"}; the executed
        notebook is saved back to `path`, and the kernel is shut down.
        """
        started = time.monotonic()
        notebook = self.get_json(f"contents/{path}?content=1")["content"]
        session = self.request("POST", "sessions", {"path": path, "type": "notebook", "name": Path(path).name,
                                                    "kernel": {"name": kernel_name}})
        if session.status_code != 201:
            raise RuntimeError(f"{self.name}: POST sessions -> {session.status_code}: {session.text[:300]}")
        session = session.json()
        kernel_id = session["kernel"]["id"]
        ws_url = self.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        connection = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"], timeout=cell_timeout)
        errors, images, cells = [], 0, 0
        try:
            for index, cell in enumerate(notebook["cells"]):
                if cell["cell_type"] != "code":
                    continue
                cells += 1
                outputs, error = self._execute(connection, "".join(cell["source"]) if isinstance(cell["source"], list)
                                               else cell["source"], cell_timeout)
                cell["outputs"] = outputs
                images += sum(1 for output in outputs if "image/png" in output.get("data", {}))
                if error:
                    errors.append((index, *error))
                    break
        finally:
            connection.close()
            self.request("DELETE", f"sessions/{session['id']}")
        saved = self.request("PUT", f"contents/{path}", {"type": "notebook", "format": "json", "content": notebook})
        if saved.status_code not in (200, 201):
            raise RuntimeError(f"{self.name}: saving {path} -> {saved.status_code}: {saved.text[:300]}")
        return {"seconds": time.monotonic() - started, "cells": cells, "errors": errors, "images": images}

    @staticmethod
    def _execute(connection, code: str, timeout: float):
        """Sends one execute_request; returns (nbformat outputs, (ename, evalue) or None)."""
        msg_id = uuid.uuid4().hex
        connection.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "student", "session": msg_id,
                       "version": "5.4", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        outputs, error, replied, idle = [], None, False, False
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no execute_reply within {timeout} s for {code[:80]!r}")
            frame = connection.recv()
            if isinstance(frame, bytes):  # a binary message (widget buffers): nothing to record
                continue
            message = json.loads(frame)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "execute_reply":
                replied = True
                if content.get("status") == "error":
                    error = error or (content.get("ename"), content.get("evalue"))
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind == "stream":
                outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
            elif kind in ("display_data", "execute_result"):
                output = {"output_type": kind, "data": content.get("data", {}), "metadata": content.get("metadata", {})}
                if kind == "execute_result":
                    output["execution_count"] = content.get("execution_count")
                outputs.append(output)
            elif kind == "error":
                outputs.append({"output_type": "error", "ename": content["ename"], "evalue": content["evalue"],
                                "traceback": content.get("traceback", [])})
                error = (content["ename"], content["evalue"])
        return outputs, error
