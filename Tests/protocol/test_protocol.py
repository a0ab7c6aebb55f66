"""What jupyter_kernel_test does not cover: counters, aborts, stdin, comms,
interrupts, restarts, ordering under load, signatures and malformed input."""
from __future__ import annotations

import queue
import signal
import time

import pytest
import zmq
from jupyter_client.session import Session

from conftest import TIMEOUT, execute, flush_iopub, iopub_until_idle, new_id, shell_reply, start_kernel


def test_kernel_info_on_control_reports_language(kernel):
    km, kc = kernel
    msg = kc.session.msg("kernel_info_request", {})
    kc.control_channel.send(msg)
    reply = kc.get_control_msg(timeout=TIMEOUT)
    assert reply["parent_header"]["msg_id"] == msg["header"]["msg_id"]
    content = reply["content"]
    assert content["status"] == "ok"
    assert content["protocol_version"] >= "5.3"
    assert reply["header"]["version"] >= "5.3"
    info = content["language_info"]
    assert info["name"] == "convlens"
    assert info["file_extension"] == ".cvl"
    assert info["pygments_lexer"] and info["codemirror_mode"]


def test_silent_and_store_history_counters(kernel):
    _, kc = kernel
    first, _ = execute(kc, "1")
    assert first["content"]["execution_count"] == 1
    silent, messages = execute(kc, "2", silent=True)
    assert [m["msg_type"] for m in messages] == ["status", "status"]
    unstored, _ = execute(kc, "3", store_history=False)
    assert unstored["content"]["status"] == "ok"
    second, messages = execute(kc, "4")
    assert second["content"]["execution_count"] == 2
    inputs = [m for m in messages if m["msg_type"] == "execute_input"]
    assert inputs[0]["content"]["execution_count"] == 2


def test_busy_input_result_idle_order(kernel):
    _, kc = kernel
    reply, messages = execute(kc, "1 + 2")
    types = [m["msg_type"] for m in messages]
    assert types[0] == "status" and messages[0]["content"]["execution_state"] == "busy"
    assert types[1] == "execute_input"
    assert types[-1] == "status" and messages[-1]["content"]["execution_state"] == "idle"
    assert "execute_result" in types


def test_stop_on_error_aborts_queued_requests(kernel):
    _, kc = kernel
    execute(kc, "x = 5")
    failing = kc.execute("sleep(1)\n1 / \"a\"")
    queued = [kc.execute(f"{n}") for n in range(3)]
    reply = shell_reply(kc, failing)
    assert reply["content"]["status"] == "error"
    for msg_id in queued:
        assert shell_reply(kc, msg_id)["content"]["status"] == "aborted"
    # After the abort the kernel runs cells again and kept its variables.
    after, _ = execute(kc, "x")
    assert after["content"]["status"] == "ok"


def test_error_is_located_and_state_survives(kernel):
    _, kc = kernel
    execute(kc, "x = 5")
    reply, messages = execute(kc, '1 / "a"')
    assert reply["content"]["status"] == "error"
    errors = [m for m in messages if m["msg_type"] == "error"]
    assert len(errors) == 1
    traceback = "\n".join(errors[0]["content"]["traceback"])
    assert "1" in traceback and "^" in traceback
    _, messages = execute(kc, "x")
    results = [m for m in messages if m["msg_type"] == "execute_result"]
    assert results[0]["content"]["data"]["text/plain"] == "5"


def test_user_expressions(kernel):
    _, kc = kernel
    execute(kc, "x = 5")
    reply, _ = execute(kc, "1", user_expressions={"good": "x + 1", "bad": "undefined_name"})
    expressions = reply["content"]["user_expressions"]
    assert expressions["good"]["status"] == "ok"
    assert expressions["good"]["data"]["text/plain"] == "6"
    assert expressions["bad"]["status"] == "error"


def test_input_request_round_trip(kernel):
    _, kc = kernel
    msg_id = kc.execute('name = input("Your name? ")', allow_stdin=True)
    request = kc.get_stdin_msg(timeout=TIMEOUT)
    assert request["msg_type"] == "input_request"
    assert request["content"]["prompt"] == "Your name? "
    assert request["parent_header"]["msg_id"] == msg_id
    kc.input("Ada")
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"
    _, messages = execute(kc, "name")
    result = [m for m in messages if m["msg_type"] == "execute_result"][0]
    assert "Ada" in result["content"]["data"]["text/plain"]


def test_input_refused_without_allow_stdin(kernel):
    _, kc = kernel
    reply, _ = execute(kc, 'name = input("Your name? ")', allow_stdin=False)
    assert reply["content"]["status"] == "error"


