#!/usr/bin/env python3
"""Image-synthesis benchmark: ConvLens vs PyTorch on SqueezeNet 1.1, the same three loops in one run.

Issue 9's benchmark. Each loop is written a second time in plain PyTorch (eager, 2 threads, the
twin of bench/engine/torch_models.py with the same pretrained weights) doing the same arithmetic
as ConvLens's engine; ConvLens's side is `convlens bench synthesis --part P`, which times the
engine calls the builtins make and prints the settings it used (input convention, layers, sizes),
and exports its prepared input pixels as .npy so both sides start from the same image.

  * dream: `dream(net, img, "fire5")` with its defaults on a 512x512 photo (chelsea): 3 octaves
    (each 1.4x smaller) of 10 steps, jitter 8 (rolled), objective 1/2 mean(a^2) at fire5, step =
    rate 0.004 / mean |g|, pixels clamped to 0...1, detail carried to the next octave.
  * style: `style(net, content, painting)` as it runs on SqueezeNet (its default network): Gatys
    et al. with the builtin's default layers (style Grams at five layers, content at the middle
    layer), relative losses, strength 20, Adam 0.01 on the pixels from the content photo, clamped
    to 0...1, 200 steps at 256x256.
  * fourier: `visualize(net, layer: "fire5", channel: 0, regularizer: "fourier")`: a 1/f-scaled
    spectrum (lucid's fft_image), colour decorrelation, sigmoid, then each step pad 12, jitter 8,
    scale 0.90-1.10 in steps of 0.02, rotation -10..10 degrees, jitter 4 composed into one
    bilinear resampling (as ConvLens composes them), Adam 0.05, 512 steps at the network's input
    size (227x227 for SqueezeNet; the issue says 224, the size of the torchvision networks).

Seconds per whole run (the weights already loaded, target features included). Results go to the
synthesis section of bench/RESULTS.md.

Usage: python3 bench/synthesis/run.py [--parts dream,style,fourier] [--repetitions 1]
       [--style-steps 200] [--fourier-steps 512]
"""
import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
import results  # noqa: E402

PARTS = ["dream", "style", "fourier"]
ORDER = ["conv1", "pool1", "fire2", "fire3", "pool3", "fire4", "fire5", "pool5",
         "fire6", "fire7", "fire8", "fire9", "conv10", "logits"]


class Tapped:
    """SqueezeNet 1.1 (the torch twin) run layer by layer, as ConvLens's layer names, stopping at `until`."""

    def __init__(self, model, convention):
        import torch
        self.model = model
        order = convention["order"]
        self.channels = [2, 1, 0] if order == "bgr" else [0, 1, 2]
        self.scale = convention["scale"]
        self.mean = torch.tensor(convention["mean"]).view(1, 3, 1, 1)
        self.std = torch.tensor(convention["std"]).view(1, 3, 1, 1)

    def normalize(self, rgb):
        """Image (N, 3, H, W, RGB 0...1) -> the network's input, InputConvention.normalize."""
        return (rgb[:, self.channels] * self.scale - self.mean) / self.std

    def forward(self, rgb, capture, until):
        import torch
        import torch.nn.functional as F
        m = self.model
        fires = dict(zip(["fire2", "fire3", "fire4", "fire5", "fire6", "fire7", "fire8", "fire9"], m.fires))
        x = self.normalize(rgb)
        found = {}
        for name in ORDER:
            if name == "conv1":
                x = F.relu(m.conv1(x))
            elif name.startswith("pool"):
                x = F.max_pool2d(x, 3, 2, ceil_mode=True)
            elif name in fires:
                x = fires[name](x)
            elif name == "conv10":
                x = F.relu(m.conv10(x))
            else:
                x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
            if name in capture:
                found[name] = x
            if name == until:
                break
        return found


def resize(image, height, width):
    """Bilinear, half-pixel centres, no antialiasing: Image.resized."""
    import torch.nn.functional as F
    return F.interpolate(image, size=(height, width), mode="bilinear", align_corners=False)


