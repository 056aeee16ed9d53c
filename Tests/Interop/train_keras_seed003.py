#!/usr/bin/env python3
"""Trains seed003 in Keras (TensorFlow CPU) and reports Keras' own test accuracy and loss.

The other half of CrossFrameworkTests: a model that this project's engine never
touched, trained with a fixed seed on the same MNIST files, evaluated by Keras on
the 10,000 test images. Its weights are saved in Keras' own names and layouts
(conv kernels [kh, kw, in, out], dense kernels [in, out], flatten in (h, w, c)
order) to an .npz that keras_to_safetensors.py turns into a PyTorch-style file.

    python train_keras_seed003.py --data DIR/mnist --out keras.npz [--seed 1] [--epochs 1]

Prints one JSON line: framework, test_count, test_accuracy, test_errors, test_loss, seconds.
"""
import argparse, gzip, json, os, struct, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = struct.unpack(">I", data[:4])[0] & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def images(path):
    # pixel * (1/255) in float32, exactly as digits' IDX reader scales them, so
    # both frameworks see bit-identical inputs.
    return read_idx(path).astype(np.float32)[..., None] * (np.float32(1) / np.float32(255))


def seed003(keras):
    """The seed notebook's model: conv32@3x3 relu, maxpool 2, flatten, dense 32 relu, dense 10.

    The last layer gives logits and the loss takes them (from_logits=True): the
    same softmax cross-entropy digits computes, with no clipping of probabilities.
    """
    L = keras.layers
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        L.Conv2D(32, 3, activation="relu", name="conv1"),
        L.MaxPooling2D(2, name="pool1"),
        L.Flatten(name="flatten"),
        L.Dense(32, activation="relu", name="fc1"),
        L.Dense(10, name="fc2"),
    ])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="directory with the four MNIST .gz files")
    p.add_argument("--out", required=True, help="where to write the Keras weights (.npz)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    start = time.perf_counter()
    import tensorflow as tf
    import keras
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)
    xtr = images(os.path.join(a.data, "train-images-idx3-ubyte.gz"))
    ytr = read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    xte = images(os.path.join(a.data, "t10k-images-idx3-ubyte.gz"))
    yte = read_idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)

    keras.utils.set_random_seed(a.seed)
    model = seed003(keras)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(xtr, ytr, batch_size=a.batch_size, epochs=a.epochs, verbose=0)
    loss, accuracy = model.evaluate(xte, yte, batch_size=256, verbose=0)

    # Keras' names and layouts, untouched; the flatten's input shape (h, w, c)
    # goes along, since fc1's rows follow it.
    weights = {f"{layer.name}/{w.name}": np.asarray(w.numpy(), dtype=np.float32)
               for layer in model.layers for w in layer.weights}
    weights["flatten/input_shape"] = np.array(model.get_layer("flatten").input.shape[1:], dtype=np.int64)
    np.savez(a.out, **weights)
    print(json.dumps({"framework": f"keras-{keras.__version__}/tensorflow-{tf.__version__}",
                      "test_count": int(len(yte)), "test_accuracy": float(accuracy),
                      "test_errors": int(round((1 - accuracy) * len(yte))),
                      "test_loss": float(loss), "seconds": round(time.perf_counter() - start, 1)}))


if __name__ == "__main__":
    main()
