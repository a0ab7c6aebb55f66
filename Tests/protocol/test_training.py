"""convnet(), train() and evaluate() through the real kernel (issue 8): ConvNetJS's MNIST network
learns 2,000 training digits to above 90% on 1,000 test digits, the history table adds up, seed()
makes runs identical, a bad spec gets a caret under its bad part, and an interrupt stops training
at a batch boundary with a usable network."""
from __future__ import annotations

import csv
import os
import re
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import TIMEOUT, execute, ok, shell_reply  # noqa: F401

ASSETS = Path(os.environ.get("CONVLENS_ASSETS", Path(__file__).resolve().parents[2] / ".cache" / "assets"))
SPEC = "conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10 softmax"
DATA = 'train_set = dataset("mnist", split: "train", count: 2000)\ntest_set = dataset("mnist", split: "test", count: 1000)\n'


@pytest.fixture(autouse=True)
def mnist():
    if not (ASSETS / "mnist" / "train-labels-idx1-ubyte").is_file():
        pytest.skip("MNIST is not fetched (make setup)")


def train_and_evaluate(kc, tmp_path, seed, name):
    """Seeds, makes and trains the network, saves the history as CSV and the confusion counts."""
    code = (f"seed({seed})\n{DATA}net = convnet(\"{SPEC}\", input: [1, 28, 28])\n"
            f"h = train(net, train_set, epochs: 2, batch: 20)\n"
            f'save(h, "{tmp_path / name}.csv")\nm = evaluate(net, test_set)\nsave(m, "{tmp_path / name}.npy")\nh')
    messages = ok(kc, code, timeout=120)
    with open(tmp_path / f"{name}.csv", newline="") as file:
        history = list(csv.DictReader(file))
    return messages, history, np.load(tmp_path / f"{name}.npy")


def test_two_epochs_on_2000_digits_pass_90_percent_and_seed_repeats_the_run(kernel, tmp_path):
    _, kc = kernel
    messages, history, counts = train_and_evaluate(kc, tmp_path, 3, "a")
    labels = np.frombuffer((ASSETS / "mnist" / "t10k-labels-idx1-ubyte").read_bytes()[8:], dtype=np.uint8)[:1000]
    assert counts.shape == (10, 10)
    # Rows are true classes: each row sums to that digit's count among the first 1,000 test digits.
    np.testing.assert_array_equal(counts.sum(axis=1), np.bincount(labels, minlength=10))
    accuracy = np.trace(counts) / 1000
    assert accuracy > 0.90, accuracy

    # The history: examples grow by whole batches up to 2 epochs x 2,000; the loss falls from
    # about ln 10 (a fresh 10-class softmax; He-initialised logits are not all equal) to well below it.
    examples = [int(float(row["examples"])) for row in history]
    assert examples == sorted(examples) and examples[-1] == 4000
    assert all(count % 20 == 0 for count in examples)
    assert [int(float(row["epoch"])) for row in history][-1] == 2
    losses = [float(row["loss"]) for row in history]
    assert 1.5 < losses[0] < 4.0, losses[0]
    assert losses[-1] < 0.5 * losses[0], (losses[0], losses[-1])
    shown = [m for m in messages if m["msg_type"] == "execute_result"][-1]["content"]["data"]["text/plain"]
    assert shown.startswith("train convnet: 4000 examples")
    assert shown.splitlines()[1].split() == ["examples", "epoch", "loss", "smoothed_loss", "validation_accuracy", "rate"]
    assert shown.splitlines()[-1] == f"… {len(history)} rows in all (showing the first 20)"

    # The same seed: the same history and the same counts, bit for bit; another seed differs.
    _, again, counts_again = train_and_evaluate(kc, tmp_path, 3, "b")
    assert again == history
    np.testing.assert_array_equal(counts_again, counts)
    _, other, _ = train_and_evaluate(kc, tmp_path, 4, "c")
    assert [row["loss"] for row in other] != [row["loss"] for row in history]


def test_spec_error_puts_the_caret_under_the_bad_layer(kernel):
    _, kc = kernel
    code = 'net = convnet("conv 5x5 8 relu, pool 2, fc 10 sofmax")'
    reply, messages = execute(kc, code)
    assert reply["content"]["status"] == "error"
    traceback = "\n".join(next(m for m in messages if m["msg_type"] == "error")["content"]["traceback"])
    plain = re.sub(r"\x1b\[[0-9;]*m", "", traceback).splitlines()
    source = next(i for i, line in enumerate(plain) if line.endswith(code))
    caret = plain[source + 1]
    start = len(plain[source]) - len(code)
    column = caret.index("^") - start
    # The caret starts inside the string literal, within the last layer "fc 10 sofmax", not at the quote.
    last_layer = code.index("fc 10 sofmax")
    assert last_layer <= column <= code.index("sofmax"), (column, plain[source], caret)


def test_interrupt_stops_training_at_a_batch_and_keeps_a_working_network(kernel):
    km, kc = kernel
    ok(kc, f'seed(5)\n{DATA}net = convnet("{SPEC}", input: [1, 28, 28])', timeout=60)
    msg_id = kc.execute("train(net, train_set, epochs: 200, batch: 20)")
    # Wait until the dashboard has been drawn once: training is under way.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] in ("display_data", "update_display_data"):
            break
    time.sleep(1.0)
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, timeout=30)
    assert reply["content"]["status"] == "error"
    message = reply["content"]["evalue"]
    found = re.search(r"training stopped after (\d+) examples \((\d+) steps\)", message)
    assert found, message
    examples, steps = int(found.group(1)), int(found.group(2))
    # Stopped at a batch boundary, long before 200 epochs, with the weights kept.
    assert examples == 20 * steps and 0 < examples < 200 * 2000
    assert km.is_alive()
    reply, messages = execute(kc, "evaluate(net, test_set)")
    assert reply["content"]["status"] == "ok", reply["content"]
    title = [m for m in messages if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"]
    correct = int(re.search(r"\((\d+)/1000\)", title).group(1))
    # Trained for at least one batch: better than the 10% of chance after a second of training.
    assert correct > 200, title


def test_compare_optimizers_starts_every_curve_at_one_loss_and_keeps_its_plot(kernel, tmp_path):
    _, kc = kernel
    code = ('seed(2)\nd = toy2d(kind: "xor", count: 200, seed: 1)\n'
            't = compare_optimizers("fc 8 tanh, fc 2 softmax", d, epochs: 3, batch: 10, validation: d)\n'
            f'save(t, "{tmp_path / "t.csv"}")\nt')
    messages = ok(kc, code, timeout=120)
    with open(tmp_path / "t.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["optimizer"] for row in rows] == ["sgd", "momentum", "adagrad", "adadelta", "adam"]
    assert len({row["initial_loss"] for row in rows}) == 1
    # A fresh 2-class softmax starts near ln 2; Adam lowers it within 600 examples.
    assert abs(float(rows[0]["initial_loss"]) - np.log(2)) < 0.3
    assert float(rows[4]["final_loss"]) < float(rows[4]["initial_loss"])
    assert all(0 <= float(row["validation_accuracy"]) <= 1 for row in rows)
    # The live plot stays in the output (a picture), beside the table result.
    pictures = [m for m in messages if m["msg_type"] in ("display_data", "update_display_data")
                and "image/png" in m["content"]["data"]]
    assert pictures, [m["msg_type"] for m in messages]
