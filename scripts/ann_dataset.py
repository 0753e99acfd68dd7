"""What the AnnReport data-set scripts share (token-dataset.py, idx-dataset.py): fvecs/ivecs writing, exact ground
truth by brute force in float64 (numpy), and the data set's README line. Not a program: imported by them."""
import os

import numpy as np


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
    """Each query's exact top k rows of base, best first: smallest L2 distance, or largest inner product (angular)."""
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


def normalize(x):
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-30)


def write_data_set(out, base, queries, metric, k, description):
    """base.fvecs, queries.fvecs, queries-groundtruth.ivecs (exact top k by metric) and a README.md of one line."""
    os.makedirs(out, exist_ok=True)
    write_fvecs(os.path.join(out, "base.fvecs"), base)
    write_fvecs(os.path.join(out, "queries.fvecs"), queries)
    write_ivecs(os.path.join(out, "queries-groundtruth.ivecs"), ground_truth(base, queries, metric, k))
    norms = np.linalg.norm(base, axis=1)
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(f"{description}; metric {metric}; base norms {norms.min():.3f}..{norms.max():.3f} (mean {norms.mean():.3f}); "
                f"ground truth: exact top {k} in float64.\n")
    print(f"wrote {out}: base {base.shape}, queries {queries.shape}, metric {metric}, norms {norms.min():.3f}..{norms.max():.3f}")
