#!/usr/bin/env python3
"""Converts Keras weights (.npz from train_keras_seed003.py) to PyTorch's names and layouts.

What a PyTorch user's export looks like: safetensors, F32, `conv1.weight`
[out, in, kh, kw], `conv1.bias`, `fc1.weight` [out, in] with its inputs in
PyTorch's flatten order (c, h, w), `fc1.bias`, `fc2.…` — and no `__metadata__`,
so the architecture must be named on the command line (`--model seed003`).

    python keras_to_safetensors.py keras.npz converted.safetensors

Keras keeps conv kernels as [kh, kw, in, out], dense kernels as [in, out], and
flattens a feature map in (h, w, c) order. Only NumPy is needed: the file is
written by hand (8-byte little-endian header length, JSON header, raw data).
"""
import json, struct, sys

import numpy as np


def conv_weight(kernel):
    return kernel.transpose(3, 2, 0, 1)          # [kh, kw, in, out] -> [out, in, kh, kw]


def dense_weight(kernel):
    return kernel.T                                # [in, out] -> [out, in]


def dense_after_flatten(kernel, hwc):
    """fc1's kernel, its input rows reordered from Keras' (h, w, c) flatten to PyTorch's (c, h, w)."""
    h, w, c = (int(v) for v in hwc)
    assert kernel.shape[0] == h * w * c, (kernel.shape, hwc)
    chw = kernel.reshape(h, w, c, -1).transpose(2, 0, 1, 3).reshape(h * w * c, -1)
    return dense_weight(chw)


def convert(keras):
    return {
        "conv1.weight": conv_weight(keras["conv1/kernel"]),
        "conv1.bias": keras["conv1/bias"],
        "fc1.weight": dense_after_flatten(keras["fc1/kernel"], keras["flatten/input_shape"]),
        "fc1.bias": keras["fc1/bias"],
        "fc2.weight": dense_weight(keras["fc2/kernel"]),
        "fc2.bias": keras["fc2/bias"],
    }


def write_safetensors(tensors, path):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)               # the data starts 8-byte aligned, as safetensors pads it
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for b in blobs:
            f.write(b)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: keras_to_safetensors.py KERAS.npz OUT.safetensors")
    with np.load(sys.argv[1]) as keras:
        write_safetensors(convert(keras), sys.argv[2])


if __name__ == "__main__":
    main()
