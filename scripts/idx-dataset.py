#!/usr/bin/env python3
"""Builds an AnnReport data set from IDX image files (the format of MNIST and Fashion-MNIST), the way ann-benchmarks
builds its mnist-784-euclidean and fashion-mnist-784-euclidean sets: every training image is a base row (784 pixel
values 0..255 as float32, as they are), and the queries are test images. Writes base.fvecs, queries.fvecs and
queries-groundtruth.ivecs (exact top 100 by brute force in float64, numpy) in OUT_DIR.

    idx-dataset.py TRAIN-images-idx3-ubyte[.gz] TEST-images-idx3-ubyte[.gz] OUT_DIR [--queries 1000] [--seed 7]
                   [--metric l2|angular] [--k 100]

The queries are drawn at random (seeded) from the test images, so none of them is a base row. Fashion-MNIST
(Zalando, MIT licence) is in Debian's dataset-fashion-mnist package (60,000 training and 10,000 test images).
"""
import argparse
import gzip
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ann_dataset import normalize, write_data_set  # noqa: E402


def read_idx_images(path):
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
        raw = f.read()
    if len(raw) < 16 or raw[0:4] != b"\x00\x00\x08\x03":
        sys.exit(f"{path}: not an IDX file of unsigned bytes in 3 dimensions")
    n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    if len(raw) != 16 + n * rows * cols:
        sys.exit(f"{path}: {len(raw) - 16} bytes of pixels, the header says {n} x {rows} x {cols}")
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols).astype(np.float32)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("train")
    p.add_argument("test")
    p.add_argument("out")
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--metric", choices=["l2", "angular"], default="l2")
    p.add_argument("--k", type=int, default=100)
    a = p.parse_args()
    base = read_idx_images(a.train)
    test = read_idx_images(a.test)
    if base.shape[1] != test.shape[1]:
        sys.exit(f"{a.train} has {base.shape[1]} pixels an image, {a.test} {test.shape[1]}")
    if a.queries > len(test):
        sys.exit(f"{a.test} holds {len(test)} images, fewer than {a.queries}")
    queries = test[np.sort(np.random.default_rng(a.seed).choice(len(test), size=a.queries, replace=False))]
    if a.metric == "angular":
        normalize(base)
        normalize(queries)
    write_data_set(a.out, base, queries, a.metric, a.k,
                   f"{len(base)} base rows = every image of {os.path.basename(a.train)}, {a.queries} queries drawn (seed {a.seed}) "
                   f"from the {len(test)} of {os.path.basename(a.test)}, dimension {base.shape[1]}, pixel values 0..255 (scripts/idx-dataset.py)")


if __name__ == "__main__":
    main()