def interrupt_during_input(km, kc, interrupt):
    """Interrupts a cell waiting in input(); returns the error reply's (ename, evalue)."""
    execute(kc, "x = 5")
    msg_id = kc.execute('name = input("Your name? ")', allow_stdin=True)
    request = kc.get_stdin_msg(timeout=TIMEOUT)
    assert request["msg_type"] == "input_request"
    interrupt()
    reply = shell_reply(kc, msg_id, timeout=10)
    assert reply["content"]["status"] == "error"
    _, messages = execute(kc, "x")
    results = [m for m in messages if m["msg_type"] == "execute_result"]
    assert results[0]["content"]["data"]["text/plain"] == "5"
    assert km.is_alive()
    return reply["content"]["ename"], reply["content"]["evalue"]


def send_interrupt_request(kc):
    msg = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(msg)
    assert kc.get_control_msg(timeout=TIMEOUT)["msg_type"] == "interrupt_reply"


def test_interrupt_during_input_is_one_error_both_ways(kernel):
    """SIGINT and interrupt_request are one action: the same ename and evalue as any interrupt."""
    km, kc = kernel
    by_signal = interrupt_during_input(km, kc, lambda: km.signal_kernel(signal.SIGINT))
    by_message = interrupt_during_input(km, kc, lambda: send_interrupt_request(kc))
    assert by_signal[0] == "Interrupted"
    assert by_signal == by_message
    # The same words as an interrupt outside input().
    msg_id = kc.execute("sleep(30)")
    time.sleep(0.5)
    send_interrupt_request(kc)
    assert shell_reply(kc, msg_id, timeout=10)["content"]["evalue"] == by_message[1]


def test_comm_info_and_unknown_comm_open(kernel):
    _, kc = kernel
    msg_id = kc.comm_info()
    reply = shell_reply(kc, msg_id)
    assert reply["content"] == {"status": "ok", "comms": {}}
    flush_iopub(kc)
    msg = kc.session.msg("comm_open", {"comm_id": "c-1", "target_name": "no.such.target", "data": {}})
    kc.shell_channel.send(msg)
    messages = iopub_until_idle(kc, msg["header"]["msg_id"])
    closes = [m for m in messages if m["msg_type"] == "comm_close"]
    assert closes and closes[0]["content"]["comm_id"] == "c-1"


def interrupt_during_sleep(km, kc, interrupt):
    execute(kc, "x = 5")
    started = time.monotonic()
    msg_id = kc.execute("sleep(30)")
    time.sleep(1.0)
    interrupt()
    reply = shell_reply(kc, msg_id, timeout=10)
    assert time.monotonic() - started < 10
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Interrupted"
    _, messages = execute(kc, "x")
    results = [m for m in messages if m["msg_type"] == "execute_result"]
    assert results[0]["content"]["data"]["text/plain"] == "5"
    assert km.is_alive()


def test_interrupt_by_signal_keeps_variables(kernel):
    km, kc = kernel
    assert km.kernel_spec.interrupt_mode == "signal"
    interrupt_during_sleep(km, kc, km.interrupt_kernel)


def test_interrupt_by_message_keeps_variables(kernel):
    km, kc = kernel

    def send_interrupt():
        # Control and heartbeat answer while the cell still runs on the shell thread.
        info = kc.session.msg("kernel_info_request", {})
        kc.control_channel.send(info)
        assert kc.get_control_msg(timeout=5)["msg_type"] == "kernel_info_reply"
        heartbeat = km.connect_hb()
        heartbeat.send(b"still alive?")
        assert heartbeat.poll(2000) and heartbeat.recv() == b"still alive?"
        heartbeat.close(linger=0)
        msg = kc.session.msg("interrupt_request", {})
        kc.control_channel.send(msg)
        reply = kc.get_control_msg(timeout=TIMEOUT)
        assert reply["msg_type"] == "interrupt_reply"

    interrupt_during_sleep(km, kc, send_interrupt)


def test_sigint_while_idle_is_harmless(kernel):
    km, kc = kernel
    km.signal_kernel(signal.SIGINT)
    time.sleep(0.2)
    reply, _ = execute(kc, "1")
    assert reply["content"]["status"] == "ok"


def test_shutdown_and_restart_keep_history():
    km, kc = start_kernel()
    try:
        execute(kc, "x = 5")
        old_pid = km.provisioner.process.pid
        km.restart_kernel(now=False)
        assert km.provisioner.process.pid != old_pid
        kc.wait_for_ready(timeout=TIMEOUT)
        reply = shell_reply(kc, kc.history(hist_access_type="tail", n=5, output=False, raw=True))
        assert "x = 5" in [row[2] for row in reply["content"]["history"]]
        # A restarted kernel starts a new session and counts from 1 again.
        first, _ = execute(kc, "1")
        assert first["content"]["execution_count"] == 1
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert not km.is_alive()


