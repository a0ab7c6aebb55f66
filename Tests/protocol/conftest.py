"""Shared fixtures for the protocol suite: a running ConvLens kernel and raw sockets to it.

The suite drives the kernelspec named ``convlens`` (installed by ``make setup``
into .venv); set CONVLENS_KERNEL_NAME to test another installation.
"""
from __future__ import annotations

import os
import queue
import tempfile
import time
import uuid

import pytest
from jupyter_client.manager import start_new_kernel

KERNEL_NAME = os.environ.get("CONVLENS_KERNEL_NAME", "convlens")
TIMEOUT = 30


# History goes to a throw-away Jupyter data dir, never the user's; kernels inherit this.
os.environ["JUPYTER_DATA_DIR"] = tempfile.mkdtemp(prefix="convlens-protocol-data-")


def start_kernel(**kwargs):
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=TIMEOUT, **kwargs)
    return km, kc


@pytest.fixture()
def kernel(tmp_path):
    """A fresh kernel with its own empty history and a started blocking client; shut down afterwards."""
    km, kc = start_kernel(env={**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data")})
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def flush_iopub(kc, timeout=0.2):
    while True:
        try:
            kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            return


def iopub_until_idle(kc, parent_id, timeout=TIMEOUT):
    """The iopub messages answering `parent_id`, up to and including its idle status."""
    messages = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != parent_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
    raise AssertionError(f"no idle for {parent_id}")


def shell_reply(kc, parent_id, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == parent_id:
            return reply
    raise AssertionError(f"no reply for {parent_id}")


def execute(kc, code, **kwargs):
    """Runs `code`; returns (reply, iopub messages up to idle)."""
    msg_id = kc.execute(code, **kwargs)
    reply = shell_reply(kc, msg_id)
    return reply, iopub_until_idle(kc, msg_id)


def ok(kc, code, timeout=TIMEOUT):
    """Runs `code`, asserts it succeeded, returns its iopub messages (each wait up to `timeout` s)."""
    msg_id = kc.execute(code)
    reply = shell_reply(kc, msg_id, timeout=timeout)
    assert reply["content"]["status"] == "ok", reply["content"]
    return iopub_until_idle(kc, msg_id, timeout=timeout)


def stdout(messages):
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def result(messages):
    return [m["content"]["data"] for m in messages if m["msg_type"] == "execute_result"]


def new_id():
    return uuid.uuid4().hex