def load_npy(path):
    import numpy as np
    import torch
    return torch.from_numpy(np.load(path)).permute(2, 0, 1).unsqueeze(0).contiguous().float()


# ---------------------------------------------------------------------------------------------
# (a) DeepDream: DeepDream.run

def torch_dream(net, image, settings):
    import torch
    layer, rate, jitter = settings["layer"], settings["rate"], settings["jitter"]
    generator = random.Random(0)
    sizes = [tuple(image.shape[2:])]
    for _ in range(1, settings["octaves_run"]):
        h, w = sizes[-1]
        sizes.append((round(h / settings["octave_scale"]), round(w / settings["octave_scale"])))
    bases = [resize(image, h, w) for h, w in sizes]
    detail = torch.zeros_like(bases[-1])
    pixels = bases[-1]
    for octave in reversed(range(len(sizes))):
        base = bases[octave]
        if octave != len(sizes) - 1:
            detail = resize(detail, *sizes[octave])
        pixels = (base + detail).clamp(0, 1)
        for _ in range(settings["steps_per_octave"]):
            dy, dx = generator.randint(-jitter, jitter), generator.randint(-jitter, jitter)
            shifted = torch.roll(pixels, shifts=(dy, dx), dims=(2, 3)).requires_grad_(True)
            values = net.forward(shifted, {layer}, layer)[layer]
            loss = values.pow(2).mean() / 2
            loss.backward()
            gradient = torch.roll(shifted.grad, shifts=(-dy, -dx), dims=(2, 3))
            with torch.no_grad():
                magnitude = gradient.abs().mean()
                step = rate / magnitude if magnitude > 0 else 0.0
                pixels = (pixels + step * gradient).clamp(0, 1)
        detail = pixels - base
    return pixels


# ---------------------------------------------------------------------------------------------
# (b) Gatys style transfer: FeatureMatching.run with the style builtin's settings

def gram(features):
    n, c, h, w = features.shape
    flat = features.reshape(n, c, h * w)
    return flat @ flat.transpose(1, 2) / (h * w)


def bounded_for_style(image, longest_side=512):
    """FeatureMatching.boundedForStyle: at most 512 pixels a side."""
    h, w = image.shape[2:]
    longest = max(h, w)
    if longest <= longest_side:
        return image
    scale = longest_side / longest
    return resize(image, max(1, round(h * scale)), max(1, round(w * scale)))


def torch_style(net, content, painting, settings):
    import torch
    style_layers, content_layer = settings["style_layers"], settings["content_layer"]
    layers = set(style_layers) | {content_layer}
    deepest = max(layers, key=ORDER.index)
    with torch.no_grad():
        content_features = net.forward(content, layers, deepest)[content_layer]
        found = net.forward(bounded_for_style(painting), layers, deepest)
        style_grams = {name: gram(found[name]) for name in style_layers}
    content_scale = max(content_features.pow(2).mean().item(), 1e-12)
    style_scales = {name: max(g.pow(2).mean().item(), 1e-12) for name, g in style_grams.items()}
    pixels = content.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([pixels], lr=settings["rate"])
    for _ in range(settings["steps"]):
        optimizer.zero_grad()
        found = net.forward(pixels, layers, deepest)
        content_term = (found[content_layer] - content_features).pow(2).mean() / content_scale
        style_term = sum((gram(found[name]) - style_grams[name]).pow(2).mean() / (len(style_grams) * style_scales[name])
                         for name in sorted(style_grams))
        loss = settings["content_weight"] * content_term + settings["style_weight"] * style_term
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            pixels.clamp_(0, 1)
    return pixels.detach()


# ---------------------------------------------------------------------------------------------
# (c) Fourier channel visualization: FourierVisualization.run

COLOR_SQRT = [[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]]


