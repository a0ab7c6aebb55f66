#!/usr/bin/env python3
"""Build small ONNX models with onnx.helper: one per operator ConvLens imports, and the small
CNNs of issue 12 (residual block, depthwise block, squeeze-excitation, AlexNet-style LRN block,
upsampling decoder). Each file passes onnx.checker (full check, with shape inference) and runs in
onnxruntime; a later protocol test runs the same files through ConvLens and compares.

No torch is needed. Weights are seeded, so the files are the same on every run.

Usage: .venv/bin/python scripts/make_onnx_fixtures.py [--out DIR] [--no-check]
    --out       where to write (default out/onnx-fixtures); DIR/index.json lists every file
                with its inputs (name, shape) and outputs.
    --no-check  write only; skip onnx.checker and onnxruntime.
Needs onnx and numpy (and onnxruntime unless --no-check), pinned in requirements.txt.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

REPO = Path(__file__).resolve().parent.parent
OPSET = 17
FLOAT = TensorProto.FLOAT


class Builder:
    """Collects nodes, initializers and values of one graph, with seeded random weights."""

    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.nodes, self.initializers, self.inputs, self.outputs = [], [], [], []
        self.counter = 0

    def fresh(self, stem):
        self.counter += 1
        return f"{stem}_{self.counter}"

    def input(self, name, shape, elem_type=FLOAT):
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def output(self, name, shape=None, elem_type=FLOAT):
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def const(self, array, stem="c"):
        name = self.fresh(stem)
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, shape, scale=None, stem="w"):
        fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else int(shape[0])
        scale = scale if scale is not None else 1.0 / np.sqrt(max(fan_in, 1))
        return self.const((self.rng.standard_normal(shape) * scale).astype(np.float32), stem)

    def op(self, op_type, inputs, outputs=1, **attributes):
        names = [self.fresh(op_type.lower()) for _ in range(outputs)] if isinstance(outputs, int) else outputs
        self.nodes.append(helper.make_node(op_type, inputs, names, name=self.fresh(op_type), **attributes))
        return names[0] if len(names) == 1 else names

    def conv(self, x, c_in, c_out, k=3, group=1, bias=True, **attributes):
        inputs = [x, self.weight([c_out, c_in // group, k, k])]
        if bias:
            inputs.append(self.const((self.rng.standard_normal(c_out) * 0.1).astype(np.float32), "b"))
        return self.op("Conv", inputs, kernel_shape=[k, k], group=group, **attributes)

    def batchnorm(self, x, c):
        scale = self.const((1 + 0.1 * self.rng.standard_normal(c)).astype(np.float32), "gamma")
        bias = self.const((0.1 * self.rng.standard_normal(c)).astype(np.float32), "beta")
        mean = self.const((0.1 * self.rng.standard_normal(c)).astype(np.float32), "mean")
        var = self.const((1 + 0.2 * self.rng.random(c)).astype(np.float32), "var")
        return self.op("BatchNormalization", [x, scale, bias, mean, var], epsilon=1e-5)

    def model(self, opset=OPSET):
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="convlens-fixtures")
        model.ir_version = 8
        # Declare the outputs' shapes as ONNX's own shape inference computes them, so that a reader
        # (and onnx.checker's full check) sees fully typed outputs.
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        known = {value.name: value for value in list(inferred.graph.value_info) + list(inferred.graph.output)}
        for output in model.graph.output:
            value = known.get(output.name)
            if value is not None and value.type.tensor_type.HasField("shape"):
                output.CopyFrom(value)
        return model


# --- one model per operator -------------------------------------------------------------------

def unary(op, **attributes):
    def build(b):
        x = b.input("x", [1, 3, 5, 5])
        b.output(b.op(op, [x], **attributes))
    return build


def binary(op, positive=False):
    def build(b):
        x = b.input("x", [1, 3, 4, 4])
        # Broadcast a per-channel constant, the way exporters write biases and scales.
        values = b.rng.random((1, 3, 1, 1)) + 0.5 if positive else b.rng.standard_normal((1, 3, 1, 1))
        b.output(b.op(op, [x, b.const(values.astype(np.float32))]))
    return build


def conv(**attributes):
    def build(b):
        group = attributes.pop("group", 1)
        x = b.input("x", [1, 4, 9, 9])
        b.output(b.conv(x, 4, 6 if group == 1 else 4, k=3, group=group, **attributes))
    return build


def conv_transpose(b):
    x = b.input("x", [1, 4, 5, 5])
    w = b.weight([4, 3, 4, 4])
    b.output(b.op("ConvTranspose", [x, w, b.const(np.zeros(3, np.float32))], strides=[2, 2], pads=[1, 1, 1, 1], kernel_shape=[4, 4]))


def conv_transpose_variant(**attributes):
    def build(b):
        group = attributes.get("group", 1)
        x = b.input("x", [1, 4, 5, 5])
        bias = b.const((b.rng.standard_normal(3 * group) * 0.1).astype(np.float32), "b")
        b.output(b.op("ConvTranspose", [x, b.weight([4, 3, 3, 3]), bias], kernel_shape=[3, 3], **attributes))
    return build


def matmul_constant_left(b):
    x = b.input("x", [2, 3, 4])
    b.output(b.op("MatMul", [b.weight([5, 3]), x]))


def sum_op(b):
    """Sum of three branches (opset-9 exports add residuals with it)."""
    x = b.input("x", [1, 3, 4, 4])
    relu = b.op("Relu", [x])
    b.output(b.op("Sum", [x, relu, b.op("Sigmoid", [x])]))


def slice_attributes(b):
    """Opset 9: Slice takes starts/ends/axes as attributes (Slice-1); the batch size sliced off a Shape feeds a Reshape."""
    x = b.input("x", [2, 3, 4, 4])
    batch = b.op("Slice", [b.op("Shape", [x])], starts=[0], ends=[1], axes=[0])
    b.output(b.op("Reshape", [x, b.op("Concat", [batch, b.const(np.array([-1], np.int64))], axis=0)]), [2, 48])


def dropout_with_mask(b):
    """Opset 9: Dropout's ratio is an attribute; the unused mask output is named, as Caffe2 exports do."""
    x = b.input("x", [1, 3, 4, 4])
    y, _ = b.op("Dropout", [x], outputs=2, ratio=0.3)
    b.output(b.op("Relu", [y]))


