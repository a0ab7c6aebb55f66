"""complete, inspect and is_complete answered from the one registry of builtins, through the
real kernel: builtins, variables, argument names inside a call, layer names inside a layer
string and class names inside a class string."""
from __future__ import annotations

from conftest import execute, shell_reply


def complete(kc, code, cursor=None):
    msg_id = kc.complete(code, len(code) if cursor is None else cursor)
    return shell_reply(kc, msg_id)["content"]


def test_completes_builtins_and_variables(kernel):
    _, kc = kernel
    execute(kc, "salary = 3")
    content = complete(kc, "sal")
    assert content["status"] == "ok"
    assert {"saliency", "salary"} <= set(content["matches"])
    assert content["cursor_start"] == 0 and content["cursor_end"] == 3


def test_completes_argument_names_inside_a_call(kernel):
    _, kc = kernel
    code = "occlusion(net, img, wi"
    content = complete(kc, code)
    assert any(m.startswith("window") for m in content["matches"]), content["matches"]
    assert content["cursor_start"] == len(code) - 2


def test_completes_layer_and_class_names_inside_strings(kernel):
    _, kc = kernel
    reply, _ = execute(kc, 'net = model()\ncat = image("chelsea")')
    assert reply["content"]["status"] == "ok"
    layers = complete(kc, 'activations(net, cat, "fir')["matches"]
    assert {"fire2", "fire9"} <= {m.strip('"') for m in layers}, layers
    classes = complete(kc, 'saliency(net, cat, class: "tabb')["matches"]
    assert any("tabby" in m for m in classes), classes


def test_inspect_gives_signature_and_documentation(kernel):
    _, kc = kernel
    short = shell_reply(kc, kc.inspect("saliency", 3, detail_level=0))["content"]
    assert short["status"] == "ok" and short["found"]
    text = short["data"]["text/plain"]
    assert "saliency(net: model, img: image" in text
    assert "max over RGB" in text
    long = shell_reply(kc, kc.inspect("saliency", 3, detail_level=1))["content"]
    assert len(long["data"]["text/plain"]) > len(text)
    missing = shell_reply(kc, kc.inspect("nonesuch", 3))["content"]
    assert missing["status"] == "ok" and not missing["found"]


def test_is_complete_distinguishes_complete_incomplete_invalid(kernel):
    _, kc = kernel

    def verdict(code):
        return shell_reply(kc, kc.is_complete(code))["content"]

    assert verdict("x = 1 + 2")["status"] == "complete"
    open_call = verdict("saliency(net,")
    assert open_call["status"] == "incomplete"
    assert "indent" in open_call
    assert verdict("x = = 1")["status"] == "invalid"
