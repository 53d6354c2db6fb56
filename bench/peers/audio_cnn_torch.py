"""PyTorch CPU peer for Assay's audio-cnn benchmark (bench/audio-cnn.mjs): the zoo's audio-cnn,
trained the way Assay trains it, on the very same log-mel features.

Same architecture as src-main/core/engine/zoo/architectures.ts (audioCnn) on a [frames, mels]
log-mel spectrogram (NCHW here: [N, 1, frames, mels]): three 3x3 'same' convolutions with ReLU
(16, 32, 64 filters), each followed by a 2x2 max pool with tfjs' 'same' padding (ceil_mode: odd
sizes keep a partial last window), an average over the remaining time frames only, a flatten
in tfjs' (NHWC) order, and a dense layer to the classes (classifierHead, no dropout).

Everything comes from DIR, written by bench/audio-cnn-run.ts --write-init: features.f32 (train
then test, already scaled), labels.i32, data.json, Assay's seeded initial weights (tfjs layouts:
conv HWIO -> OIHW here, dense [in, out] -> [out, in]) and one sample order per epoch. Same
optimiser (Adam), batch size, epochs and thread count. Prints one JSON object.

  python3 bench/peers/audio_cnn_torch.py --init DIR --threads 1 --epochs 3 --batch 32 --lr 0.001
"""
import argparse
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class AudioCnn(nn.Module):
    def __init__(self, classes, mels_out):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.logits = nn.Linear(64 * mels_out, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, ceil_mode=True)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, ceil_mode=True)
        x = F.max_pool2d(F.relu(self.conv3(x)), 2, ceil_mode=True)
        x = x.mean(dim=2)  # over time only: [N, 64, mels']
        x = x.permute(0, 2, 1).flatten(1)  # tfjs flattens [1, mels', 64] as mel-major, channel-minor
        return self.logits(x)


def load(init_dir, epochs):
    with open(f'{init_dir}/data.json') as f:
        meta = json.load(f)
    n_train, n_test, frames, mels = meta['train'], meta['test'], meta['frames'], meta['mels']
    x = np.fromfile(f'{init_dir}/features.f32', dtype=np.float32).reshape(-1, 1, frames, mels)
    y = np.fromfile(f'{init_dir}/labels.i32', dtype=np.int32).astype(np.int64)
    assert len(x) == n_train + n_test == len(y)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    orders = np.fromfile(f'{init_dir}/orders.i32', dtype=np.int32).reshape(epochs, n_train)
    orders = [torch.from_numpy(o.astype(np.int64)) for o in orders]
    return meta, x[:n_train], y[:n_train], x[n_train:], y[n_train:], orders


def load_weights(model, init_dir):
    with open(f'{init_dir}/weights.json') as f:
        shapes = json.load(f)['shapes']
    flat = np.fromfile(f'{init_dir}/weights.f32', dtype=np.float32)
    params = [model.conv1.weight, model.conv1.bias, model.conv2.weight, model.conv2.bias,
              model.conv3.weight, model.conv3.bias, model.logits.weight, model.logits.bias]
    assert len(params) == len(shapes)
    off = 0
    with torch.no_grad():
        for p, shape in zip(params, shapes):
            size = int(np.prod(shape))
            w = flat[off:off + size].reshape(shape)
            off += size
            if len(shape) == 4:
                w = np.transpose(w, (3, 2, 0, 1))  # HWIO -> OIHW
            elif len(shape) == 2:
                w = w.T  # [in, out] -> [out, in]
            assert tuple(p.shape) == w.shape, (p.shape, w.shape)
            p.copy_(torch.from_numpy(np.ascontiguousarray(w)))
    assert off == len(flat)


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


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--init', required=True)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--lr', type=float, default=1e-3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    meta, xtr, ytr, xte, yte, orders = load(a.init, a.epochs)
    mels_out = meta['mels']
    for _ in range(3):
        mels_out = (mels_out + 1) // 2
    model = AudioCnn(meta['classes'], mels_out)
    load_weights(model, a.init)
    # Same net? The untrained logits on the first test clips, against Assay's (tfjs) ones.
    ref = np.fromfile(f'{a.init}/init-logits.f32', dtype=np.float32).reshape(-1, meta['classes'])
    model.eval()
    with torch.no_grad():
        mine = model(xte[:len(ref)]).numpy()
    init_diff = float(np.abs(mine - ref).max())
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-8)
    epochs = []
    train_seconds = 0.0
    for epoch in range(a.epochs):
        model.train()
        t0 = time.perf_counter()
        order = orders[epoch]
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
        test_loss, test_acc = evaluate(model, xte, yte, 256)
        epochs.append({'epoch': epoch + 1, 'seconds': dt, 'loss': total / len(xtr),
                       'test_loss': test_loss, 'test_accuracy': test_acc})
        print(f'pytorch threads={a.threads} epoch {epoch + 1}: {dt:.1f} s, loss '
              f'{total / len(xtr):.4f}, test accuracy {test_acc:.4f}', file=sys.stderr)
    samples = a.epochs * len(xtr)
    json.dump({'engine': 'pytorch', 'version': torch.__version__,
               'threads': torch.get_num_threads(), 'train_seconds': train_seconds,
               'samples_per_second': samples / train_seconds,
               'test_accuracy': epochs[-1]['test_accuracy'],
               'initial_logits_max_abs_diff_vs_assay': init_diff, 'epochs': epochs}, sys.stdout)
    print()


if __name__ == '__main__':
    main()