def test_shutdown_request_gets_reply_and_process_exits():
    km, kc = start_kernel()
    try:
        msg = kc.session.msg("shutdown_request", {"restart": False})
        kc.control_channel.send(msg)
        reply = kc.get_control_msg(timeout=TIMEOUT)
        assert reply["content"] == {"status": "ok", "restart": False}
        deadline = time.monotonic() + 10
        while km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not km.is_alive()
        assert km.provisioner.process.returncode == 0
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_200_rapid_executes_keep_order_and_counts(kernel):
    _, kc = kernel
    ids = [kc.execute(f"{n}") for n in range(200)]
    replies = [kc.get_shell_msg(timeout=TIMEOUT) for _ in ids]
    assert [r["parent_header"]["msg_id"] for r in replies] == ids
    assert [r["content"]["execution_count"] for r in replies] == list(range(1, 201))
    results = {}
    while len(results) < 200:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["msg_type"] == "execute_result":
            results[msg["parent_header"]["msg_id"]] = msg["content"]["data"]["text/plain"]
    assert [results[i] for i in ids] == [str(n) for n in range(200)]


def test_heartbeat_echoes(kernel):
    km, _ = kernel
    socket = km.connect_hb()
    try:
        socket.send(b"ping-123")
        assert socket.poll(5000)
        assert socket.recv() == b"ping-123"
    finally:
        socket.close(linger=0)


def raw_shell(km):
    socket = km.connect_shell(identity=b"raw-tester")
    return socket


def test_badly_signed_message_is_dropped_and_next_is_answered(kernel):
    km, kc = kernel
    socket = raw_shell(km)
    try:
        forger = Session(key=b"not-the-key", signature_scheme=km.session.signature_scheme)
        bad = forger.msg("kernel_info_request", {})
        forger.send(socket, bad)
        unsigned = Session(key=b"")
        unsigned.send(socket, unsigned.msg("kernel_info_request", {}))
        good = km.session.msg("kernel_info_request", {})
        km.session.send(socket, good)
        assert socket.poll(10000)
        _, reply = km.session.recv(socket)
        assert reply["parent_header"]["msg_id"] == good["header"]["msg_id"]
        assert not socket.poll(300), "a forged message was answered"
    finally:
        socket.close(linger=0)


def test_malformed_frames_leave_kernel_alive(kernel):
    km, kc = kernel
    socket = raw_shell(km)
    session = km.session
    try:
        socket.send_multipart([b"no delimiter at all"])
        socket.send_multipart([b"<IDS|MSG>", b"sig", b"{}"])
        socket.send_multipart([b"<IDS|MSG>"] + [b"x" * (8 << 20)] * 5)  # 40 MB of garbage
        # Correctly signed, but the content is not JSON: an error reply comes back.
        header = session.msg_header("execute_request")
        parts = [session.pack(header), b"{}", b"{}", b"{not json"]
        socket.send_multipart([b"<IDS|MSG>", session.sign(parts)] + parts)
        assert socket.poll(10000)
        _, reply = session.recv(socket)
        assert reply["parent_header"]["msg_id"] == header["msg_id"]
        assert reply["content"]["status"] == "error"
        # Unknown request types get an error reply too.
        unknown = session.msg("frobnicate_request", {})
        session.send(socket, unknown)
        assert socket.poll(10000)
        _, reply = session.recv(socket)
        assert reply["msg_type"] == "frobnicate_reply"
        assert reply["content"]["status"] == "error"
    finally:
        socket.close(linger=0)
    assert km.is_alive()
    reply, _ = execute(kc, "1")
    assert reply["content"]["status"] == "ok"


def test_history_tail_range_search(kernel):
    _, kc = kernel
    for code in ["1+2", "x = 5", "1+2"]:
        execute(kc, code)
    tail = shell_reply(kc, kc.history(hist_access_type="tail", n=2, output=False, raw=True))
    rows = tail["content"]["history"]
    assert [row[2] for row in rows] == ["x = 5", "1+2"]
    session = rows[0][0]
    ranged = shell_reply(kc, kc.history(hist_access_type="range", session=session, start=1, stop=3,
                                        output=False, raw=True))
    assert [row[1:] for row in ranged["content"]["history"]] == [[1, "1+2"], [2, "x = 5"]]
    unique = shell_reply(kc, kc.history(hist_access_type="search", pattern="1?2*", unique=True,
                                        output=False, raw=True))
    assert [row[2] for row in unique["content"]["history"]] == ["1+2"]
