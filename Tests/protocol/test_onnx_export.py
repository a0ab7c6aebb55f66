"""save(net, "f.onnx") and save(net, "f.safetensors") through the running kernel, checked
outside ConvLens: onnx.checker on each file, onnxruntime on the same preprocessed input giving
the same logits as ConvLens's logits() (1e-4 relative), the safetensors header parsed here by
hand (8-byte little-endian length, JSON, raw F32 data: https://huggingface.co/docs/safetensors),
and both files read back by model() to the same logits.
"""
from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from conftest import execute
from test_onnx_import import REPO, fixtures, write_png  # noqa: F401 (fixtures is a pytest fixture)

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
from onnx import numpy_helper  # noqa: E402

NETWORKS = ["squeezenet", "efficientnet_lite0", "mobilenet_v2"]


def run_cell(kc, code):
    """Runs `code`, fails with the kernel's error if any, returns what it printed."""
    reply, messages = execute(kc, code)
    assert reply["content"]["status"] == "ok", (code, reply["content"].get("evalue"))
    return "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")


def read_safetensors(path):
    """{name: float32 array} and the metadata of a safetensors file, parsed from its bytes."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    metadata = header.pop("__metadata__", {})
    arrays = {}
    for name, entry in header.items():
        assert entry["dtype"] == "F32", (name, entry)
        begin, end = entry["data_offsets"]
        assert end - begin == 4 * int(np.prod(entry["shape"], dtype=np.int64)), (name, entry)
        arrays[name] = np.frombuffer(body[begin:end], dtype="<f4").reshape(entry["shape"])
    return arrays, metadata


def preprocess(pixels, convention):
    """The network's input [1, C, H, W] for an image already at its size (InputConvention.normalize)."""
    image = pixels.astype(np.float32) / 255
    if convention["order"] == "bgr":
        image = image[..., ::-1]
    tensor = (image * np.float32(convention["scale"]) - np.array(convention["mean"], np.float32)) / np.array(convention["std"], np.float32)
    return np.ascontiguousarray(tensor.transpose(2, 0, 1)[None], dtype=np.float32)


@pytest.mark.parametrize("name", NETWORKS)
def test_saved_network_runs_in_onnxruntime_and_reloads(kernel, tmp_path, name):
    _, kc = kernel
    if not (REPO / ".cache" / "assets" / "weights").exists():
        pytest.skip("assets not fetched (make setup)")
    onnx_path, weights_path = tmp_path / f"{name}.onnx", tmp_path / f"{name}.safetensors"
    run_cell(kc, f'net = model("{name}")\nsave(net, "{onnx_path}")\nsave(net, "{weights_path}")')

    # The file is valid ONNX, opset 17, and states the network's convention.
    proto = onnx.load(str(onnx_path))
    onnx.checker.check_model(proto, full_check=True)
    assert proto.ir_version == 8 and proto.producer_name == "ConvLens"
    assert [(o.domain, o.version) for o in proto.opset_import] == [("", 17)]
    metadata = {p.key: p.value for p in proto.metadata_props}
    convention = json.loads(metadata["convlens.input"])
    assert len(json.loads(metadata["convlens.classes"])) == 1000
    size = convention["height"]
    assert [d.dim_param or d.dim_value for d in proto.graph.input[0].type.tensor_type.shape.dim] == ["N", 3, size, size]

    # The same pixels through ConvLens and onnxruntime.
    pixels = np.random.default_rng(12).integers(0, 256, (size, size, 3), dtype=np.uint8)
    picture, ours_path, again_path, like_path = (tmp_path / n for n in ("in.png", "ours.npy", "again.npy", "like.npy"))
    write_png(picture, pixels)
    run_cell(kc, f'img = image("{picture}")\nsave(logits(net, img), "{ours_path}")')
    ours = np.load(ours_path).reshape(1, -1)
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    x = preprocess(pixels, convention)
    (theirs,) = session.run(None, {"input": x})
    assert theirs.shape == (1, 1000)
    print(f"{name}: max |ConvLens - onnxruntime| = {np.abs(ours - theirs).max():.3g}, max |logit| = {np.abs(theirs).max():.3g}")
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4 * np.abs(theirs).max())
    # The batch is free: two copies give the same row twice.
    (pair,) = session.run(None, {"input": np.concatenate([x, x])})
    np.testing.assert_allclose(pair, np.concatenate([theirs, theirs]), rtol=1e-5, atol=1e-6)

    # model("f.onnx") reads the convention from the file: no notice, the same logits.
    text = run_cell(kc, f'back = model("{onnx_path}")\nsave(logits(back, img), "{again_path}")')
    assert "assumed" not in text, text
    np.testing.assert_allclose(np.load(again_path).reshape(1, -1), ours, rtol=1e-6, atol=1e-6)

    # The safetensors file: every tensor as in the ONNX file, same name, shape and bits.
    arrays, weight_metadata = read_safetensors(weights_path)
    assert weight_metadata.get("convlens.network") == name
    initializers = {t.name: numpy_helper.to_array(t) for t in proto.graph.initializer}
    assert arrays and set(arrays) <= set(initializers)
    for key, array in arrays.items():
        assert array.shape == initializers[key].shape, key
        assert np.array_equal(array, initializers[key]), key
    assert sum(a.size for a in arrays.values()) > 1_000_000
    run_cell(kc, f'copy = model("{weights_path}", like: net)\nsave(logits(copy, img), "{like_path}")')
    np.testing.assert_array_equal(np.load(like_path).reshape(1, -1), ours)


