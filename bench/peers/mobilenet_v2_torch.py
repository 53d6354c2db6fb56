"""PyTorch side of the `features` benchmark: torchvision's mobilenet_v2 `features` with the SAME
weights as Assay's converted backbone (NSFWJS' MobileNetV2, Keras layout, written by
bench/features.ts), then global average pooling: images per second at 224x224 on 1 and 2 threads.

Keras pads stride-2 convolutions asymmetrically (ZeroPadding2D ((0,1),(0,1)) or 'same'); torchvision
pads 1 on every side. The stride-2 convolutions here get Keras' padding, so the outputs match the
TensorFlow.js model (the max difference is printed) and both engines compute the same network.

  python3 mobilenet_v2_torch.py WEIGHTS.json PARITY_INPUT.f32 PARITY_OUTPUT.f32 --threads 1,2 --batch 8 --images 64 --rounds 3
"""
import argparse
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class KerasPad(nn.Module):
    """Zero padding (left 0, right 1, top 0, bottom 1) then the stride-2 conv without padding."""

    def __init__(self, conv):
        super().__init__()
        conv.padding = (0, 0)
        self.conv = conv

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))


def load(weights_json):
    index = json.load(open(weights_json))
    blob = np.fromfile(weights_json[: -len(".json")] + ".bin", dtype=np.float32)
    get = lambda name: blob[index[name]["offset"] : index[name]["offset"] + int(np.prod(index[name]["shape"]))].reshape(index[name]["shape"])
    model = torchvision.models.mobilenet_v2().features.eval()

    def conv(module, name, depthwise=False):
        k = get(f"{name}/kernel" if not depthwise else f"{name}/depthwise_kernel")
        k = k.transpose(2, 3, 0, 1) if depthwise else k.transpose(3, 2, 0, 1)
        module.weight.data = torch.from_numpy(np.ascontiguousarray(k))

    def bn(module, name):
        module.weight.data = torch.from_numpy(get(f"{name}/gamma").copy())
        module.bias.data = torch.from_numpy(get(f"{name}/beta").copy())
        module.running_mean.data = torch.from_numpy(get(f"{name}/moving_mean").copy())
        module.running_var.data = torch.from_numpy(get(f"{name}/moving_variance").copy())
        module.eps = 1e-3

    conv(model[0][0], "Conv1")
    bn(model[0][1], "bn_Conv1")
    conv(model[1].conv[0][0], "expanded_conv_depthwise", True)
    bn(model[1].conv[0][1], "expanded_conv_depthwise_BN")
    conv(model[1].conv[1], "expanded_conv_project")
    bn(model[1].conv[2], "expanded_conv_project_BN")
    for i in range(1, 17):
        c = model[i + 1].conv
        conv(c[0][0], f"block_{i}_expand")
        bn(c[0][1], f"block_{i}_expand_BN")
        conv(c[1][0], f"block_{i}_depthwise", True)
        bn(c[1][1], f"block_{i}_depthwise_BN")
        conv(c[2], f"block_{i}_project")
        bn(c[3], f"block_{i}_project_BN")
    conv(model[18][0], "Conv_1")
    bn(model[18][1], "Conv_1_bn")
    # Keras' asymmetric padding on every stride-2 convolution.
    model[0][0] = KerasPad(model[0][0])
    for i in range(1, 17):
        dw = model[i + 1].conv[1]
        if dw[0].stride == (2, 2):
            dw[0] = KerasPad(dw[0])
    return model


def main():
    p = argparse.ArgumentParser()
    p.add_argument("weights")
    p.add_argument("parity_input")
    p.add_argument("parity_output")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--images", type=int, default=64)
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    model = load(a.weights)
    x = np.fromfile(a.parity_input, dtype=np.float32).reshape(-1, 224, 224, 3).transpose(0, 3, 1, 2)
    want = np.fromfile(a.parity_output, dtype=np.float32).reshape(x.shape[0], -1)
    with torch.no_grad():
        got = model(torch.from_numpy(np.ascontiguousarray(x))).mean(dim=(2, 3)).numpy()
    parity = float(np.abs(got - want).max())
    runs = []
    batch = torch.rand(a.batch, 3, 224, 224)
    for threads in [int(t) for t in a.threads.split(",")]:
        torch.set_num_threads(threads)
        best = None
        with torch.no_grad():
            for _ in range(2):
                model(batch).mean(dim=(2, 3))
            # The fastest of several rounds: other work on a shared machine only ever slows one down.
            for _ in range(a.rounds):
                t0 = time.perf_counter()
                n = 0
                while n < a.images:
                    model(batch).mean(dim=(2, 3))
                    n += a.batch
                dt = time.perf_counter() - t0
                best = dt if best is None else min(best, dt)
        dt = best
        runs.append({"threads": threads, "images": n, "seconds": dt, "images_per_second": n / dt})
        print(f"pytorch threads={threads}: {n / dt:.1f} images/s", file=sys.stderr)
    json.dump({"torch": torch.__version__, "torchvision": torchvision.__version__, "parity_max_abs_diff": parity, "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main()
