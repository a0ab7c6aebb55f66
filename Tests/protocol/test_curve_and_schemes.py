"""Connection files jupyter_client can write but KernelManager does not by default:
CurveZMQ keys (jupyter_client 8.10's curve_publickey / curve_secretkey) and the
other HMAC schemes. The kernel is started directly from its kernelspec argv."""
from __future__ import annotations

import json
import subprocess
import uuid

import pytest
import zmq
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.session import Session

from conftest import KERNEL_NAME


def free_ports(count):
    sockets = [zmq.Context.instance().socket(zmq.REQ) for _ in range(count)]
    ports = [s.bind_to_random_port("tcp://127.0.0.1") for s in sockets]
    for s in sockets:
        s.close(linger=0)
    return ports


def launch(tmp_path, scheme, curve):
    ports = free_ports(5)
    info = dict(zip(["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"], ports),
                ip="127.0.0.1", transport="tcp", key=uuid.uuid4().hex, signature_scheme=scheme)
    if curve:
        public, secret = zmq.curve_keypair()
        info.update(curve_publickey=public.decode(), curve_secretkey=secret.decode())
    path = tmp_path / "connection.json"
    path.write_text(json.dumps(info))
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    argv = [part.replace("{connection_file}", str(path)) for part in spec.argv]
    return info, subprocess.Popen(argv, stderr=subprocess.PIPE)


def client_socket(info, kind, port_name):
    socket = zmq.Context.instance().socket(kind)
    socket.linger = 0
    if "curve_publickey" in info:
        public, secret = zmq.curve_keypair()
        socket.curve_publickey, socket.curve_secretkey = public, secret
        socket.curve_serverkey = info["curve_publickey"].encode()
    socket.connect(f"tcp://127.0.0.1:{info[port_name]}")
    return socket


@pytest.mark.parametrize("scheme,curve", [("hmac-sha256", True), ("hmac-sha512", False),
                                          ("hmac-sha1", False), ("hmac-md5", False)])
def test_kernel_info_over_scheme(tmp_path, scheme, curve):
    if curve and not zmq.has("curve"):
        pytest.skip("pyzmq without CURVE")
    info, process = launch(tmp_path, scheme, curve)
    try:
        session = Session(key=info["key"].encode(), signature_scheme=scheme)
        shell = client_socket(info, zmq.DEALER, "shell_port")
        request = session.send(shell, "kernel_info_request", {})
        # jupyter_client's own start-up timeout (60 s): a loaded CI machine can take a while to
        # start the process; what is tested here is the scheme, not the start-up time.
        assert shell.poll(60000), "no kernel_info_reply"
        _, reply = session.recv(shell)
        assert reply["parent_header"]["msg_id"] == request["header"]["msg_id"]
        assert reply["content"]["language_info"]["name"] == "convlens"
        heartbeat = client_socket(info, zmq.REQ, "hb_port")
        heartbeat.send(b"beat")
        assert heartbeat.poll(5000) and heartbeat.recv() == b"beat"
        if curve:
            # A client without the server key cannot talk to a CURVE kernel.
            plain = zmq.Context.instance().socket(zmq.REQ)
            plain.linger = 0
            plain.connect(f"tcp://127.0.0.1:{info['hb_port']}")
            plain.send(b"beat")
            assert not plain.poll(1000)
            plain.close()
        control = client_socket(info, zmq.DEALER, "control_port")
        session.send(control, "shutdown_request", {"restart": False})
        assert control.poll(10000)
        assert process.wait(timeout=10) == 0
        for socket in (shell, heartbeat, control):
            socket.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
