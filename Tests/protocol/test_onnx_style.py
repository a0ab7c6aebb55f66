"""The operators of feed-forward style networks against onnxruntime, through `convlens onnx-run`:
every Resize coordinate/nearest mode combination (enlarging and shrinking, scales and sizes),
Pad with negative pads and an `axes` input, the reductions' opset variants, and Dumoulin et al.'s
multistyle26 network on a real photo for a one-hot and a mixed style vector (1e-4 relative).

Set CONVLENS_BINARY to run a given convlens binary instead of the installed kernel's.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from test_onnx_import import convlens_binary, read_png

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def binary():
    return os.environ.get("CONVLENS_BINARY") or convlens_binary()


def one_node_model(op, x_shape, inputs, opset, **attributes):
    """A model with input x and one `op` node reading x and the given constants (None: omitted)."""
    initializers, names = [], ["x"]
    for index, value in enumerate(inputs):
        if value is None:
            names.append("")
            continue
        initializers.append(numpy_helper.from_array(value, f"c{index}"))
        names.append(f"c{index}")
    node = helper.make_node(op, names, ["y"], name=f"{op}_0", **attributes)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)


def run_both(model, x, tmp_path, constants=None):
    path = tmp_path / "m.onnx"
    onnx.save(model, path)
    np.save(tmp_path / "in.npy", x)
    arguments = [binary(), "onnx-run", str(path), str(tmp_path / "in.npy"), str(tmp_path / "out.npy")]
    feeds = {"x": x} if "x" in [i.name for i in model.graph.input] else {model.graph.input[0].name: x}
    for name, value in (constants or {}).items():
        np.save(tmp_path / f"{name}.npy", value)
        arguments += ["--constant", f"{name}={tmp_path / f'{name}.npy'}"]
        feeds[name] = value
    run = subprocess.run(arguments, capture_output=True, text=True, timeout=300)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    theirs = session.run(None, feeds)[0]
    return run, theirs, (np.load(tmp_path / "out.npy") if run.returncode == 0 else None)


def assert_same(run, theirs, ours, what):
    assert run.returncode == 0, (what, run.stderr)
    assert ours.shape == theirs.shape, (what, ours.shape, theirs.shape)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5 * max(1.0, np.abs(theirs).max()), err_msg=what)


def test_resize_modes(tmp_path):
    x = np.random.default_rng(1).standard_normal([1, 2, 5, 7]).astype(np.float32)
    checked = 0
    for transformation in ["half_pixel", "pytorch_half_pixel", "asymmetric", "align_corners"]:
        for mode, roundings in [("linear", [None]), ("nearest", ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"])]:
            for rounding in roundings:
                attributes = {"mode": mode, "coordinate_transformation_mode": transformation}
                if rounding:
                    attributes["nearest_mode"] = rounding
                for scales, sizes in [([1, 1, 2, 3], None), ([1, 1, 0.6, 0.5], None), ([1, 1, 1.5, 2.5], None),
                                      (None, [1, 2, 3, 11]), (None, [1, 2, 1, 1])]:
                    inputs = [None, None if scales is None else np.array(scales, np.float32)]
                    if sizes is not None:
                        inputs.append(np.array(sizes, np.int64))
                    model = one_node_model("Resize", list(x.shape), inputs, 13, **attributes)
                    assert_same(*run_both(model, x, tmp_path), f"{attributes} scales {scales} sizes {sizes}")
                    checked += 1
    assert checked == 100


def test_resize_refusals_name_the_attribute(tmp_path):
    x = np.zeros([1, 1, 4, 4], np.float32)
    scales = np.array([1, 1, 2, 2], np.float32)
    for attributes, named in [({"mode": "cubic"}, "mode 'cubic'"),
                              ({"coordinate_transformation_mode": "tf_crop_and_resize"}, "coordinate_transformation_mode"),
                              ({"mode": "linear", "antialias": 1}, "antialias")]:
        model = one_node_model("Resize", [1, 1, 4, 4], [None, scales], 18, **attributes)
        run, _, _ = run_both(model, x, tmp_path) if "antialias" not in attributes else (None, None, None)
        if run is None:  # onnxruntime runs antialias; ConvLens alone is asked
            onnx.save(model, tmp_path / "m.onnx")
            np.save(tmp_path / "in.npy", x)
            run = subprocess.run([binary(), "onnx-run", str(tmp_path / "m.onnx"), str(tmp_path / "in.npy"), str(tmp_path / "o.npy")],
                                 capture_output=True, text=True, timeout=60)
        assert run.returncode != 0 and named in run.stderr, (attributes, run.stderr)


def test_pad_variants(tmp_path):
    x = np.random.default_rng(2).standard_normal([1, 3, 5, 6]).astype(np.float32)
    cases = [
        ("constant", np.array([0, 1, -1, 2, 0, 0, 2, -2], np.int64), np.float32(-3), None, 13),  # channels and crops
        ("reflect", np.array([0, 0, 4, -1, 0, 0, 3, 4], np.int64), None, None, 13),  # crop one side, reflect the other
        ("edge", np.array([0, 0, 7, 1, 0, 0, 0, 9], np.int64), None, None, 13),
        ("reflect", np.array([2, 1, 3, 2], np.int64), None, np.array([-2, -1], np.int64), 18),  # axes input
        ("constant", np.array([1, 1], np.int64), None, np.array([3], np.int64), 18),  # default fill 0
    ]
    for mode, pads, value, axes, opset in cases:
        inputs = [pads, value] + ([axes] if axes is not None else [])
        model = one_node_model("Pad", list(x.shape), inputs, opset, mode=mode)
        assert_same(*run_both(model, x, tmp_path), f"{mode} {pads} axes {axes}")
    # The batch axis is not padded: one error saying so.
    model = one_node_model("Pad", list(x.shape), [np.array([1, 0, 0, 0, 0, 0, 0, 0], np.int64)], 13, mode="constant")
    run, _, _ = run_both(model, x, tmp_path)
    assert run.returncode != 0 and "batch axis" in run.stderr, run.stderr


def test_reduction_variants(tmp_path):
    x = np.random.default_rng(3).standard_normal([1, 3, 4, 5]).astype(np.float32)
    cases = [
        ("ReduceSum", [np.array([1, -1], np.int64)], {"keepdims": 0}, 13),
        ("ReduceSum", [np.array([], np.int64)], {"noop_with_empty_axes": 1}, 13),
        ("ReduceSum", [], {"axes": [2], "keepdims": 1}, 11),
        ("ReduceMean", [], {"axes": [1, 3], "keepdims": 0}, 13),
        ("ReduceMean", [np.array([2, 3], np.int64)], {}, 18),
    ]
    for op, inputs, attributes, opset in cases:
        model = one_node_model(op, list(x.shape), inputs, opset, **attributes)
        assert_same(*run_both(model, x, tmp_path), f"{op} {attributes} opset {opset}")


def test_pow_exponents(tmp_path):
    x = np.abs(np.random.default_rng(4).standard_normal([1, 2, 3, 3])).astype(np.float32) + 0.1
    for exponent in [2.0, 0.5, 3.0, -1.5]:
        model = one_node_model("Pow", list(x.shape), [np.array(exponent, np.float32)], 13)
        assert_same(*run_both(model, x, tmp_path), f"Pow {exponent}")


def test_multistyle26_matches_onnxruntime_on_a_photo(tmp_path):
    asset = REPO / ".cache" / "assets" / "weights" / "multistyle26.onnx"
    photo = REPO / ".cache" / "assets" / "images" / "chelsea.png"
    if not asset.exists() or not photo.exists():
        pytest.skip("assets not fetched (make setup)")
    pixels = read_png(photo)
    # Sides multiples of 4, at the photo's own aspect (300 x 451 -> 300 x 448).
    height, width = pixels.shape[0] // 4 * 4, pixels.shape[1] // 4 * 4
    image = (pixels[:height, :width].astype(np.float32) / 255).transpose(2, 0, 1)[None].copy()
    one_hot = np.zeros(26, np.float32)
    one_hot[7] = 1
    mixed = np.zeros(26, np.float32)
    mixed[[2, 11, 20]] = [0.5, 0.3, 0.2]
    model = onnx.load(asset)
    for style in [one_hot, mixed]:
        run, theirs, ours = run_both(model, image, tmp_path, constants={"style_weights": style})
        assert_same(run, theirs, ours, f"style {style}")
        assert theirs.shape == (1, 3, height, width)


def test_stylize_in_the_kernel(kernel, tmp_path):
    """stylize through the running kernel: an image/png result, the saved PNG at the photo's aspect
    (451 x 300 -> 128 x 84), and an out-of-range style refused naming the range."""
    if not (REPO / ".cache" / "assets" / "weights" / "multistyle26.onnx").exists():
        pytest.skip("assets not fetched (make setup)")
    from conftest import execute
    _, kc = kernel
    saved = tmp_path / "styled.png"
    reply, messages = execute(kc, f'x = stylize(image("chelsea"), style: 3, size: 128)\nsave(x, "{saved}")\nx')
    assert reply["content"]["status"] == "ok", reply["content"]
    results = [m for m in messages if m["msg_type"] == "execute_result"]
    assert results and "image/png" in results[0]["content"]["data"], messages
    assert read_png(saved).shape == (84, 128, 3)
    reply, _ = execute(kc, 'stylize(image("chelsea"), style: 30)')
    assert reply["content"]["status"] == "error" and "0 to 25" in reply["content"]["evalue"], reply["content"]