def prelu(b):
    x = b.input("x", [1, 3, 4, 4])
    b.output(b.op("PRelu", [x, b.const(np.array([0.1, 0.2, 0.3], np.float32).reshape(3, 1, 1))]))


def clip(b):
    x = b.input("x", [1, 3, 4, 4])
    b.output(b.op("Clip", [x, b.const(np.float32(0)), b.const(np.float32(6))]))


def pool(op, **attributes):
    def build(b):
        x = b.input("x", [1, 2, 10, 10])
        b.output(b.op(op, [x], **attributes))
    return build


def gemm(b):
    x = b.input("x", [2, 8])
    b.output(b.op("Gemm", [x, b.weight([5, 8]), b.const(np.arange(5, dtype=np.float32))], transB=1, alpha=1.0, beta=1.0))


def gemm_scaled(b):
    """Gemm with B not transposed, alpha and beta, and a [1, N] C broadcast over the batch."""
    x = b.input("x", [2, 8])
    b.output(b.op("Gemm", [x, b.weight([8, 5]), b.const(np.arange(5, dtype=np.float32).reshape(1, 5))], alpha=0.5, beta=2.0))


def matmul(b):
    x = b.input("x", [2, 3, 8])
    b.output(b.op("MatMul", [x, b.weight([8, 4])]))


def reduce(op):
    def build(b):
        x = b.input("x", [1, 3, 4, 4])
        # ReduceSum takes axes as an input from opset 13, ReduceMean only from opset 18.
        if op == "ReduceMean":
            b.output(b.op(op, [x], axes=[2, 3], keepdims=1))
        else:
            b.output(b.op(op, [x, b.const(np.array([2, 3], np.int64))], keepdims=1))
    return build


def concat(b):
    x = b.input("x", [1, 2, 4, 4])
    y = b.input("y", [1, 3, 4, 4])
    b.output(b.op("Concat", [x, y], axis=1))


def flatten(b):
    b.output(b.op("Flatten", [b.input("x", [2, 3, 4, 4])], axis=1))


def reshape(b):
    b.output(b.op("Reshape", [b.input("x", [2, 3, 4, 4]), b.const(np.array([0, -1], np.int64))]))


def transpose(b):
    b.output(b.op("Transpose", [b.input("x", [1, 2, 3, 4])], perm=[0, 2, 3, 1]))


