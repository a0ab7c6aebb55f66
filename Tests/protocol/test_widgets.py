"""Jupyter widgets spoken by the kernel (ipywidgets' "Widget messaging protocol, version 2"
with 2.1's echo_update), driven with jupyter_client as a front end's widget manager would:
comm_open frames and buffers, update round trips, request_state(s), clicks, comm_info, and
comm messages answered while a long cell runs."""
from __future__ import annotations

import struct
import time

from conftest import execute, flush_iopub, iopub_until_idle, shell_reply

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data):
    """(width, height) from a PNG's IHDR chunk, read independently of the kernel's encoder."""
    data = bytes(data)
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def comm_opens(messages):
    return {m["content"]["comm_id"]: m for m in messages if m["msg_type"] == "comm_open"}


def model(opens, name):
    found = [m for m in opens.values() if m["content"]["data"]["state"]["_model_name"] == name]
    assert found, f"no {name} among {[m['content']['data']['state']['_model_name'] for m in opens.values()]}"
    return found[-1]


def send_comm(kc, msg_type, content, buffers=None):
    msg = kc.session.msg(msg_type, content)
    kc.session.send(kc.shell_channel.socket, msg, buffers=buffers or [])
    return msg["header"]["msg_id"]


def update(kc, comm_id, state):
    return send_comm(kc, "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state,
                                                                   "buffer_paths": []}})


def test_slider_comm_open_and_display(kernel):
    _, kc = kernel
    reply, messages = execute(kc, 's = slider(0, 63, value: 12, description: "channel")\ns')
    assert reply["content"]["status"] == "ok"
    opens = comm_opens(messages)
    slider = model(opens, "IntSliderModel")
    assert slider["metadata"]["version"] == "2.1.0"
    assert slider["content"]["target_name"] == "jupyter.widget"
    data = slider["content"]["data"]
    assert data["buffer_paths"] == []
    state = data["state"]
    assert state["_model_module"] == "@jupyter-widgets/controls"
    assert state["_model_module_version"] == "2.0.0"
    assert state["_view_name"] == "IntSliderView"
    assert state["_view_module"] == "@jupyter-widgets/controls"
    assert state["_view_module_version"] == "2.0.0"
    assert (state["value"], state["min"], state["max"], state["step"]) == (12, 0, 63, 1)
    assert state["description"] == "channel"
    layout = opens[state["layout"].removeprefix("IPY_MODEL_")]["content"]["data"]["state"]
    assert (layout["_model_name"], layout["_model_module"]) == ("LayoutModel", "@jupyter-widgets/base")
    assert opens[state["style"].removeprefix("IPY_MODEL_")]["content"]["data"]["state"]["_model_name"] == "SliderStyleModel"
    # Models are opened before the output that shows them, with the cell as their parent.
    result = next(m for m in messages if m["msg_type"] == "execute_result")
    assert messages.index(slider) < messages.index(result)
    assert slider["parent_header"]["msg_id"] == reply["parent_header"]["msg_id"]
    view = result["content"]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view == {"model_id": slider["content"]["comm_id"], "version_major": 2, "version_minor": 0}
    assert result["content"]["data"]["text/plain"] == 'slider "channel": 12 (0 to 63, step 1)'


def test_picture_travels_as_a_buffer(kernel):
    _, kc = kernel
    _, messages = execute(kc, 'picture(image("chelsea", size: 20))')
    image = model(comm_opens(messages), "ImageModel")
    data = image["content"]["data"]
    assert data["buffer_paths"] == [["value"]]
    assert "value" not in data["state"]
    assert data["state"]["format"] == "png"
    assert len(image["buffers"]) == 1
    assert png_size(image["buffers"][0]) == (20, 20)
    result = next(m for m in messages if m["msg_type"] == "execute_result")["content"]["data"]
    assert result["text/plain"].startswith("picture (")
    assert "image/png" in result, "front ends without widgets still see the picture"


def interact_models(kc, code='s = slider(8, 64, value: 16)\ninteract(image, "chelsea", size: s)'):
    reply, messages = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    opens = comm_opens(messages)
    return model(opens, "IntSliderModel")["content"]["comm_id"], model(opens, "ImageModel"), opens


def test_interact_update_round_trip_changes_the_image_bytes(kernel):
    _, kc = kernel
    slider, image, _ = interact_models(kc)
    assert png_size(image["buffers"][0]) == (16, 16)
    msg_id = update(kc, slider, {"value": 24})
    messages = iopub_until_idle(kc, msg_id)
    comm_msgs = [m for m in messages if m["msg_type"] == "comm_msg"]
    echo = next(m for m in comm_msgs if m["content"]["comm_id"] == slider)
    assert echo["content"]["data"] == {"method": "echo_update", "state": {"value": 24}, "buffer_paths": []}
    assert echo["metadata"]["version"] == "2.1.0"
    redraw = next(m for m in comm_msgs if m["content"]["comm_id"] == image["content"]["comm_id"])
    assert redraw["content"]["data"]["method"] == "update"
    assert redraw["content"]["data"]["buffer_paths"] == [["value"]]
    assert png_size(redraw["buffers"][0]) == (24, 24)
    assert bytes(redraw["buffers"][0]) != bytes(image["buffers"][0])
    # The cell sees where the front end put the slider.
    _, messages = execute(kc, "s.value")
    assert next(m for m in messages if m["msg_type"] == "execute_result")["content"]["data"]["text/plain"] == "24"