def affine(matrix=(1.0, 0.0, 0.0, 1.0), offset=(0.0, 0.0)):
    """AffineWarp as a 3x3 homogeneous map from output (y, x) to source (y, x)."""
    import numpy as np
    return np.array([[matrix[0], matrix[1], offset[0]], [matrix[2], matrix[3], offset[1]], [0, 0, 1]], dtype=np.float64)


def resize_map(output, source):
    sy, sx = source[0] / output[0], source[1] / output[1]
    return affine((sy, 0, 0, sx), (0.5 * sy - 0.5, 0.5 * sx - 0.5))


def rotation_map(angle, height, width):
    c, s = math.cos(angle), math.sin(angle)
    cy, cx = (height - 1) / 2, (width - 1) / 2
    m = (c, s, -s, c)
    return affine(m, (cy - (m[0] * cy + m[1] * cx), cx - (m[2] * cy + m[3] * cx)))


def transform_map(height, width, settings, generator):
    """TransformRobustness.draw: the random choices in lucid's order, composed into one map."""
    pad = settings["pad"]
    first_jitter, second_jitter = settings["jitter"]
    first = (generator.randint(0, first_jitter), generator.randint(0, first_jitter))
    scale = generator.choice(settings["scales"])
    angle = generator.choice(settings["degrees"]) * math.pi / 180
    second = (generator.randint(0, second_jitter), generator.randint(0, second_jitter))
    cropped = (height + 2 * pad - first_jitter, width + 2 * pad - first_jitter)
    scaled = (max(1, round(cropped[0] * scale)), max(1, round(cropped[1] * scale)))
    final = (max(1, scaled[0] - second_jitter), max(1, scaled[1] - second_jitter))
    return (affine(offset=(-pad, -pad)) @ affine(offset=first) @ resize_map(scaled, cropped)
            @ rotation_map(angle, *scaled) @ affine(offset=second) @ resize_map((height, width), final))


