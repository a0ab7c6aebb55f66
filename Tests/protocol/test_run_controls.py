"""Controls that work while a long cell runs: train's pause/resume button and learning-rate
slider, visualize's and dream's stop button, driven over comm messages as JupyterLab's widget
manager sends them, while the cell thread is busy."""
from __future__ import annotations

import csv
import re
import time

from conftest import execute, flush_iopub, shell_reply
from test_widgets import send_comm, update

TIMEOUT = 120


def click(kc, comm_id):
    send_comm(kc, "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}})


class CellWatcher:
    """Reads a running cell's iopub messages: its widgets by description, and the step counts
    its progress display reports ("step k/n" in the text of each update)."""

    def __init__(self, kc, msg_id):
        self.kc, self.msg_id = kc, msg_id
        self.widgets = {}
        self.steps = []
        self.messages = []
        self.idle = False

    def pump(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.idle:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
            except Exception:
                break
            if msg["parent_header"].get("msg_id") != self.msg_id:
                continue
            self.messages.append(msg)
            kind = msg["msg_type"]
            if kind == "comm_open":
                state = msg["content"]["data"]["state"]
                if state.get("description"):
                    self.widgets[state["description"]] = (msg["content"]["comm_id"], state)
            elif kind in ("display_data", "update_display_data"):
                text = msg["content"]["data"].get("text/plain", "")
                # Training counts examples ("400/2000 examples"), synthesis steps ("step 12/200").
                found = re.search(r"(\d+)/(\d+) examples", text) or re.search(r"step (\d+)/(\d+)", text)
                if found:
                    self.steps.append((time.monotonic(), int(found.group(1)), text))
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                self.idle = True

    def wait_for(self, predicate, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not predicate():
            self.pump(0.2)
        assert predicate(), f"timed out; widgets {list(self.widgets)}, steps {self.steps[-3:]}"


def test_pause_stops_training_and_resume_finishes_it_with_the_slider_rate(kernel, tmp_path):
    _, kc = kernel
    flush_iopub(kc)
    path = tmp_path / "history.csv"
    msg_id = kc.execute('seed(3)\nd = dataset("mnist", count: 2000)\nnet = convnet("conv 5x5 8 relu, pool 2, fc 10", input: [1, 28, 28])\n'
                        f'h = train(net, d, epochs: 6, batch: 20, rate: 0.01)\nsave(h, "{path}")')
    cell = CellWatcher(kc, msg_id)
    cell.wait_for(lambda: "pause" in cell.widgets and "rate" in cell.widgets, 60)
    pause_id, pause_state = cell.widgets["pause"]
    rate_id, rate_state = cell.widgets["rate"]
    assert rate_state["_model_name"] == "FloatLogSliderModel"
    assert abs(10 ** rate_state["min"] - 0.001) < 1e-9 and abs(10 ** rate_state["max"] - 0.1) < 1e-9
    cell.wait_for(lambda: len(cell.steps) >= 2, 60)

    update(kc, rate_id, {"value": 0.02})
    click(kc, pause_id)
    cell.wait_for(lambda: any("paused" in text for _, _, text in cell.steps), 10)
    paused_at = max(step for _, step, _ in cell.steps)
    cell.pump(2.0)
    # Paused: no more examples trained (the reports stop at the paused count).
    assert max(step for _, step, _ in cell.steps) == paused_at
    assert not cell.idle

    click(kc, pause_id)
    cell.wait_for(lambda: cell.idle, TIMEOUT)
    reply = shell_reply(kc, msg_id)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert max(step for _, step, _ in cell.steps) > paused_at
    with open(path) as file:
        rows = list(csv.DictReader(file))
    rates = [float(row["rate"]) for row in rows]
    # Float32 rates: 0.01 and, after the slider moved, 0.02.
    assert abs(rates[0] - 0.01) < 1e-8 and abs(rates[-1] - 0.02) < 1e-8, (rates[0], rates[-1])
    assert int(float(rows[-1]["examples"])) == 6 * 2000
    # The controls are closed and their display emptied once the run ends.
    closed = {m["content"]["comm_id"] for m in cell.messages if m["msg_type"] == "comm_close"}
    assert {pause_id, rate_id} <= closed


def test_stop_ends_visualize_early_and_keeps_the_image(kernel, tmp_path):
    _, kc = kernel
    flush_iopub(kc)
    path = tmp_path / "v.npy"
    msg_id = kc.execute(f'seed(1)\nv = visualize(model(), class: "flamingo", steps: 400)\nsave(v, "{path}")\nv')
    cell = CellWatcher(kc, msg_id)
    cell.wait_for(lambda: "stop" in cell.widgets and cell.steps, 60)
    click(kc, cell.widgets["stop"][0])
    started = time.monotonic()
    cell.wait_for(lambda: cell.idle, 30)
    assert time.monotonic() - started < 10
    reply = shell_reply(kc, msg_id)
    assert reply["content"]["status"] == "ok", reply["content"]
    finished = [m for m in cell.messages if m["msg_type"] == "update_display_data"
                and "(stopped)" in m["content"]["data"].get("text/plain", "")]
    assert finished, "the progress line says the run was stopped"
    steps = int(re.search(r"(\d+) steps \(stopped\)", finished[-1]["content"]["data"]["text/plain"]).group(1))
    assert 0 < steps < 400
    import numpy as np
    image = np.load(path)
    assert image.shape == (227, 227, 3) and image.std() > 0


def test_stop_ends_dream_early_at_the_image_size(kernel, tmp_path):
    _, kc = kernel
    flush_iopub(kc)
    path = tmp_path / "d.npy"
    msg_id = kc.execute(f'd = dream(model(), image("chelsea"), layer: "fire5", steps: 60, octaves: 3, size: 200)\nsave(d, "{path}")')
    cell = CellWatcher(kc, msg_id)
    cell.wait_for(lambda: "stop" in cell.widgets and cell.steps, 60)
    click(kc, cell.widgets["stop"][0])
    cell.wait_for(lambda: cell.idle, 30)
    reply = shell_reply(kc, msg_id)
    assert reply["content"]["status"] == "ok", reply["content"]
    import numpy as np
    # chelsea is 451 x 300; at size 200 the dream is 200 x round(300 * 200 / 451) = 200 x 133.
    assert np.load(path).shape[:2] == (133, 200)
    texts = [m["content"]["data"].get("text/plain", "") for m in cell.messages if m["msg_type"] == "update_display_data"]
    assert any("(stopped)" in text for text in texts)
    reply, _ = execute(kc, "1 + 1")
    assert reply["content"]["status"] == "ok"


def test_a_comm_message_during_a_cell_leaves_the_kernel_busy(kernel):
    """The comm thread's idle for a comm message must not read as the end of the running cell:
    it is followed by busy on the cell's behalf, and the cell's own idle comes last."""
    _, kc = kernel
    flush_iopub(kc)
    cell_id = kc.execute("sleep(3)")
    time.sleep(0.8)
    comm_id = send_comm(kc, "comm_info_request", {})
    statuses = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["msg_type"] == "status":
            statuses.append((msg["parent_header"].get("msg_id"), msg["content"]["execution_state"]))
            if statuses[-1] == (cell_id, "idle"):
                break
    comm_idle = statuses.index((comm_id, "idle"))
    assert statuses[comm_idle + 1] == (cell_id, "busy"), statuses
    assert statuses[-1] == (cell_id, "idle") and comm_idle < len(statuses) - 1, statuses
    assert shell_reply(kc, cell_id)["content"]["status"] == "ok"
