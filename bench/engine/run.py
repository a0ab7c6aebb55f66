#!/usr/bin/env python3
"""Engine benchmark: ConvLens vs PyTorch CPU on SqueezeNet 1.1 and EfficientNet-Lite0.

Measures, at batch 1, the median latency of a forward pass and of a forward pass plus the
gradient of the top logit with respect to the input image, for

  * PyTorch (eager, 2 threads, random weights, parameters frozen so only the input
    gradient is computed), from a separate venv .venv-bench that this script creates
    and fills with a pinned torch from PyPI when it is missing;
  * ConvLens, by running `convlens bench --json` (random-weight replicas of the same
    architectures, see Sources/Engine/Support/BenchmarkNetwork.swift), which prints
    {"squeezenet1_1": {"forward_ms": .., "forward_grad_ms": ..}, ...}.

Both run in the same invocation, one after the other, so they see the same machine load.
The figures and the ratios (ours / PyTorch; <= 1.0 means at least as fast) go to
bench/RESULTS.md. Weight values do not change the timings, so random weights are fine.

Usage: python3 bench/engine/run.py [--iterations N] [--convlens PATH] [--skip-torch]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_VENV = ROOT / ".venv-bench"
TORCH_PIN = "torch==2.15.0"
NETWORKS = [("squeezenet1_1", "SqueezeNet 1.1", 227), ("efficientnet_lite0", "EfficientNet-Lite0", 224)]


def ensure_bench_venv():
    """Re-runs this script inside .venv-bench, creating it and installing torch if needed."""
    python = BENCH_VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == BENCH_VENV.resolve():
        return
    if not python.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(BENCH_VENV)])
    probe = subprocess.run([str(python), "-c", "import torch"], capture_output=True)
    if probe.returncode != 0:
        # PyPI's Linux wheel is the CUDA build; it runs on CPU and is the only torch PyPI has.
        subprocess.check_call([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", TORCH_PIN])
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


def median_ms(body, iterations, warmup=3):
    for _ in range(warmup):
        body()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        body()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def torch_models():
    import torch
    from torch import nn
    import torch.nn.functional as F

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
        """torchvision's squeezenet1_1 layer for layer (conv1 3x3/2, ceil-mode pools)."""
        def __init__(self):
            super().__init__()
            pool = lambda: nn.MaxPool2d(3, 2, ceil_mode=True)
            self.features = nn.Sequential(
                nn.Conv2d(3, 64, 3, stride=2), nn.ReLU(inplace=True), pool(),
                Fire(64, 16, 64), Fire(128, 16, 64), pool(),
                Fire(128, 32, 128), Fire(256, 32, 128), pool(),
                Fire(256, 48, 192), Fire(384, 48, 192), Fire(384, 64, 256), Fire(512, 64, 256))
            self.classifier = nn.Sequential(nn.Conv2d(512, 1000, 1), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d(1))

        def forward(self, x):
            return torch.flatten(self.classifier(self.features(x)), 1)

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
            self.expand = SameConv(cin, hidden, 1) if expansion != 1 else nn.Identity()
            self.depthwise = SameConv(hidden, hidden, k, stride, groups=hidden)
            self.project = SameConv(hidden, cout, 1, act=False)
            self.residual = stride == 1 and cin == cout

        def forward(self, x):
            y = self.project(self.depthwise(self.expand(x)))
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

    return {"squeezenet1_1": SqueezeNet11, "efficientnet_lite0": EfficientNetLite0}


def time_torch(iterations):
    import torch
    torch.set_num_threads(2)
    torch.manual_seed(0)
    results = {}
    for key, model_class in torch_models().items():
        size = dict((k, s) for k, _, s in NETWORKS)[key]
        model = model_class().eval()
        for parameter in model.parameters():
            parameter.requires_grad_(False)
        image = torch.rand(1, 3, size, size) * 2 - 1

        def forward():
            with torch.no_grad():
                model(image)

        def forward_grad():
            x = image.clone().requires_grad_(True)
            logits = model(x)
            logits[0, int(logits.argmax())].backward()

        results[key] = {"forward_ms": median_ms(forward, iterations), "forward_grad_ms": median_ms(forward_grad, iterations)}
    results["version"] = torch.__version__
    return results


def time_convlens(binary, iterations):
    if not Path(binary).exists():
        return None, f"{binary} not found (build with `swift build -c release --product convlens`)"
    run = subprocess.run([binary, "bench", "--json", "--iterations", str(iterations)], capture_output=True, text=True)
    if run.returncode != 0:
        return None, f"`{binary} bench --json` failed: {run.stderr.strip()[:300]}"
    return json.loads(run.stdout), None


def write_results(torch_results, ours, note, iterations):
    lines = ["# Engine benchmark", "",
             f"Batch 1, median of {iterations} runs after 3 warm-up runs, random weights; "
             "forward+grad = forward plus the gradient of the top logit with respect to the input image. "
             f"PyTorch {torch_results.get('version', '?') if torch_results else 'not run'}, eager, 2 threads. "
             "Machine load: " + open("/proc/loadavg").read().split()[0] + " (1-minute load average at the end).", "",
             "| network | figure | ConvLens ms | PyTorch ms | ratio |", "| --- | --- | --- | --- | --- |"]
    for key, label, size in NETWORKS:
        for figure, name in (("forward_ms", "forward"), ("forward_grad_ms", "forward+grad")):
            mine = ours.get(key, {}).get(figure) if ours else None
            theirs = torch_results.get(key, {}).get(figure) if torch_results else None
            ratio = f"{mine / theirs:.2f}" if mine and theirs else "n/a"
            cell = lambda value: f"{value:.1f}" if value else "n/a"
            lines.append(f"| {label} {size}x{size} | {name} | {cell(mine)} | {cell(theirs)} | {ratio} |")
    if note:
        lines += ["", f"Note: {note}"]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--convlens", default=str(ROOT / ".build" / "release" / "convlens"))
    parser.add_argument("--skip-torch", action="store_true")
    args = parser.parse_args()
    if not args.skip_torch:
        ensure_bench_venv()
    ours, note = time_convlens(args.convlens, args.iterations)
    torch_results = None if args.skip_torch else time_torch(args.iterations)
    write_results(torch_results, ours, note, args.iterations)


if __name__ == "__main__":
    main()
