#!/usr/bin/env python3
"""Builds a second ANN data set from per-token vectors (e.g. the multi-vector tool's docs.tokens.fvecs of
all-MiniLM-L6-v2, which are not unit length), in the layout AnnReport reads: base.fvecs, queries.fvecs and
queries-groundtruth.ivecs (exact top 100 by brute force in float64, numpy).

    token-dataset.py TOKENS.fvecs OUT_DIR [--base 200000] [--queries 1000] [--seed 7] [--metric l2|angular]
                     [--pairs OFFSETS.ivecs]

Rows are drawn at random (seeded) from the whole file; the queries are further rows, disjoint from the base.
--metric l2 keeps the vectors as they are and ranks by Euclidean distance; angular normalizes base and queries
and ranks by inner product (= cosine). The multi-vector tool's tokens are unit length, so L2 on them ranks as
angular does: --pairs (with the tool's offsets file: each document's first token index, then the total) makes
each row the unnormalised mean of two adjacent tokens of one document instead, whose lengths differ (cosine of
the two tokens), so that L2 and inner product rank differently. The file is read through a memory map.
"""
import argparse
import os
import sys

import numpy as np


def read_rows(path, rows):
    raw = np.memmap(path, dtype=np.int32, mode="r")
    dim = int(raw[0])
    width = dim + 1
    total = raw.shape[0] // width
    if raw.shape[0] % width != 0:
        sys.exit(f"{path}: not an fvecs file of dimension {dim}")
    m = raw.reshape(total, width)
    if np.any(m[rows, 0] != dim):
        sys.exit(f"{path}: a row of another dimension")
    return m[rows, 1:].view(np.float32).astype(np.float32), total


def count_rows(path):
    raw = np.memmap(path, dtype=np.int32, mode="r")
    return raw.shape[0] // (int(raw[0]) + 1)


def write_fvecs(path, x):
    n, d = x.shape
    out = np.empty((n, d + 1), dtype=np.int32)
    out[:, 0] = d
    out[:, 1:] = x.astype(np.float32).view(np.int32)
    out.tofile(path)


def write_ivecs(path, x):
    n, d = x.shape
    out = np.empty((n, d + 1), dtype=np.int32)
    out[:, 0] = d
    out[:, 1:] = x
    out.tofile(path)


def ground_truth(base, queries, metric, k):
    b = base.astype(np.float64)
    norms = (b * b).sum(axis=1)
    truth = np.empty((queries.shape[0], k), dtype=np.int32)
    for lo in range(0, queries.shape[0], 100):
        q = queries[lo:lo + 100].astype(np.float64)
        dots = q @ b.T
        # L2: smaller |q-x|^2 = |x|^2 - 2 q.x (+ |q|^2) is better; angular: larger dot is better
        key = norms[None, :] - 2 * dots if metric == "l2" else -dots
        part = np.argpartition(key, k, axis=1)[:, :k]
        order = np.take_along_axis(key, part, axis=1).argsort(axis=1, kind="stable")
        truth[lo:lo + 100] = np.take_along_axis(part, order, axis=1)
    return truth


def main():
    p = argparse.ArgumentParser()
    p.add_argument("tokens")
    p.add_argument("out")
    p.add_argument("--base", type=int, default=200000)
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--metric", choices=["l2", "angular"], default="l2")
    p.add_argument("--k", type=int, default=100)
    p.add_argument("--pairs", help="offsets .ivecs: rows are means of two adjacent tokens of a document")
    a = p.parse_args()
    total = count_rows(a.tokens)
    candidates = np.arange(total)
    if a.pairs:  # a pair starts at any token whose successor is in the same document
        starts = np.fromfile(a.pairs, dtype=np.int32).reshape(-1, 2)[:, 1].astype(np.int64)
        if starts[-1] != total:
            sys.exit(f"{a.pairs} ends at token {starts[-1]}, {a.tokens} holds {total}")
        last = np.zeros(total, dtype=bool)
        last[starts[1:] - 1] = True
        candidates = np.flatnonzero(~last)
    if a.base + a.queries > len(candidates):
        sys.exit(f"{a.tokens} offers {len(candidates)} rows, fewer than {a.base + a.queries}")
    rng = np.random.default_rng(a.seed)
    pick = candidates[rng.choice(len(candidates), size=a.base + a.queries, replace=False)]
    base_rows = np.sort(pick[:a.base])
    query_rows = pick[a.base:]
    base, _ = read_rows(a.tokens, base_rows)
    queries, _ = read_rows(a.tokens, query_rows)
    if a.pairs:
        base = (base + read_rows(a.tokens, base_rows + 1)[0]) / 2
        queries = (queries + read_rows(a.tokens, query_rows + 1)[0]) / 2
    if a.metric == "angular":
        base /= np.maximum(np.linalg.norm(base, axis=1, keepdims=True), 1e-30)
        queries /= np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-30)
    os.makedirs(a.out, exist_ok=True)
    write_fvecs(os.path.join(a.out, "base.fvecs"), base)
    write_fvecs(os.path.join(a.out, "queries.fvecs"), queries)
    write_ivecs(os.path.join(a.out, "queries-groundtruth.ivecs"), ground_truth(base, queries, a.metric, a.k))
    norms = np.linalg.norm(base, axis=1)
    with open(os.path.join(a.out, "README.md"), "w") as f:
        f.write(f"{a.base} base and {a.queries} query rows drawn (seed {a.seed}) from {os.path.basename(a.tokens)} "
                f"({total} rows, dimension {base.shape[1]}){'; each row the mean of two adjacent tokens of a document' if a.pairs else ''}; metric {a.metric}; base norms {norms.min():.3f}..{norms.max():.3f} "
                f"(mean {norms.mean():.3f}); ground truth: exact top {a.k} in float64 (scripts/token-dataset.py).\n")
    print(f"wrote {a.out}: base {base.shape}, queries {queries.shape}, metric {a.metric}, norms {norms.min():.3f}..{norms.max():.3f}")


if __name__ == "__main__":
    main()
