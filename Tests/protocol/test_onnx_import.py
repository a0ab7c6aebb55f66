"""ONNX import checked against onnxruntime: through the running kernel, and through
`convlens onnx-run` (the same importer on raw tensors of any shape) for every fixture.

Each fixture of scripts/make_onnx_fixtures.py whose operators ConvLens maps to layers and whose
input is one square RGB image batch [1, 3, S, S] is loaded with model(path, size: S, mean: 0,
std: 1) (so the tensor is the image's pixel values), run with logits() on a seeded random
picture, saved as .npy, and compared with onnxruntime on the same pixels (1e-4 relative).
VGG-16's pool5 is compared with onnxruntime running the asset file cut at pool5.
"""
from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from conftest import KERNEL_NAME, execute

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

REPO = Path(__file__).resolve().parents[2]
# Operators ConvLens maps to layers (Sources/Engine/ONNX/ONNXNodeMapping.swift) or folds.
MAPPED = {"Conv", "Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softmax", "MaxPool",
          "AveragePool", "GlobalAveragePool", "BatchNormalization", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div",
          "Concat", "Flatten", "Reshape", "Transpose", "Dropout", "Identity",
          "ConvTranspose", "PRelu", "LogSoftmax", "GlobalMaxPool", "LRN", "Squeeze", "Unsqueeze", "Sum",
          "InstanceNormalization", "Pad", "Resize", "Upsample", "Pow", "Sqrt", "ReduceMean", "ReduceSum",
          "Constant", "Shape", "Gather", "Slice", "ConstantOfShape", "Cast", "QuantizeLinear", "DequantizeLinear"}


def write_png(path, pixels):
    """An 8-bit RGB PNG of `pixels` (H, W, 3 uint8), written with zlib alone."""
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[row].tobytes() for row in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def read_png(path):
    """The pixels (H, W, 3 uint8) of an 8-bit RGB or RGBA non-interlaced PNG (filters of PNG spec 9.2)."""
    data = path.read_bytes()
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind, body = data[position + 4:position + 8], data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], np.zeros(stride, np.int32)
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, row * (stride + 1) + 1).astype(np.int32)
        out = np.zeros(stride, np.int32)
        for i in range(stride):
            a = out[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 0: predictor = 0
            elif kind == 1: predictor = a
            elif kind == 2: predictor = b
            elif kind == 3: predictor = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out[i] = (line[i] + predictor) & 0xFF
        rows.append(out)
        previous = out
    return np.array(rows, np.uint8).reshape(height, width, bpp)[..., :3]


def run_cell(kc, code):
    reply, messages = execute(kc, code)
    errors = [m["content"] for m in messages if m["msg_type"] == "error"]
    assert reply["content"]["status"] == "ok", (code, errors)
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    out = tmp_path_factory.mktemp("onnx-fixtures")
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_onnx_fixtures.py"), "--out", str(out), "--no-check"],
                   check=True, capture_output=True)
    return out, json.loads((out / "index.json").read_text())


def image_fixtures(index):
    for name, entry in sorted(index.items()):
        shapes = list(entry["inputs"].values())
        if set(entry["ops"]) <= MAPPED and len(shapes) == 1 and len(shapes[0]) == 4 and shapes[0][:2] == [1, 3] \
                and shapes[0][2] == shapes[0][3]:
            yield name, entry, shapes[0][2]


def test_fixtures_match_onnxruntime(kernel, fixtures, tmp_path):
    _, kc = kernel
    folder, index = fixtures
    compared = []
    rng = np.random.default_rng(12)
    for name, entry, size in image_fixtures(index):
        pixels = rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
        picture = tmp_path / f"{name}.png"
        write_png(picture, pixels)
        result = tmp_path / f"{name}.npy"
        model = folder / entry["file"]
        run_cell(kc, f'm = model("{model}", size: {size}, mean: 0, std: 1, order: "rgb", scale: 1)\n'
                     f'save(logits(m, image("{picture}")), "{result}")')
        ours = np.load(result)
        x = (pixels.astype(np.float32) / 255).transpose(2, 0, 1)[None]
        session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
        (theirs,) = session.run(None, {session.get_inputs()[0].name: x})
        np.testing.assert_allclose(ours.reshape(theirs.shape), theirs, rtol=1e-4, atol=1e-5 * np.abs(theirs).max(), err_msg=name)
        compared.append(name)
    # The unary, binary, clip and batch-norm fixtures have RGB image inputs.
    assert {"relu", "sigmoid", "tanh", "add", "sub", "mul", "div", "clip", "batchnormalization"} <= set(compared), compared


# Fixtures of mapped operators that the importer refuses on purpose, with the reason it gives.
REFUSED = {
    "unsqueeze": "moves the batch axis",  # [3, 4] -> [1, 3, 4, 1]: the leading axis is the batch
}