def squeeze(b):
    b.output(b.op("Squeeze", [b.input("x", [1, 3, 1, 4]), b.const(np.array([2], np.int64))]))


def unsqueeze(b):
    b.output(b.op("Unsqueeze", [b.input("x", [3, 4]), b.const(np.array([0, 3], np.int64))]))


def pad(mode):
    def build(b):
        x = b.input("x", [1, 2, 5, 5])
        pads = b.const(np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64))
        inputs = [x, pads] + ([b.const(np.float32(0.5))] if mode == "constant" else [])
        b.output(b.op("Pad", inputs, mode=mode))
    return build


def resize(mode):
    def build(b):
        x = b.input("x", [1, 2, 4, 5])
        scales = b.const(np.array([1, 1, 2, 2], np.float32))
        attributes = {"mode": mode}
        if mode == "linear":
            attributes["coordinate_transformation_mode"] = "half_pixel"
        else:
            attributes["coordinate_transformation_mode"] = "asymmetric"
            attributes["nearest_mode"] = "floor"
        b.output(b.op("Resize", [x, "", scales], **attributes))
    return build


def upsample(b):
    # Upsample was deprecated in opset 10 (Resize replaced it); onnxruntime still runs it in opset 9 files.
    x = b.input("x", [1, 2, 3, 3])
    b.output(b.op("Upsample", [x, b.const(np.array([1, 1, 2, 2], np.float32))], mode="nearest"))


def dropout(b):
    b.output(b.op("Dropout", [b.input("x", [1, 3, 4, 4]), b.const(np.float32(0.5))]))


def constant(b):
    x = b.input("x", [1, 3, 2, 2])
    value = helper.make_tensor("value", FLOAT, [1, 3, 1, 1], [0.5, -1.0, 2.0])
    b.output(b.op("Mul", [x, b.op("Constant", [], value=value)]))


def flatten_chain(b):
    """x.view(x.size(0), -1) as torch.onnx writes it: Shape -> Gather -> Unsqueeze -> Concat -> Reshape."""
    x = b.input("x", [2, 3, 4, 4])
    shape = b.op("Shape", [x])
    batch = b.op("Gather", [shape, b.const(np.array(0, np.int64))], axis=0)
    batch = b.op("Unsqueeze", [batch, b.const(np.array([0], np.int64))])
    target = b.op("Concat", [batch, b.const(np.array([-1], np.int64))], axis=0)
    b.output(b.op("Reshape", [x, target]))


def slice_shape(b):
    """Resize to twice the input's size, computed from its shape: Shape -> Slice -> Cast -> Mul -> Cast -> Concat."""
    x = b.input("x", [1, 2, 3, 5])
    shape = b.op("Shape", [x])
    nc = b.op("Slice", [shape, b.const(np.array([0], np.int64)), b.const(np.array([2], np.int64))])
    hw = b.op("Slice", [shape, b.const(np.array([2], np.int64)), b.const(np.array([np.iinfo(np.int64).max], np.int64))])
    hw = b.op("Cast", [b.op("Mul", [b.op("Cast", [hw], to=FLOAT), b.const(np.float32(2))])], to=TensorProto.INT64)
    sizes = b.op("Concat", [nc, hw], axis=0)
    b.output(b.op("Resize", [x, "", "", sizes], mode="nearest"))


def constant_of_shape(b):
    """torch's reflect padding: ConstantOfShape zeros -> Concat -> Reshape -> Slice (reversed) -> Transpose -> Reshape -> Cast -> Pad."""
    x = b.input("x", [1, 2, 6, 6])
    zeros = b.op("ConstantOfShape", [b.const(np.array([4], np.int64))], value=helper.make_tensor("value", TensorProto.INT64, [1], [0]))
    pads = b.op("Concat", [b.const(np.array([1, 1, 2, 2], np.int64)), zeros], axis=0)
    pairs = b.op("Reshape", [pads, b.const(np.array([-1, 2], np.int64))])
    reversed_pairs = b.op("Slice", [pairs, b.const(np.array([-1], np.int64)), b.const(np.array([-(2 ** 63) + 1], np.int64)),
                                    b.const(np.array([0], np.int64)), b.const(np.array([-1], np.int64))])
    flat = b.op("Reshape", [b.op("Transpose", [reversed_pairs], perm=[1, 0]), b.const(np.array([-1], np.int64))])
    b.output(b.op("Pad", [x, b.op("Cast", [flat], to=TensorProto.INT64)], mode="reflect"))


