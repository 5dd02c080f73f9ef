#!/usr/bin/python3
"""How far scikit-learn 1.2.1 itself moves the study's reported numbers when only the luck changes.

The study ran LogisticRegression without random_state, on the Kaggle CSV copy of Fashion-MNIST (same 60 000 / 10 000
images, different row order). So its numbers are one draw among many. For seed s = 0..4 this script permutes the
training rows with numpy RandomState(s) (s = 0: file order, no permutation) and fits with random_state=s — a new SAGA
sample sequence and, through the row order, new StratifiedKFold folds — and records every number the study reports:

  pixels x/255   saga max_iter=3    train, test, 5-fold CV mean
  HOG (o=8)      saga max_iter=100  train, test, 6-fold CV mean
  PCA-40         saga max_iter=100  train, test, 6-fold CV mean   (StandardScaler -> PCA(40, random_state=0))
  PCA-40 + HOG   saga max_iter=300  train, test                    (CV of 6 x 300 epochs per seed is too slow here)

The report test's tolerances come from the spread in spread.json (see StudyNumbersTests). The result is written after
every seed (atomically), and seeds already in spread.json are skipped, so a partial run is still usable and resumable: the committed spread.json holds seeds 0-9 (run 2026-11-25 in several
resumed pieces; on the shared, overloaded 2-core host each seed took over 20 minutes, the PCA+HOG fit alone 6-22 minutes).
Run: /usr/bin/python3 Engine.Tests/Golden/report/make_study_spread.py [SEEDS]   (about 5 minutes per seed on 2 shared cores)
"""
import gzip
import json
import os
import sys
import time
import warnings

import numpy as np
from skimage.feature import hog
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = "/usr/share/datasets/fashion-mnist"
warnings.simplefilter("ignore")


def load_idx(path):
    with gzip.open(path, "rb") as fh:
        data = fh.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    img_tr = load_idx(f"{ROOT}/train-images-idx3-ubyte.gz")
    img_te = load_idx(f"{ROOT}/t10k-images-idx3-ubyte.gz")
    y_tr = load_idx(f"{ROOT}/train-labels-idx1-ubyte.gz").astype(np.int64)
    y_te = load_idx(f"{ROOT}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    px_tr = (img_tr.reshape(60000, 784).astype(np.float32) / np.float32(255)).astype(np.float64)
    px_te = (img_te.reshape(10000, 784).astype(np.float32) / np.float32(255)).astype(np.float64)
    hog_tr = np.array([hog(im, orientations=8) for im in img_tr])
    hog_te = np.array([hog(im, orientations=8) for im in img_te])
    scaler = StandardScaler().fit(img_tr.reshape(60000, 784).astype(np.float64))
    pca = PCA(40, random_state=0).fit(scaler.transform(img_tr.reshape(60000, 784).astype(np.float64)))
    pca_tr = pca.transform(scaler.transform(img_tr.reshape(60000, 784).astype(np.float64)))
    pca_te = pca.transform(scaler.transform(img_te.reshape(10000, 784).astype(np.float64)))
    mix_tr, mix_te = np.hstack([pca_tr, hog_tr]), np.hstack([pca_te, hog_te])
    path = os.path.join(HERE, "spread.json")
    # Resume: seeds already in spread.json are kept, not refitted (each seed costs minutes).
    runs = json.load(open(path))["seeds"] if os.path.exists(path) else []
    done = {r["seed"] for r in runs}
    out = {"sklearn": "1.2.1", "seeds": runs}
    for s in range(seeds):
        if s in done:
            continue
        order = np.arange(60000) if s == 0 else np.random.RandomState(s).permutation(60000)
        y = y_tr[order]
        run = {"seed": s}
        for name, xa, xb, iters, folds in (("pixels", px_tr, px_te, 3, 5), ("hog", hog_tr, hog_te, 100, 6),
                                          ("pca", pca_tr, pca_te, 100, 6), ("mix", mix_tr, mix_te, 300, 0)):
            t = time.perf_counter()
            x = xa[order]
            model = LogisticRegression(solver="saga", max_iter=iters, random_state=s).fit(x, y)
            run[f"{name}_train"] = float(model.score(x, y))
            run[f"{name}_test"] = float(model.score(xb, y_te))
            run[f"{name}_n_iter"] = int(model.n_iter_[0])
            if folds:
                cv = cross_val_score(LogisticRegression(solver="saga", max_iter=iters, random_state=s), x, y, cv=folds)
                run[f"{name}_cv"] = float(cv.mean())
            print(s, name, {k: v for k, v in run.items() if k.startswith(name)}, f"{time.perf_counter() - t:.1f}s", flush=True)
        runs.append(run)
        with open(path + ".tmp", "w") as fh:
            json.dump(out, fh, indent=1)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
