"""The onnx package's backend test models (onnx/backend/test/data/light: AlexNet, DenseNet-121,
GoogLeNet (Inception v1), Inception v2, ResNet-50, ShuffleNet, SqueezeNet, VGG-19, ZFNet-512; opset 9)
through `convlens onnx-run`.

1. Each file as shipped, on the input onnx's own backend runner feeds it
   (`onnx.backend.test.runner.Runner.generate_dummy_data(..., random=False)`: arange(n) / n; no
   input .pb ships with the light models), must match the reference output shipped next to it
   (`light_<name>_output_0.pb`) to 1e-4 relative.
2. The light models are "light" because every weight is a ConstantOfShape of one value, so each
   layer's channels are identical and the reference output is uniform (0.001 after the softmax):
   a weak check on its own. So each model is also run with those weights replaced by seeded random
   tensors of the same shapes (He-scaled for convolutions, near-identity statistics for batch
   norms), and ConvLens must match onnxruntime on it to 1e-4 relative, compared at the logits
   (the input of the final softmax, which random weights could saturate).
"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import KERNEL_NAME

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
from onnx import numpy_helper  # noqa: E402
from onnx.backend.test.runner import Runner  # noqa: E402

LIGHT = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
NAMES = ["bvlc_alexnet", "densenet121", "inception_v1", "inception_v2", "resnet50", "shufflenet", "squeezenet",
         "vgg19", "zfnet512"]


def convlens_binary():
    from jupyter_client.kernelspec import KernelSpecManager
    return KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0]


def image_input(model):
    initializers = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    assert len(inputs) == 1, [i.name for i in inputs]
    return inputs[0]


def run_convlens(binary, model_path, x, folder):
    np.save(folder / "x.npy", x)
    run = subprocess.run([binary, "onnx-run", str(model_path), str(folder / "x.npy"), str(folder / "y.npy")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, (model_path.name, run.stderr)
    return np.load(folder / "y.npy")


def randomized(model, rng):
    """`model` with each ConstantOfShape weight replaced by a seeded random initializer of its shape."""
    constants = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    readers = {}
    for node in model.graph.node:
        for index, name in enumerate(node.input):
            readers.setdefault(name, []).append((node, index))
    kept = []
    for node in model.graph.node:
        if node.op_type != "ConstantOfShape" or node.input[0] not in constants:
            kept.append(node)
            continue
        shape = [int(d) for d in constants[node.input[0]]]
        reader, index = (readers.get(node.output[0]) or [(None, -1)])[0]
        kind = reader.op_type if reader is not None else ""
        z = rng.standard_normal(shape)
        if kind == "Conv" and index == 1:
            value = z * np.sqrt(2.0 / max(1, int(np.prod(shape[1:]))))
        elif kind == "Gemm" and index == 1:
            trans_b = any(a.name == "transB" and a.i for a in reader.attribute)
            value = z * np.sqrt(1.0 / (shape[1] if trans_b else shape[0]))
        elif kind == "BatchNormalization" and index == 4:
            value = 1 + 0.2 * np.abs(z)
        elif (kind == "BatchNormalization" and index == 1) or kind == "Mul":
            value = 1 + 0.1 * z
        else:  # biases, shifts, means
            value = 0.1 * z
        model.graph.initializer.append(numpy_helper.from_array(value.astype(np.float32), node.output[0]))
    # Random weights give logits of any size, which a final softmax may saturate to one-hot; the
    # logits themselves are the stronger comparison.
    if kept and kept[-1].op_type == "Softmax":
        last = kept.pop()
        output = model.graph.output[0]
        output.name = last.input[0]
        output.type.tensor_type.ClearField("shape")
    del model.graph.node[:]
    model.graph.node.extend(kept)
    return model


@pytest.mark.parametrize("name", NAMES)
def test_light_model_matches_reference_and_onnxruntime(name, tmp_path):
    binary = convlens_binary()
    path = LIGHT / f"light_{name}.onnx"
    assert path.exists(), path  # shipped with the pinned onnx wheel; never skipped
    model = onnx.load(str(path))
    assert model.opset_import[0].version == 9
    source = image_input(model)
    x = Runner.generate_dummy_data(source, seed=0, name=name, random=False)
    started = time.monotonic()
    ours = run_convlens(binary, path, x, tmp_path)
    reference = numpy_helper.to_array(onnx.load_tensor(str(LIGHT / f"light_{name}_output_0.pb")))
    assert ours.shape == reference.shape, (name, ours.shape, reference.shape)
    np.testing.assert_allclose(ours, reference, rtol=1e-4, atol=1e-6, err_msg=name)

    random_path = tmp_path / f"{name}_random.onnx"
    onnx.save(randomized(model, np.random.default_rng(9)), str(random_path))
    ours = run_convlens(binary, random_path, x, tmp_path)
    options = ort.SessionOptions()
    options.log_severity_level = 3  # the shape tensors of the replaced ConstantOfShape nodes are unused now
    session = ort.InferenceSession(str(random_path), options, providers=["CPUExecutionProvider"])
    (theirs,) = session.run(None, {source.name: x})
    assert np.unique(np.round(theirs, 6)).size > 10, (name, "random weights should give varied outputs")
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4 * np.abs(theirs).max(), err_msg=name)
    # Both runs of the largest (VGG-19, 20 GFLOP-ish) stay well within the suite's budget.
    assert time.monotonic() - started < 60, name