def quantize_pair(b):
    """A float weight stored through QuantizeLinear -> DequantizeLinear (onnxruntime's QDQ format)."""
    x = b.input("x", [1, 3, 6, 6])
    w = b.weight([4, 3, 3, 3])
    scale, zero = b.const(np.float32(0.02)), b.const(np.int8(0))
    w = b.op("DequantizeLinear", [b.op("QuantizeLinear", [w, scale, zero]), scale, zero])
    b.output(b.op("Conv", [x, w], kernel_shape=[3, 3]))


def dequantize(b):
    """int8 weights with per-output-channel scales, dequantized into a Conv."""
    x = b.input("x", [1, 3, 6, 6])
    q = b.const(b.rng.integers(-127, 128, size=(4, 3, 3, 3)).astype(np.int8))
    scales = b.const(np.array([0.01, 0.02, 0.005, 0.03], np.float32))
    zeros = b.const(np.zeros(4, np.int8))
    w = b.op("DequantizeLinear", [q, scales, zeros], axis=0)
    b.output(b.op("Conv", [x, w], kernel_shape=[3, 3]))


OPERATORS = {
    "conv": conv(pads=[1, 1, 1, 1]),
    "conv_strided_dilated": conv(strides=[2, 2], dilations=[2, 2], pads=[2, 1, 2, 1]),
    "conv_same_upper": conv(strides=[2, 2], auto_pad="SAME_UPPER"),
    "conv_grouped": conv(group=2, pads=[1, 1, 1, 1]),
    "conv_depthwise": conv(group=4, pads=[1, 1, 1, 1]),
    "convtranspose": conv_transpose,
    "relu": unary("Relu"),
    "leakyrelu": unary("LeakyRelu", alpha=0.1),
    "convtranspose_same_lower": conv_transpose_variant(strides=[2, 2], auto_pad="SAME_LOWER"),
    "convtranspose_output_shape": conv_transpose_variant(strides=[2, 2], output_shape=[10, 9]),
    "convtranspose_padded_grouped": conv_transpose_variant(strides=[3, 3], output_padding=[1, 2], pads=[1, 0, 2, 1],
                                                           dilations=[2, 2], group=2),
    "prelu": prelu,
    "clip_opset9": unary("Clip", min=0.0, max=6.0),
    "softmax_opset9_coerced": unary("Softmax", axis=1),
    "logsoftmax_opset9_coerced": unary("LogSoftmax", axis=2),
    "slice_opset9": slice_attributes,
    "dropout_opset9_mask": dropout_with_mask,
    "maxpool_end_pads": pool("MaxPool", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1]),
    "averagepool_end_pads": pool("AveragePool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 0, 0, 1]),
    "clip": clip,
    "sigmoid": unary("Sigmoid"),
    "hardsigmoid": unary("HardSigmoid", alpha=0.2, beta=0.5),
    "hardswish": unary("HardSwish"),
    "tanh": unary("Tanh"),
    "softmax": unary("Softmax", axis=1),
    "logsoftmax": unary("LogSoftmax", axis=1),
    "maxpool": pool("MaxPool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    "maxpool_ceil": pool("MaxPool", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
    "averagepool": pool("AveragePool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=0),
    "averagepool_ceil_exclude_pad": pool("AveragePool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1),
    "averagepool_include_pad": pool("AveragePool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1, ceil_mode=1),
    "globalaveragepool": pool("GlobalAveragePool"),
    "globalmaxpool": pool("GlobalMaxPool"),
    "batchnormalization": lambda b: b.output(b.batchnorm(b.input("x", [1, 3, 4, 4]), 3)),
    "instancenormalization": lambda b: b.output(b.op("InstanceNormalization", [
        b.input("x", [1, 3, 4, 4]), b.const(np.array([1, 0.5, 2], np.float32)), b.const(np.array([0, 0.1, -0.1], np.float32))], epsilon=1e-5)),
    "lrn": lambda b: b.output(b.op("LRN", [b.input("x", [1, 7, 4, 4])], size=5, alpha=1e-4, beta=0.75, bias=2.0)),
    "gemm": gemm,
    "gemm_scaled": gemm_scaled,
    "matmul": matmul,
    "matmul_constant_left": matmul_constant_left,
    "sum": sum_op,
    "add": binary("Add"),
    "sub": binary("Sub"),
    "mul": binary("Mul"),
    "div": binary("Div", positive=True),
    "pow": lambda b: b.output(b.op("Pow", [b.op("Relu", [b.input("x", [1, 3, 4, 4])]), b.const(np.float32(2))])),
    "sqrt": lambda b: b.output(b.op("Sqrt", [b.op("Relu", [b.input("x", [1, 3, 4, 4])])])),
    "reducemean": reduce("ReduceMean"),
    "reducesum": reduce("ReduceSum"),
    "concat": concat,
    "flatten": flatten,
    "reshape": reshape,
    "transpose": transpose,
    "squeeze": squeeze,
    "unsqueeze": unsqueeze,
    "pad_constant": pad("constant"),
    "pad_reflect": pad("reflect"),
    "pad_edge": pad("edge"),
    "resize_nearest": resize("nearest"),
    "resize_linear": resize("linear"),
    "upsample": upsample,
    "dropout": dropout,
    "identity": unary("Identity"),
    "constant": constant,
    "shape_gather_flatten": flatten_chain,
    "slice_cast_resize": slice_shape,
    "constantofshape_reflect_pad": constant_of_shape,
    "quantizelinear_pair": quantize_pair,
    "dequantizelinear_per_channel": dequantize,
}

# Upsample is deprecated from opset 10 (onnx.checker and onnxruntime refuse it from then on), so its
# file is opset 9, the oldest opset ConvLens reads.
OPSET_OVERRIDES = {"upsample": 9, "clip_opset9": 9, "softmax_opset9_coerced": 9, "logsoftmax_opset9_coerced": 9,
                   "slice_opset9": 9, "dropout_opset9_mask": 9}
NOTES = {"upsample": "opset 9: Upsample is invalid from opset 10 on (onnx.checker and onnxruntime refuse it), "
                     "so only opset-9 models contain it"}


# --- small CNNs (issue 12) ---------------------------------------------------------------------

def residual_block(b):
    """ResNet basic block: conv-bn-relu-conv-bn, identity shortcut, add, relu."""
    x = b.input("x", [1, 8, 12, 12])
    h = b.op("Relu", [b.batchnorm(b.conv(x, 8, 8, bias=False, pads=[1, 1, 1, 1]), 8)])
    h = b.batchnorm(b.conv(h, 8, 8, bias=False, pads=[1, 1, 1, 1]), 8)
    b.output(b.op("Relu", [b.op("Add", [h, x])]))


def depthwise_block(b):
    """MobileNetV2 inverted residual: 1x1 expand, ReLU6, 3x3 depthwise, ReLU6, 1x1 project, add."""
    x = b.input("x", [1, 8, 12, 12])
    relu6 = lambda t: b.op("Clip", [t, b.const(np.float32(0)), b.const(np.float32(6))])
    h = relu6(b.batchnorm(b.conv(x, 8, 24, k=1, bias=False), 24))
    h = relu6(b.batchnorm(b.conv(h, 24, 24, k=3, group=24, bias=False, pads=[1, 1, 1, 1]), 24))
    h = b.batchnorm(b.conv(h, 24, 8, k=1, bias=False), 8)
    b.output(b.op("Add", [x, h]))


def squeeze_excitation(b):
    """SE block: global pool, 1x1 reduce, ReLU, 1x1 expand, HardSigmoid gate, scale channels; then a classifier."""
    x = b.input("x", [1, 16, 8, 8])
    h = b.op("Relu", [b.conv(x, 16, 16, pads=[1, 1, 1, 1])])
    s = b.op("GlobalAveragePool", [h])
    s = b.op("Relu", [b.conv(s, 16, 4, k=1)])
    s = b.op("HardSigmoid", [b.conv(s, 4, 16, k=1)], alpha=1 / 6, beta=0.5)
    h = b.op("Mul", [h, s])
    h = b.op("Flatten", [b.op("GlobalAveragePool", [h])], axis=1)
    b.output(b.op("Softmax", [b.op("Gemm", [h, b.weight([10, 16]), b.const(np.zeros(10, np.float32))], transB=1)], axis=1))


def alexnet_lrn_block(b):
    """AlexNet's first stage: 11x11 stride-4 conv, ReLU, LRN, 3x3 stride-2 max pool, then dropout and a classifier."""
    x = b.input("x", [1, 3, 67, 67])
    h = b.op("Relu", [b.conv(x, 3, 12, k=11, strides=[4, 4], pads=[2, 2, 2, 2])])
    h = b.op("LRN", [h], size=5, alpha=1e-4, beta=0.75, bias=2.0)
    h = b.op("MaxPool", [h], kernel_shape=[3, 3], strides=[2, 2])
    h = b.op("Dropout", [flatten_to(b, h)])
    b.output(b.op("Gemm", [h, b.weight([10, 12 * 7 * 7]), b.const(np.zeros(10, np.float32))], transB=1))


def flatten_to(b, h):
    shape = b.op("Shape", [h])
    batch = b.op("Unsqueeze", [b.op("Gather", [shape, b.const(np.array(0, np.int64))], axis=0), b.const(np.array([0], np.int64))])
    return b.op("Reshape", [h, b.op("Concat", [batch, b.const(np.array([-1], np.int64))], axis=0)])


def upsampling_decoder(b):
    """A style-transfer decoder: reflect pad, conv, instance norm, ReLU, nearest 2x resize, transposed conv, sigmoid."""
    x = b.input("x", [1, 8, 6, 6])
    h = b.op("Pad", [x, b.const(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))], mode="reflect")
    h = b.conv(h, 8, 8)
    h = b.op("InstanceNormalization", [h, b.const(np.ones(8, np.float32)), b.const(np.zeros(8, np.float32))])
    h = b.op("Relu", [h])
    h = b.op("Resize", [h, "", b.const(np.array([1, 1, 2, 2], np.float32))], mode="nearest")
    h = b.op("Relu", [b.conv(h, 8, 4, pads=[1, 1, 1, 1])])
    h = b.op("ConvTranspose", [h, b.weight([4, 3, 4, 4])], strides=[2, 2], pads=[1, 1, 1, 1], kernel_shape=[4, 4])
    b.output(b.op("Sigmoid", [h]))


NETWORKS = {
    "net_residual_block": residual_block,
    "net_depthwise_block": depthwise_block,
    "net_squeeze_excitation": squeeze_excitation,
    "net_alexnet_lrn_block": alexnet_lrn_block,
    "net_upsampling_decoder": upsampling_decoder,
}


def build_all():
    models = {}
    for index, (name, build) in enumerate({**OPERATORS, **NETWORKS}.items()):
        b = Builder(name, seed=1000 + index)
        build(b)
        models[name] = b.model(OPSET_OVERRIDES.get(name, OPSET))
    return models


def check(name, model, path):
    """onnx.checker with full shape inference, then a run in onnxruntime on seeded inputs."""
    import onnxruntime

    onnx.checker.check_model(model, full_check=True)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(7)
    feeds = {i.name: rng.standard_normal([d if isinstance(d, int) else 1 for d in i.shape]).astype(np.float32)
             for i in session.get_inputs()}
    outputs = session.run(None, feeds)
    for output in outputs:
        if not np.all(np.isfinite(output)):
            raise RuntimeError(f"{name}: onnxruntime output is not finite")
    return [list(o.shape) for o in outputs]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "out" / "onnx-fixtures")
    parser.add_argument("--no-check", action="store_true")
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    index, failures = {}, []
    for name, model in build_all().items():
        path = arguments.out / f"{name}.onnx"
        onnx.save_model(model, str(path))
        entry = {"file": path.name, "opset": model.opset_import[0].version,
                 "ops": sorted({node.op_type for node in model.graph.node}),
                 "inputs": {i.name: [d.dim_value for d in i.type.tensor_type.shape.dim] for i in model.graph.input},
                 "outputs": [o.name for o in model.graph.output]}
        if name in NOTES:
            entry["note"] = NOTES[name]
        if not arguments.no_check:
            try:
                entry["output_shapes"] = check(name, model, path)
            except Exception as error:  # report every failing file, not just the first
                failures.append(f"{name}: {error}")
                continue
        index[name] = entry
    (arguments.out / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    covered = sorted({op for entry in index.values() for op in entry["ops"]})
    print(f"wrote {len(index)} models to {arguments.out} covering {len(covered)} operators: {', '.join(covered)}")
    for failure in failures:
        print(f"make_onnx_fixtures: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
