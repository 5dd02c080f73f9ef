#!/usr/bin/python3
"""Regenerates pca_subsets.json: scikit-learn 1.2.1 PCA(svd_solver='full') goldens on small real subsets.

Run: /usr/bin/python3 Engine.Tests/Golden/pca/make_pca_subsets.py
Reads /usr/share/datasets/fashion-mnist/train-*.gz. pca40.json (the full-train-set golden) is a copy of
../shared/golden/pca40.json, made by ../shared/reference/make_golden.py.

Cases (all on train pixels as float64, rows in file order):
- pca3_5class_std: the first 1000 rows with label 0..4 -> StandardScaler -> PCA(3) (the k-means 3-D view shape).
- pca5_whiten_std: the first 1000 rows -> StandardScaler -> PCA(5, whiten=True).
- pca_fraction_std: the first 1000 rows -> StandardScaler -> PCA(0.8) (variance-fraction selection).
- pca10_raw: the first 1000 rows, raw 0..255 pixels -> PCA(10) (no scaling: exercises the integer path).
"""
import gzip
import json
import os

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

DATA_DIR = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, offset, shape):
    with gzip.open(f"{DATA_DIR}/{name}", "rb") as f:
        raw = f.read()
    return np.frombuffer(raw[offset:], dtype=np.uint8).reshape(shape)


def fl(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def case(X, scale, **kw):
    Z = StandardScaler().fit_transform(X) if scale else X
    pca = PCA(svd_solver="full", **kw).fit(Z)
    T = pca.transform(Z[:5])
    return {
        "call": f"PCA(svd_solver='full', {', '.join(f'{k}={v!r}' for k, v in kw.items())})",
        "standardized": scale,
        "n_samples": int(X.shape[0]),
        "n_components_": int(pca.n_components_),
        "explained_variance_ratio_": fl(pca.explained_variance_ratio_),
        "explained_variance_": fl(pca.explained_variance_),
        "singular_values_": fl(pca.singular_values_),
        "mean_first10": fl(pca.mean_[:10]),
        "components_first10": [fl(c[:10]) for c in pca.components_],
        "transform_first5": [fl(r) for r in T],
        "inverse_transform_first2": [fl(r) for r in pca.inverse_transform(T[:2])],
    }


def main():
    X = load("train-images-idx3-ubyte.gz", 16, (60000, 784)).astype(np.float64)
    y = load("train-labels-idx1-ubyte.gz", 8, (60000,))
    rows5 = np.flatnonzero(y < 5)[:1000]
    X1000 = X[:1000]
    res = {
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "pca3_5class_std": dict(case(X[rows5], True, n_components=3), rows="first 1000 train rows with label < 5",
                                last_row=int(rows5[-1])),
        "pca5_whiten_std": dict(case(X1000, True, n_components=5, whiten=True), rows="train rows 0..999"),
        "pca_fraction_std": dict(case(X1000, True, n_components=0.8), rows="train rows 0..999"),
        "pca10_raw": dict(case(X1000, False, n_components=10), rows="train rows 0..999"),
    }
    path = os.path.join(HERE, "pca_subsets.json")
    with open(path, "w") as f:
        json.dump(res, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
