"""`explore(net, img)` through jupyter_client, as a front end's widget manager drives it: its
models (two dropdowns, an IntSlider, an Image, a Label), a layer change that resizes the
channel slider, channel changes that send new PNG buffers with numbers in the text line equal
to numpy's on `activations`' saved maps, a redraw while `sleep(6)` runs, and bad starts shown
as errors while the kernel stays up."""
from __future__ import annotations

import re
import time

import numpy as np

from conftest import execute, flush_iopub, iopub_until_idle, shell_reply
from test_widgets import comm_opens, png_size, update


def parts(opens):
    """The explore view's models by role: layer, mode, channel, picture, label (comm ids)."""
    states = {comm_id: m["content"]["data"]["state"] for comm_id, m in opens.items()}
    found = {}
    for comm_id, state in states.items():
        name, description = state["_model_name"], state.get("description")
        if name == "DropdownModel":
            found[description] = comm_id
        elif name == "IntSliderModel":
            found["channel"] = comm_id
        elif name == "ImageModel":
            found["picture"] = comm_id
        elif name == "LabelModel":
            found["label"] = comm_id
    assert set(found) == {"layer", "mode", "channel", "picture", "label"}, found
    return found, states


def sent_to(messages, comm_id):
    return [m for m in messages if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id]


def activation_range(kc, tmp_path, layer, channel):
    """(min, max) of one channel map, by numpy on the .npy `activations` saves: an independent path."""
    path = tmp_path / f"{layer}-{channel}.npy"
    reply, _ = execute(kc, f'save(activations(net, cat, "{layer}", channels: [{channel}]), "{path}")')
    assert reply["content"]["status"] == "ok", reply["content"]
    values = np.load(path)
    return float(values.min()), float(values.max())


def label_range(text):
    match = re.search(r"activation (\S+) to (\S+),", text)
    assert match, text
    return float(match.group(1)), float(match.group(2))


def test_explore_layer_then_channel(kernel, tmp_path):
    _, kc = kernel
    reply, messages = execute(kc, 'net = model()\ncat = image("chelsea")\nexplore(net, cat)')
    assert reply["content"]["status"] == "ok", reply["content"]
    opens = comm_opens(messages)
    ids, states = parts(opens)
    layers = states[ids["layer"]]["_options_labels"]
    assert layers[0] == "conv1" and "fire5" in layers, layers
    assert states[ids["mode"]]["_options_labels"] == ["activation map", "top patches", "guided backprop", "deconv",
                                                      "visualization"]
    assert (states[ids["channel"]]["min"], states[ids["channel"]]["max"], states[ids["channel"]]["value"]) == (0, 63, 0)
    first = bytes(opens[ids["picture"]]["buffers"][0])
    width, height = png_size(first)
    assert width > 2 * 227 and height > 227, (width, height)
    result = next(m for m in messages if m["msg_type"] == "execute_result")["content"]["data"]
    assert result["text/plain"].startswith('dropdown "layer": conv1 (of conv1, ')
    assert "image/png" in result, "the static fallback carries the picture"

    # The layer: the slider's range follows (fire5 has 256 channels), and a new picture comes.
    started = time.monotonic()
    messages = iopub_until_idle(kc, update(kc, ids["layer"], {"index": layers.index("fire5")}))
    print(f"layer change answered in {1000 * (time.monotonic() - started):.0f} ms")
    slider = [m["content"]["data"]["state"] for m in sent_to(messages, ids["channel"])]
    assert {"max": 255, "value": 0} in slider, slider
    picture = sent_to(messages, ids["picture"])
    assert picture and picture[-1]["content"]["data"]["buffer_paths"] == [["value"]]
    fire5 = bytes(picture[-1]["buffers"][0])
    assert fire5 != first

    # Channels: each a new PNG, its text line's numbers those numpy finds in activations' map.
    times = []
    for channel in (7, 8, 200):
        started = time.monotonic()
        messages = iopub_until_idle(kc, update(kc, ids["channel"], {"value": channel}))
        times.append(1000 * (time.monotonic() - started))
        picture = sent_to(messages, ids["picture"])
        assert picture, [m["msg_type"] for m in messages]
        assert bytes(picture[-1]["buffers"][0]) != fire5
        text = sent_to(messages, ids["label"])[-1]["content"]["data"]["state"]["value"]
        assert text.startswith(f"fire5 channel {channel} of 256: "), text
        low, high = activation_range(kc, tmp_path, "fire5", channel)
        shown = label_range(text)
        assert abs(shown[0] - low) <= 1e-3 * max(1, abs(low)) and abs(shown[1] - high) <= 1e-3 * max(1, abs(high)), \
            (shown, low, high)
    print("channel changes answered in " + ", ".join(f"{t:.0f}" for t in times) + " ms (activation mode, round trip)")


def test_explore_redraws_while_a_long_cell_runs(kernel):
    _, kc = kernel
    reply, messages = execute(kc, 'explore(model(), image("chelsea"))')
    assert reply["content"]["status"] == "ok", reply["content"]
    ids, _ = parts(comm_opens(messages))
    flush_iopub(kc)
    started = time.monotonic()
    cell = kc.execute("sleep(6)")
    time.sleep(0.5)
    messages = iopub_until_idle(kc, update(kc, ids["channel"], {"value": 12}), timeout=5)
    answered = time.monotonic() - started
    assert sent_to(messages, ids["picture"]), "no new picture"
    text = sent_to(messages, ids["label"])[-1]["content"]["data"]["state"]["value"]
    assert text.startswith("conv1 channel 12 of 64"), text
    assert answered < 3, f"the new picture came {answered:.1f} s after the cell started, behind sleep(6)"
    assert shell_reply(kc, cell, timeout=15)["content"]["status"] == "ok"


def test_explore_modes_and_errors(kernel):
    _, kc = kernel
    reply, messages = execute(kc, 'net = model()\ncat = image("chelsea")\nexplore(net, cat, layer: "fire9", channel: 3)')
    assert reply["content"]["status"] == "ok", reply["content"]
    ids, states = parts(comm_opens(messages))
    modes = states[ids["mode"]]["_options_labels"]
    for mode, start in (("top patches", "fire9 channel 3: the 9 strongest of "), ("deconv", "deconv of "),
                        ("guided backprop", "guided backprop of ")):
        messages = iopub_until_idle(kc, update(kc, ids["mode"], {"index": modes.index(mode)}), timeout=120)
        text = sent_to(messages, ids["label"])[-1]["content"]["data"]["state"]["value"]
        assert text.startswith(start), text
        assert sent_to(messages, ids["picture"]), mode
    for code, message in (('explore(net, cat, channel: 64)', "conv1 has channels 0 to 63, not 64"),
                          ('explore(net, cat, layer: "fire99")', "no layer 'fire99'"),
                          ('explore(net, 3)', "")):
        reply, _ = execute(kc, code)
        assert reply["content"]["status"] == "error", code
        assert message in reply["content"]["evalue"], reply["content"]
    reply, _ = execute(kc, "1 + 1")
    assert reply["content"]["status"] == "ok"