def torch_fourier(net, settings):
    import numpy as np
    import torch
    import torch.nn.functional as F
    height, width = settings["size"]
    layer, channel = settings["layer"], settings["channel"]
    generator = random.Random(0)
    torch.manual_seed(0)
    fy = torch.fft.fftfreq(height).view(-1, 1)
    fx = torch.fft.rfftfreq(width).view(1, -1)
    frequency_scale = 1 / torch.maximum((fy * fy + fx * fx).sqrt(), torch.tensor(1 / max(height, width)))
    spectrum = (torch.randn(3, height, width // 2 + 1, 2) * 0.01).requires_grad_(True)
    color = torch.tensor(COLOR_SQRT)
    color = color / color.norm(dim=0).max()
    optimizer = torch.optim.Adam([spectrum], lr=settings["rate"])
    ys, xs = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    points = np.stack([ys.ravel(), xs.ravel(), np.ones(height * width)])

    def image():
        t = torch.fft.irfft2(torch.view_as_complex(spectrum) * frequency_scale, s=(height, width)) * math.sqrt(height * width) / 4
        return torch.sigmoid(torch.einsum("ck,khw->chw", color, t)).unsqueeze(0)

    def objective(rgb):
        return net.forward(rgb, {layer}, layer)[layer][0, channel].mean()

    for _ in range(settings["steps"]):
        optimizer.zero_grad()
        source = transform_map(height, width, settings, generator) @ points
        grid = np.stack([(2 * source[1] + 1) / width - 1, (2 * source[0] + 1) / height - 1], axis=-1)
        grid = torch.from_numpy(grid.reshape(1, height, width, 2)).float()
        # Grey 0.5 outside, per tap, as AffineWarp's fill: sample (x - 0.5) with zero padding.
        view = F.grid_sample(image() - 0.5, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + 0.5
        (-objective(view)).backward()
        optimizer.step()
    with torch.no_grad():
        return objective(image()).item()


# ---------------------------------------------------------------------------------------------

def time_torch(part, settings, folder, repetitions):
    import torch
    import torch_models
    torch.set_num_threads(results.THREADS)
    model, weights = torch_models.build("squeezenet1_1", results.ASSETS)
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    net = Tapped(model, settings["convention"])
    image = load_npy(folder / "image.npy")
    if part == "dream":
        run = lambda: torch_dream(net, image, settings)
    elif part == "style":
        painting = load_npy(folder / "style.npy")
        run = lambda: torch_style(net, image, painting, settings)
    else:
        run = lambda: torch_fourier(net, settings)
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), torch.__version__, weights


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--repetitions", type=int, default=1)
    parser.add_argument("--style-steps", type=int, default=200)
    parser.add_argument("--fourier-steps", type=int, default=512)
    parser.add_argument("--no-results", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()
    parts = [p for p in args.parts.split(",") if p]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        sys.exit(f"bench: unknown part(s) {unknown}; choose from {PARTS}")
    results.convlens_binary()
    results.ensure_bench_venv(__file__)
    results.pin_threads()
    images = results.ASSETS / "images"
    photo, painting = images / "chelsea.png", images / "starry_night.jpg"
    for path in (photo, painting):
        if not path.exists():
            sys.exit(f"bench: {path} is missing: run make setup (it fetches the sample photos)")
    arguments = {
        "dream": ["--size", "512", "--layer", "fire5"],
        "style": ["--size", "256", "--steps", str(args.style_steps), "--style-image", str(painting)],
        "fourier": ["--steps", str(args.fourier_steps), "--layer", "fire5", "--channel", "0"],
    }
    load_before = results.load_average()
    rows, torch_version, weights = [], "", ""
    for part in parts:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            ours = results.run_convlens("bench", "synthesis", "--part", part, "--image", str(photo), "--export", str(folder),
                                        "--repetitions", str(args.repetitions), *arguments[part], "--json")
            print(f"bench: ConvLens {part}: {ours['seconds']:.2f} s", flush=True)
            theirs, torch_version, weights = time_torch(part, ours, folder, args.repetitions)
            print(f"bench: PyTorch {part}: {theirs:.2f} s", flush=True)
        rows.append((part, ours, theirs))
    describe = {
        "dream": lambda s: f"DeepDream at {s['layer']}, {s['size']}x{s['size']}, {s['octaves_run']} octaves x "
                           f"{s['steps_per_octave']} steps",
        "style": lambda s: f"style transfer, {s['steps']} steps at {s['size']}x{s['size']}, style "
                           f"{'+'.join(s['style_layers'])}, content {s['content_layer']}",
        "fourier": lambda s: f"Fourier channel visualization {s['layer']}:{s['channel']}, {s['steps']} steps at "
                             f"{s['size'][0]}x{s['size'][1]}",
    }
    table = "| loop | ConvLens s | PyTorch s | ratio ConvLens / PyTorch time | goal <= 1 |\n| --- | ---: | ---: | ---: | --- |\n"
    for part, ours, theirs in rows:
        ratio = ours["seconds"] / theirs
        table += (f"| {describe[part](ours)} | {ours['seconds']:.2f} | {theirs:.2f} | {ratio:.2f} | "
                  f"{'met' if ratio <= 1 else 'NOT met'} |\n")
    text = (f"## Image synthesis, SqueezeNet 1.1 (bench/synthesis/run.py)\n\n"
            f"The same loops on both sides (see the script's docstring), {results.THREADS} threads, same "
            f"pretrained SqueezeNet weight file on both sides (PyTorch: {weights}), the same start "
            f"pixels (chelsea, starry_night), median of {args.repetitions} whole run(s) each. Run "
            f"{results.timestamp()}, load average (1/5/15 min) {load_before} before, {results.load_average()} after "
            f"(other work shares the machine; compare within one run). ConvLens via `convlens bench synthesis`, "
            f"release build; PyTorch {torch_version}, eager.\n\n{table}")
    if not args.no_results:
        results.replace_section("synthesis", text)
    print(text)


if __name__ == "__main__":
    main()