def test_interact_errors_show_as_text_and_the_kernel_stays_up(kernel):
    _, kc = kernel
    reply, messages = execute(kc, 'n = dropdown(["chelsea", "no-such-photo"])\ninteract(image, n, size: 8)')
    assert reply["content"]["status"] == "ok", reply["content"]
    opens = comm_opens(messages)
    assert png_size(model(opens, "ImageModel")["buffers"][0]) == (8, 8)
    dropdown = model(opens, "DropdownModel")["content"]["comm_id"]
    label = model(opens, "LabelModel")["content"]["comm_id"]
    messages = iopub_until_idle(kc, update(kc, dropdown, {"index": 1}))
    text = next(m for m in messages if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == label)
    assert "no-such-photo" in text["content"]["data"]["state"]["value"]
    reply, _ = execute(kc, "1 + 1")
    assert reply["content"]["status"] == "ok"


def test_comm_info_with_and_without_target(kernel):
    _, kc = kernel
    _, messages = execute(kc, 'b = button("go")')
    ids = set(comm_opens(messages))
    control = send_comm(kc, "comm_open", {"comm_id": "ctl-1", "target_name": "jupyter.widget.control", "data": {}})
    iopub_until_idle(kc, control)
    everything = shell_reply(kc, kc.comm_info())["content"]["comms"]
    assert set(everything) == ids | {"ctl-1"}
    assert everything["ctl-1"] == {"target_name": "jupyter.widget.control"}
    widgets = shell_reply(kc, kc.comm_info(target_name="jupyter.widget"))["content"]["comms"]
    assert set(widgets) == ids
    assert all(v == {"target_name": "jupyter.widget"} for v in widgets.values())


def test_control_target_answers_update_states(kernel):
    _, kc = kernel
    _, messages = execute(kc, 'row(slider(0, 5), picture(image("chelsea", size: 12)))')
    opens = comm_opens(messages)
    image_id = model(opens, "ImageModel")["content"]["comm_id"]
    msg_id = send_comm(kc, "comm_open", {"comm_id": "ctl-2", "target_name": "jupyter.widget.control", "data": {}})
    assert not [m for m in iopub_until_idle(kc, msg_id) if m["msg_type"] == "comm_close"]
    msg_id = send_comm(kc, "comm_msg", {"comm_id": "ctl-2", "data": {"method": "request_states"}})
    reply = next(m for m in iopub_until_idle(kc, msg_id) if m["msg_type"] == "comm_msg")
    data = reply["content"]["data"]
    assert data["method"] == "update_states"
    assert set(data["states"]) == set(opens)
    assert data["states"][image_id]["model_name"] == "ImageModel"
    assert data["states"][image_id]["state"]["_model_module"] == "@jupyter-widgets/controls"
    assert data["buffer_paths"] == [[image_id, "state", "value"]]
    assert png_size(reply["buffers"][0]) == (12, 12)


def test_request_state_and_frontend_models_refused(kernel):
    _, kc = kernel
    _, messages = execute(kc, 'picture(image("chelsea", size: 10))')
    image = model(comm_opens(messages), "ImageModel")
    comm_id = image["content"]["comm_id"]
    msg_id = send_comm(kc, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
    reply = next(m for m in iopub_until_idle(kc, msg_id) if m["msg_type"] == "comm_msg")
    assert reply["content"]["data"]["method"] == "update"
    assert reply["content"]["data"]["state"]["_model_name"] == "ImageModel"
    assert reply["content"]["data"]["buffer_paths"] == [["value"]]
    assert bytes(reply["buffers"][0]) == bytes(image["buffers"][0])
    # A model the front end creates itself is closed at once.
    msg_id = send_comm(kc, "comm_open", {"comm_id": "fe-1", "target_name": "jupyter.widget",
                                         "data": {"state": {}, "buffer_paths": []}})
    assert [m["content"]["comm_id"] for m in iopub_until_idle(kc, msg_id) if m["msg_type"] == "comm_close"] == ["fe-1"]


def test_button_clicks_arrive_as_custom_messages(kernel):
    _, kc = kernel
    _, messages = execute(kc, 'b = button("stop")')
    button = model(comm_opens(messages), "ButtonModel")["content"]["comm_id"]
    for _ in range(3):
        iopub_until_idle(kc, send_comm(kc, "comm_msg", {"comm_id": button, "data": {"method": "custom",
                                                                                    "content": {"event": "click"}}}))
    _, messages = execute(kc, "b.value")
    assert next(m for m in messages if m["msg_type"] == "execute_result")["content"]["data"]["text/plain"] == "3"


def test_comm_messages_are_answered_while_a_long_cell_runs(kernel):
    _, kc = kernel
    slider, image, _ = interact_models(kc)
    flush_iopub(kc)
    started = time.monotonic()
    cell = kc.execute("sleep(6)")
    time.sleep(0.5)
    msg_id = update(kc, slider, {"value": 40})
    messages = iopub_until_idle(kc, msg_id, timeout=5)
    answered = time.monotonic() - started
    redraw = next(m for m in messages if m["msg_type"] == "comm_msg"
                  and m["content"]["comm_id"] == image["content"]["comm_id"])
    assert png_size(redraw["buffers"][0]) == (40, 40)
    assert any(m["msg_type"] == "comm_msg" and m["content"]["data"]["method"] == "echo_update" for m in messages)
    assert answered < 3, f"the redraw came {answered:.1f} s after the cell started, behind sleep(6)"
    reply = shell_reply(kc, cell, timeout=15)
    assert reply["content"]["status"] == "ok"
    assert time.monotonic() - started >= 6
