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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ann_dataset import normalize, write_data_set  # noqa: E402


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
        normalize(base)
        normalize(queries)
    write_data_set(a.out, base, queries, a.metric, a.k,
                   f"{a.base} base and {a.queries} query rows drawn (seed {a.seed}) from {os.path.basename(a.tokens)} "
                   f"({total} rows, dimension {base.shape[1]})"
                   + ("; each row the mean of two adjacent tokens of a document" if a.pairs else "") + " (scripts/token-dataset.py)")


if __name__ == "__main__":
    main()