def test_saving_errors_name_the_problem(kernel, tmp_path):
    _, kc = kernel
    if not (REPO / ".cache" / "assets" / "weights").exists():
        pytest.skip("assets not fetched (make setup)")
    run_cell(kc, 'net = model("squeezenet")\nlenet = model("lenet_mnist")')
    folder = tmp_path / "folder.onnx"
    folder.mkdir()
    reply, _ = execute(kc, f'save(net, "{folder}")')
    assert reply["content"]["status"] == "error" and "directory" in reply["content"]["evalue"], reply["content"]["evalue"]
    reply, _ = execute(kc, f'save([1, 2], "{tmp_path / "x.onnx"}")')
    assert reply["content"]["status"] == "error" and "not a network" in reply["content"]["evalue"], reply["content"]["evalue"]
    weights = tmp_path / "lenet.safetensors"
    run_cell(kc, f'save(lenet, "{weights}")')
    reply, _ = execute(kc, f'model("{weights}", like: net)')
    evalue = reply["content"]["evalue"]
    assert reply["content"]["status"] == "error" and "lacks" in evalue and "no place for" in evalue, evalue
    # LeNet (gray, 28x28, MNIST's convention) comes back without any notice.
    text = run_cell(kc, f'save(lenet, "{tmp_path / "lenet.onnx"}")\nback = model("{tmp_path / "lenet.onnx"}")')
    assert "assumed" not in text, text


def test_every_imported_fixture_exports_to_what_onnxruntime_runs_the_same(fixtures, tmp_path):
    """Every operator's export: each one-input fixture that ConvLens imports is written back as
    ONNX (`onnx-run --export`, the writer save(net, "f.onnx") uses), passes onnx.checker, and
    onnxruntime gives the same output on it as on the original file (1e-4 relative)."""
    import subprocess
    from test_onnx_import import convlens_binary
    folder, index = fixtures
    rng = np.random.default_rng(11)
    exported = []
    for name, entry in sorted(index.items()):
        if len(entry["inputs"]) != 1:
            continue
        x = rng.standard_normal(list(entry["inputs"].values())[0]).astype(np.float32)
        np.save(tmp_path / "in.npy", x)
        target = tmp_path / f"{name}.exported.onnx"
        run = subprocess.run([convlens_binary(), "onnx-run", str(folder / entry["file"]), str(tmp_path / "in.npy"),
                              str(tmp_path / "out.npy"), "--export", str(target)], capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            continue  # refused on import: test_onnx_import checks why
        onnx.checker.check_model(onnx.load(str(target)), full_check=True)
        original = ort.InferenceSession(str(folder / entry["file"]), providers=["CPUExecutionProvider"])
        theirs = original.run(None, {original.get_inputs()[0].name: x})[0]
        session = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])
        again = session.run(None, {session.get_inputs()[0].name: x})[0]
        assert again.shape == theirs.shape, (name, again.shape, theirs.shape)
        np.testing.assert_allclose(again, theirs, rtol=1e-4, atol=1e-5 * max(1.0, np.abs(theirs).max()), err_msg=name)
        exported.append(name)
    assert {"convtranspose", "prelu", "logsoftmax", "globalmaxpool", "lrn", "averagepool", "matmul", "net_alexnet_lrn_block",
            "net_residual_block", "conv_same_upper", "instancenormalization", "pad_constant", "pad_reflect", "pad_edge",
            "resize_nearest", "resize_linear", "upsample", "pow", "sqrt", "reducemean", "reducesum", "slice_cast_resize",
            "net_upsampling_decoder"} <= set(exported), exported