def convlens_binary():
    from jupyter_client.kernelspec import KernelSpecManager
    return KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0]


def test_every_fixture_through_onnx_run(fixtures, tmp_path):
    """Each one-input fixture: mapped ones equal onnxruntime (1e-4 relative); others are refused
    with one error naming the operator, the node and the supported operators."""
    folder, index = fixtures
    binary = convlens_binary()
    rng = np.random.default_rng(5)
    matched, refused = [], []
    for name, entry in sorted(index.items()):
        if len(entry["inputs"]) != 1:
            continue
        x = rng.standard_normal(list(entry["inputs"].values())[0]).astype(np.float32)
        np.save(tmp_path / "in.npy", x)
        model = folder / entry["file"]
        run = subprocess.run([binary, "onnx-run", str(model), str(tmp_path / "in.npy"), str(tmp_path / "out.npy")],
                             capture_output=True, text=True, timeout=120)
        if run.returncode == 0:
            session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
            theirs = session.run(None, {session.get_inputs()[0].name: x})[0]
            ours = np.load(tmp_path / "out.npy")
            assert ours.shape == theirs.shape, (name, ours.shape, theirs.shape)
            np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5 * max(1.0, np.abs(theirs).max()), err_msg=name)
            matched.append(name)
            continue
        if name in REFUSED:
            assert REFUSED[name] in run.stderr, (name, run.stderr)
        else:
            # Only operators without a layer may stop a fixture, with one error naming it, its node and the list.
            unmapped = sorted(set(entry["ops"]) - MAPPED)
            assert unmapped, (name, run.stderr)
            assert any(f"operator {op} of node '" in run.stderr for op in unmapped), (name, run.stderr)
            assert "Conv, Relu, LeakyRelu" in run.stderr, (name, run.stderr)
            refused.append(name)
    assert {"conv_strided_dilated", "conv_same_upper", "conv_depthwise", "gemm", "transpose", "shape_gather_flatten",
            "dequantizelinear_per_channel", "net_residual_block", "net_depthwise_block", "net_squeeze_excitation",
            "convtranspose", "convtranspose_same_lower", "convtranspose_output_shape", "convtranspose_padded_grouped",
            "prelu", "logsoftmax", "globalmaxpool", "lrn", "averagepool", "averagepool_ceil_exclude_pad", "gemm_scaled",
            "matmul", "matmul_constant_left", "squeeze", "sum", "net_alexnet_lrn_block",
            "clip_opset9", "softmax_opset9_coerced", "logsoftmax_opset9_coerced", "slice_opset9", "dropout_opset9_mask",
            "maxpool_end_pads", "averagepool_end_pads",
            "instancenormalization", "pad_constant", "pad_reflect", "pad_edge", "resize_nearest", "resize_linear", "pow", "sqrt",
            "reducemean", "reducesum", "constantofshape_reflect_pad", "slice_cast_resize", "upsample", "net_upsampling_decoder"} <= set(matched), matched


def test_unmapped_operator_is_named(kernel, tmp_path):
    _, kc = kernel
    # Erf (in GELU exports) is outside ConvLens' operators.
    from onnx import TensorProto, helper
    node = helper.make_node("Erf", ["x"], ["y"], name="erf_node")
    graph = helper.make_graph([node], "erf", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 4, 4])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, str(tmp_path / "erf.onnx"))
    reply, messages = execute(kc, f'model("{tmp_path / "erf.onnx"}")')
    assert reply["content"]["status"] == "error"
    text = reply["content"]["evalue"]
    assert "Erf" in text and "erf_node" in text and "Conv" in text, text


def test_vgg16_pool5_matches_onnxruntime(kernel, tmp_path):
    _, kc = kernel
    asset = REPO / ".cache" / "assets" / "weights" / "vgg16_tumor.onnx"
    photo = REPO / ".cache" / "assets" / "images" / "chelsea.png"
    if not asset.exists() or not photo.exists():
        pytest.skip("assets not fetched (make setup)")
    # A 224x224 crop of the photo, written as the exact pixels both sides see.
    from_png = tmp_path / "crop.png"
    result = tmp_path / "pool5.npy"
    full = read_png(photo)
    top, left = (full.shape[0] - 224) // 2, (full.shape[1] - 224) // 2
    pixels = full[top:top + 224, left:left + 224]
    write_png(from_png, pixels)
    text = run_cell(kc, f'v = model("vgg16")\nsave(features(v, [image("{from_png}")], "pool5"), "{result}")')
    ours = np.load(result)
    # The file declares 240x240; its convolutions run at any size, so free the spatial dimensions.
    free = onnx.load(str(asset))
    for axis in (1, 2):
        free.graph.input[0].type.tensor_type.shape.dim[axis].dim_param = f"side{axis}"
    onnx.save(free, str(tmp_path / "vgg16_free.onnx"))
    cut = tmp_path / "vgg16_pool5.onnx"
    onnx.utils.extract_model(str(tmp_path / "vgg16_free.onnx"), str(cut), ["input"], ["functional_1/block5_pool_1/MaxPool2d:0"],
                             check_model=False)
    session = ort.InferenceSession(str(cut), providers=["CPUExecutionProvider"])
    bgr = pixels[..., ::-1].astype(np.float32) - np.array([103.939, 116.779, 123.68], np.float32)
    (theirs,) = session.run(None, {"input": bgr[None]})
    assert theirs.shape == (1, 512, 7, 7)
    np.testing.assert_allclose(ours.reshape(theirs.shape), theirs, rtol=1e-4, atol=1e-4 * np.abs(theirs).max())


