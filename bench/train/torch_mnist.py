"""The ConvNetJS MNIST network and training loop in PyTorch: the peer of `convlens bench train`.

Network (ConvNetJS's MNIST demo, on whole 28x28 digits): conv 5x5 8 (pad 2) relu, max pool 2,
conv 5x5 16 (pad 2) relu, max pool 3 stride 3, fully connected 10, softmax cross-entropy.
Loop: batch 20, SGD with momentum, examples in a seeded random order each epoch, the same
settings as the ConvLens side. Prints one JSON object on its last line.

Usage (inside .venv-bench): python bench/train/torch_mnist.py --rate 0.01 --momentum 0.9
    [--seconds 60] [--target 0.98] [--evaluate-every 10000] [--seed 1]
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ASSETS = Path(__file__).resolve().parents[2] / ".cache" / "assets" / "mnist"


def read_idx(path: Path) -> np.ndarray:
    data = path.read_bytes()
    magic = int.from_bytes(data[0:4], "big")
    if magic == 0x803:
        count, rows, cols = (int.from_bytes(data[o:o + 4], "big") for o in (4, 8, 12))
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, 1, rows, cols).astype(np.float32) / 255
    if magic == 0x801:
        return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)
    raise ValueError(f"{path}: not an IDX file")


def network() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, stride=3),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 10))


def accuracy(net: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    with torch.no_grad():
        correct = 0
        for start in range(0, len(images), 1000):
            logits = net(images[start:start + 1000])
            correct += int((logits.argmax(1) == labels[start:start + 1000]).sum())
    return correct / len(images)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=0.01)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--target", type=float, default=0.98)
    parser.add_argument("--evaluate-every", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x = torch.from_numpy(read_idx(ASSETS / "train-images-idx3-ubyte"))
    train_y = torch.from_numpy(read_idx(ASSETS / "train-labels-idx1-ubyte"))
    test_x = torch.from_numpy(read_idx(ASSETS / "t10k-images-idx3-ubyte"))
    test_y = torch.from_numpy(read_idx(ASSETS / "t10k-labels-idx1-ubyte"))
    net = network()
    optimizer = torch.optim.SGD(net.parameters(), lr=args.rate, momentum=args.momentum)
    loss_function = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(args.seed)
    seen, training_seconds, reached_at, curve = 0, 0.0, None, []
    next_evaluation = args.evaluate_every
    while training_seconds < args.seconds and reached_at is None:
        order = torch.randperm(len(train_x), generator=generator)
        for start in range(0, len(order) - args.batch + 1, args.batch):
            began = time.perf_counter()
            index = order[start:start + args.batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(net(train_x[index]), train_y[index])
            loss.backward()
            optimizer.step()
            training_seconds += time.perf_counter() - began
            seen += args.batch
            if seen >= next_evaluation:
                next_evaluation += args.evaluate_every
                test_accuracy = accuracy(net, test_x, test_y)
                curve.append((seen, round(training_seconds, 2), test_accuracy))
                if test_accuracy >= args.target:
                    reached_at = training_seconds
                    break
            if training_seconds >= args.seconds:
                break
    print(json.dumps({"examples": seen, "training_seconds": training_seconds,
                      "examples_per_second": seen / training_seconds,
                      "seconds_to_target": reached_at, "curve": curve,
                      "final_accuracy": curve[-1][2] if curve else accuracy(net, test_x, test_y)}))


if __name__ == "__main__":
    main()
