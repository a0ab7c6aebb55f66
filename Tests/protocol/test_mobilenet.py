"""MobileNetV2 through the kernel against an independent numpy implementation of torchvision's
MobileNetV2 (torchvision.models.mobilenet_v2; Sandler et al. 2018), on the same weight file.

The weights are read here without torch and without ConvLens: `mobilenet_v2-b0353104.pth` is a
legacy (pre-1.6) `torch.save` file, five pickles in a row (magic number, protocol version, system
info, the state dict, the storage keys) followed by each storage as an int64 element count and
its raw little-endian values. The unpickler below admits only OrderedDict, the float/long
storage types and torch._utils._rebuild_tensor_v2, which it turns into (storage, offset, size,
stride). The network is computed in float64 with unfolded batch norms, so neither ConvLens's
reader nor its batch-norm folding nor its float32 kernels are shared with the reference.
"""
from __future__ import annotations

import collections
import io
import os
import pickle
import struct
from pathlib import Path

import numpy as np
import pytest

from conftest import execute

ASSETS = Path(os.environ.get("CONVLENS_ASSETS", Path(__file__).resolve().parents[2] / ".cache" / "assets"))
WEIGHTS = ASSETS / "weights" / "mobilenet_v2.pth"
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
STORAGE_DTYPES = {"FloatStorage": np.float32, "LongStorage": np.int64}
# torchvision's inverted_residual_setting: expansion t, channels c, repeats n, first stride s.
STAGES = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
MEAN = np.array([0.485, 0.456, 0.406])
STD = np.array([0.229, 0.224, 0.225])


class _Storage:
    def __init__(self, dtype):
        self.dtype, self.values = dtype, None


class _StateDictUnpickler(pickle.Unpickler):
    def __init__(self, stream, storages):
        super().__init__(stream)
        self.storages = storages

    def find_class(self, module, name):
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return lambda storage, offset, size, stride, *_: (storage, offset, tuple(size), tuple(stride))
        if module == "torch" and name in STORAGE_DTYPES:
            return name
        raise pickle.UnpicklingError(f"refusing {module}.{name}")

    def persistent_load(self, pid):
        kind, storage_type, key = pid[:3]
        assert kind == "storage", pid
        return self.storages.setdefault(key, _Storage(STORAGE_DTYPES[storage_type]))


def load_legacy_state_dict(path):
    stream = io.BytesIO(Path(path).read_bytes())
    assert pickle.Unpickler(stream).load() == LEGACY_MAGIC
    assert pickle.Unpickler(stream).load() == 1001
    assert pickle.Unpickler(stream).load()["little_endian"]
    storages = {}
    state = _StateDictUnpickler(stream, storages).load()
    for key in pickle.Unpickler(stream).load():
        (count,) = struct.unpack("<q", stream.read(8))
        storage = storages[key]
        storage.values = np.frombuffer(stream.read(count * np.dtype(storage.dtype).itemsize), dtype=storage.dtype)
    arrays = {}
    for name, (storage, offset, size, stride) in state.items():
        item = storage.values.itemsize
        view = np.lib.stride_tricks.as_strided(storage.values[offset:], shape=size, strides=[s * item for s in stride])
        arrays[name] = view.astype(np.float64)
    return arrays


def conv2d(x, weight, stride=1, groups=1):
    """x [C, H, W], weight [O, C/groups, k, k], zero padding (k-1)/2 (torchvision's every conv)."""
    k = weight.shape[-1]
    pad = (k - 1) // 2
    padded = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    height = (x.shape[1] + 2 * pad - k) // stride + 1
    width = (x.shape[2] + 2 * pad - k) // stride + 1
    out = np.zeros((weight.shape[0], height, width))
    for dy in range(k):
        for dx in range(k):
            window = padded[:, dy:dy + stride * (height - 1) + 1:stride, dx:dx + stride * (width - 1) + 1:stride]
            if groups == 1:
                out += np.einsum("oc,chw->ohw", weight[:, :, dy, dx], window)
            else:
                assert groups == x.shape[0] == weight.shape[0], "only dense and depthwise convolutions"
                out += weight[:, 0, dy, dx][:, None, None] * window
    return out


def batch_norm(x, w, prefix, eps=1e-5):
    scale = w[f"{prefix}.weight"] / np.sqrt(w[f"{prefix}.running_var"] + eps)
    return (x - w[f"{prefix}.running_mean"][:, None, None]) * scale[:, None, None] + w[f"{prefix}.bias"][:, None, None]


def relu6(x):
    return np.clip(x, 0, 6)


def mobilenet_v2(image, w):
    """Logits [1000] of torchvision's MobileNetV2 for a normalised image [3, 224, 224]."""
    x = relu6(batch_norm(conv2d(image, w["features.0.0.weight"], stride=2), w, "features.0.1"))
    index = 1
    for t, c, n, s in STAGES:
        for repeat in range(n):
            stride, p = (s if repeat == 0 else 1), f"features.{index}.conv"
            y, m = x, 0
            if t != 1:
                y = relu6(batch_norm(conv2d(y, w[f"{p}.0.0.weight"]), w, f"{p}.0.1"))
                m = 1
            y = relu6(batch_norm(conv2d(y, w[f"{p}.{m}.0.weight"], stride, groups=y.shape[0]), w, f"{p}.{m}.1"))
            y = batch_norm(conv2d(y, w[f"{p}.{m + 1}.weight"]), w, f"{p}.{m + 2}")
            x = x + y if stride == 1 and x.shape[0] == c else y
            index += 1
    x = relu6(batch_norm(conv2d(x, w["features.18.0.weight"]), w, "features.18.1"))
    return w["classifier.1.weight"] @ x.mean(axis=(1, 2)) + w["classifier.1.bias"]


@pytest.fixture(scope="module")
def weights():
    if not WEIGHTS.exists():
        pytest.skip(f"{WEIGHTS} not fetched (make setup)")
    return load_legacy_state_dict(WEIGHTS)


def test_reader_finds_torchvisions_parameters(weights):
    learnable = sum(a.size for k, a in weights.items() if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    assert learnable == 3_504_872
    assert weights["features.17.conv.2.weight"].shape == (320, 960, 1, 1)


@pytest.mark.parametrize("sample", ["chelsea", "coffee"])
def test_logits_match_numpy_mobilenet_v2(kernel, tmp_path, weights, sample):
    _, kc = kernel
    picture, logits = tmp_path / "picture.npy", tmp_path / "logits.npy"
    # A 224x224 picture is used as is (no resizing), so the network's input is the picture
    # normalised with the ImageNet mean and std, which the reference applies itself.
    code = (f'net = model("mobilenet_v2")\npic = image("{sample}", size: 224)\n'
            f'save(pic, "{picture}")\nsave(logits(net, pic), "{logits}")')
    reply, _ = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    pixels = np.load(picture).astype(np.float64)
    assert pixels.shape == (224, 224, 3)
    image = ((pixels - MEAN) / STD).transpose(2, 0, 1)
    expected = mobilenet_v2(image, weights)
    ours = np.load(logits).astype(np.float64)
    assert ours.shape == (1000,)
    scale = np.abs(expected).max()
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-4 * scale)
    assert int(ours.argmax()) == int(expected.argmax())
    if sample == "chelsea":
        assert 281 <= int(expected.argmax()) <= 287  # the ImageNet cats
    else:
        assert int(expected.argmax()) == 967  # espresso