def test_vgg16_layers_and_no_classes(kernel):
    _, kc = kernel
    if not (REPO / ".cache" / "assets" / "weights" / "vgg16_tumor.onnx").exists():
        pytest.skip("assets not fetched (make setup)")
    run_cell(kc, 'v = model("vgg16")')
    reply, messages = execute(kc, 'layers(v)')
    table = "".join(str(m["content"].get("data", {}).get("text/plain", "")) for m in messages if m["msg_type"] == "execute_result")
    expected = [f"conv{b}_{i}" for b, n in enumerate([2, 2, 3, 3, 3], 1) for i in range(1, n + 1)] + [f"pool{b}" for b in range(1, 6)]
    for name in expected:
        assert name in table, (name, table[:2000])
    assert "512" in table and "7" in table
    reply, _ = execute(kc, 'classify(v, image("chelsea"))')
    assert reply["content"]["status"] == "error"
    assert "vgg16 has no classes" in reply["content"]["evalue"], reply["content"]["evalue"]
    reply, _ = execute(kc, 'saliency(v, image("chelsea"))')
    assert reply["content"]["status"] == "error" and "no classes" in reply["content"]["evalue"], reply["content"]["evalue"]


def test_vgg16_synthesis_uses_gatys_layers(kernel, tmp_path):
    """On VGG-16, texture and style default to Gatys et al.'s layers (conv1_1 ... conv5_1 for the
    Gram matrices, conv4_2 for the content): with one seed, the default gives the same bytes as
    naming those layers, and other layers give other bytes. diagram draws the network."""
    _, kc = kernel
    if not (REPO / ".cache" / "assets" / "weights" / "vgg16_tumor.onnx").exists():
        pytest.skip("assets not fetched (make setup)")
    gatys = '["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"]'
    run_cell(kc, 'v = model("vgg16")\ncat = image("chelsea")\nsky = image("astronaut")')
    cells = {
        "texture_default": 'texture(v, cat, steps: 2, size: 64)',
        "texture_gatys": f'texture(v, cat, layers: {gatys}, steps: 2, size: 64)',
        "texture_other": 'texture(v, cat, layers: ["conv1_2", "conv2_2"], steps: 2, size: 64)',
        "style_default": 'style(v, cat, sky, steps: 2, size: 64)',
        "style_gatys": f'style(v, cat, sky, layers: {gatys}, content_layer: "conv4_2", steps: 2, size: 64)',
        "style_other": f'style(v, cat, sky, layers: {gatys}, content_layer: "conv3_1", steps: 2, size: 64)',
    }
    made = {}
    for name, cell in cells.items():
        path = tmp_path / f"{name}.npy"
        run_cell(kc, f'seed(3)\nsave({cell}, "{path}")')
        made[name] = np.load(path)
    for kind in ("texture", "style"):
        np.testing.assert_array_equal(made[f"{kind}_default"], made[f"{kind}_gatys"], err_msg=kind)
        assert not np.array_equal(made[f"{kind}_default"], made[f"{kind}_other"]), kind
    reply, messages = execute(kc, 'diagram(v)')
    shown = " ".join(str(m["content"].get("data", {}).get("text/plain", "")) for m in messages if m["msg_type"] == "execute_result")
    assert "diagram of vgg16" in shown, shown


def test_defaults_are_announced(kernel, fixtures):
    _, kc = kernel
    folder, _ = fixtures
    text = run_cell(kc, f'm = model("{folder / "relu.onnx"}")')
    assert "assumed ImageNet's input convention" in text and "order rgb" in text and "scale 1" in text, text
    assert "mean 0.485" in text and "std 0.229" in text, text
    text = run_cell(kc, f'm2 = model("{folder / "relu.onnx"}", order: "bgr", scale: 255, mean: [1, 2, 3], std: 2)')
    assert text == "", text
    reply, _ = execute(kc, 'model("squeezenet", size: 100)')
    assert reply["content"]["status"] == "error" and ".onnx files only" in reply["content"]["evalue"]
