"""PyTorch CPU peer for Assay's benchmarks: the zoo's small-cnn, trained the way Assay trains it.

Same architecture as src-main/core/engine/zoo/architectures.ts (smallCnn): three 3x3 'same'
convolutions with ReLU (16, 32, 64 filters), 2x2 max pools after the first two, global average
pooling, optional dropout, a dense layer to the classes; Glorot-uniform weights, zero biases.
Same optimiser (Adam, PyTorch's rule, which Assay's optimizer reproduces), batch size, epochs,
shuffling per epoch, and thread count.

Modes (one JSON object on stdout):
  fashion-mnist  --data DIR --train N --test N --epochs E --batch B --threads T --lr LR --seed S
                 [--init DIR: Assay's initial weights and per-epoch sample orders, written by
                  bench/fashion-mnist.ts --write-init, so both engines train the same net on the
                  same sequence of batches]
  conv-layer     --threads T [--batch 64 --size 32 --cin 16 --cout 32]   (one 3x3 layer, fwd/bwd ms)
  step           --threads T --batch B  (one training step of small-cnn on 28x28x1, ms)
"""
import argparse
import gzip
import json
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        magic, = struct.unpack('>I', f.read(4))
        dims = magic & 0xFF
        shape = struct.unpack('>' + 'I' * dims, f.read(4 * dims))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(shape)


def load_fashion(data_dir, n_train, n_test):
    xtr = read_idx(f'{data_dir}/train-images-idx3-ubyte.gz')[:n_train]
    ytr = read_idx(f'{data_dir}/train-labels-idx1-ubyte.gz')[:n_train]
    xte = read_idx(f'{data_dir}/t10k-images-idx3-ubyte.gz')[:n_test]
    yte = read_idx(f'{data_dir}/t10k-labels-idx1-ubyte.gz')[:n_test]
    to_x = lambda a: torch.from_numpy(a.astype(np.float32) / 255.0).unsqueeze(1)  # NCHW
    to_y = lambda a: torch.from_numpy(a.astype(np.int64))
    return to_x(xtr), to_y(ytr), to_x(xte), to_y(yte)


class SmallCnn(nn.Module):
    def __init__(self, in_ch, classes, dropout):
        super().__init__()
        self.conv1 = nn.Conv2d(in_ch, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.logits = nn.Linear(64, classes)
        for m in (self.conv1, self.conv2, self.conv3, self.logits):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.conv3(x))
        x = x.mean(dim=(2, 3))
        return self.logits(self.drop(x))


def evaluate(model, x, y, batch):
    model.eval()
    correct = 0
    loss = 0.0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out = model(x[i:i + batch])
            loss += F.cross_entropy(out, y[i:i + batch], reduction='sum').item()
            correct += (out.argmax(1) == y[i:i + batch]).sum().item()
    return loss / len(x), correct / len(x)


def load_init(model, init_dir, epochs, n):
    """Assay's initial weights (tfjs layouts: conv HWIO, dense [in, out]) and sample orders."""
    with open(f'{init_dir}/weights.json') as f:
        meta = json.load(f)
    flat = np.fromfile(f'{init_dir}/weights.f32', dtype=np.float32)
    params = [model.conv1.weight, model.conv1.bias, model.conv2.weight, model.conv2.bias,
              model.conv3.weight, model.conv3.bias, model.logits.weight, model.logits.bias]
    off = 0
    with torch.no_grad():
        for p, shape in zip(params, meta['shapes']):
            size = int(np.prod(shape))
            w = flat[off:off + size].reshape(shape)
            off += size
            if len(shape) == 4:
                w = np.transpose(w, (3, 2, 0, 1))  # HWIO -> OIHW
            elif len(shape) == 2:
                w = w.T  # [in, out] -> [out, in]
            p.copy_(torch.from_numpy(np.ascontiguousarray(w)))
    orders = np.fromfile(f'{init_dir}/orders.i32', dtype=np.int32).reshape(epochs, n)
    return [torch.from_numpy(o.astype(np.int64)) for o in orders]


def fashion_mnist(a):
    xtr, ytr, xte, yte = load_fashion(a.data, a.train, a.test)
    torch.manual_seed(a.seed)
    model = SmallCnn(1, 10, a.dropout)
    orders = load_init(model, a.init, a.epochs, len(xtr)) if a.init else None
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-8)
    gen = torch.Generator().manual_seed(a.seed)
    epochs = []
    train_seconds = 0.0
    for epoch in range(a.epochs):
        model.train()
        t0 = time.perf_counter()
        order = orders[epoch] if orders else torch.randperm(len(xtr), generator=gen)
        total = 0.0
        for i in range(0, len(xtr), a.batch):
            idx = order[i:i + a.batch]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        dt = time.perf_counter() - t0
        train_seconds += dt
        val_loss, val_acc = evaluate(model, xte, yte, 256)
        epochs.append({'epoch': epoch + 1, 'seconds': dt, 'loss': total / len(xtr),
                       'test_loss': val_loss, 'test_accuracy': val_acc})
    samples = a.epochs * len(xtr)
    return {'engine': 'pytorch', 'version': torch.__version__, 'threads': torch.get_num_threads(),
            'train_seconds': train_seconds, 'samples_per_second': samples / train_seconds,
            'test_accuracy': epochs[-1]['test_accuracy'], 'epochs': epochs}


def timed(f, repeats):
    f()
    f()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {'min_ms': times[0], 'median_ms': times[len(times) // 2]}


def conv_layer(a):
    x = torch.randn(a.batch, a.cin, a.size, a.size, requires_grad=True)
    conv = nn.Conv2d(a.cin, a.cout, 3, padding=1, bias=False)
    dy = torch.randn(a.batch, a.cout, a.size, a.size)

    def fwd():
        with torch.no_grad():
            conv(x)

    def fwd_bwd():
        x.grad = None
        conv.weight.grad = None
        conv(x).backward(dy)

    return {'engine': 'pytorch', 'threads': torch.get_num_threads(),
            'forward': timed(fwd, a.repeats), 'forward_backward': timed(fwd_bwd, a.repeats)}


def step(a):
    torch.manual_seed(0)
    model = SmallCnn(1, 10, 0.0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(a.batch, 1, 28, 28)
    y = torch.randint(0, 10, (a.batch,))

    def one():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    return {'engine': 'pytorch', 'threads': torch.get_num_threads(), 'step': timed(one, a.repeats)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['fashion-mnist', 'conv-layer', 'step'])
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    p.add_argument('--train', type=int, default=10000)
    p.add_argument('--test', type=int, default=10000)
    p.add_argument('--epochs', type=int, default=2)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--dropout', type=float, default=0.0)
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--size', type=int, default=32)
    p.add_argument('--cin', type=int, default=16)
    p.add_argument('--cout', type=int, default=32)
    p.add_argument('--repeats', type=int, default=20)
    p.add_argument('--init', default=None, help='start from Assay\'s weights and sample orders')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    result = {'fashion-mnist': fashion_mnist, 'conv-layer': conv_layer, 'step': step}[a.mode](a)
    json.dump(result, sys.stdout)
    print()


if __name__ == '__main__':
    main()
