"""PyTorch (CPU) training throughput of the lab's benchmark CNN, the reference for `npm run bench`.

Same network and step as bench/train-throughput.ts: conv3x3 (no bias) 32-64-128, each followed by
batch norm and ReLU, 2x2 max-pool after the first two, global average pool, dense 10, softmax
cross-entropy, Adam (lr 1e-3), batch 128, inputs normalised per channel. Prints one JSON line per
input: {"model": "bench-cnn", "input": "32x32x3", "backend": "pytorch", "images_per_s": ...}.

    python bench/pytorch_cnn.py [--threads 2] [--batch 128] [--steps 20] [--input 32x32x3,28x28x1]
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BenchCnn(nn.Module):
    def __init__(self, channels: int, widths=(32, 64, 128), classes: int = 10):
        super().__init__()
        blocks, cin = [], channels
        for i, w in enumerate(widths):
            layers = [nn.Conv2d(cin, w, 3, padding=1, bias=False), nn.BatchNorm2d(w, eps=1e-5), nn.ReLU()]
            if i < len(widths) - 1:
                layers.append(nn.MaxPool2d(2, 2))
            blocks += layers
            cin = w
        self.features = nn.Sequential(*blocks)
        self.dense = nn.Linear(cin, classes)

    def forward(self, x):
        return self.dense(self.features(x).mean(dim=(2, 3)))


def measure(h: int, w: int, c: int, batch: int, steps: int) -> tuple:
    """Images/s (wall) and CPU ms per step (all threads) of `steps` training steps after 3 warm-up steps."""
    torch.manual_seed(1)
    model = BenchCnn(c)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    mean = torch.full((1, c, 1, 1), 0.5)
    std = torch.full((1, c, 1, 1), 0.25)
    images = torch.rand(batch * 4, c, h, w)
    labels = torch.randint(0, 10, (batch * 4,))

    def step(i: int) -> float:
        k = (i % 4) * batch
        x = (images[k : k + batch] - mean) / std
        loss = F.cross_entropy(model(x), labels[k : k + batch])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(3):
        step(i)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(steps):
        step(i)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return batch * steps / wall, 1000 * cpu / steps


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--input", default="32x32x3,28x28x1")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for spec in a.input.split(","):
        h, w, c = (int(v) for v in spec.split("x"))
        ips, cpu_ms = measure(h, w, c, a.batch, a.steps)
        row = {"model": "bench-cnn", "input": spec, "backend": "pytorch", "images_per_s": round(ips, 2),
               "cpu_ms_per_step": round(cpu_ms, 1), "threads": a.threads, "torch": torch.__version__}
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
