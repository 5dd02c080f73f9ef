#!/usr/bin/python3
"""Regenerates selection_golden.json for Engine.Tests (Selection/Metrics) with the Debian scikit-learn 1.2.1.

Run: /usr/bin/python3 Engine.Tests/Golden/selection/make_selection_golden.py
(skf_folds.json next to it is a copy of ../shared/golden/skf_folds.json: StratifiedKFold(k) on the real train labels.)

Contents:
* metrics: classification_report / precision_recall_fscore_support / confusion_matrix on a fixed prediction
  vector (class 7 is never predicted -> precision 0/0; label 11 is predicted but never true -> recall 0/0).
* numpy: RandomState(seed).shuffle(arange(n)) (legacy Fisher-Yates stream used by sklearn's shuffled splitters).
* folds: StratifiedKFold(shuffle=True, random_state=s) and KFold(shuffle=False/True) on synthetic labels.
* grid: GridSearchCV(Pipeline([scaler, nearest centroid]), cv=3) cv_results_ on a synthetic float32 data set.
* real: on the real Fashion-MNIST train set, cross_val_score(Pipeline([x/255, NearestCentroid()]), cv=3) and the
  classification_report of that pipeline fitted on train and evaluated on test.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.metrics import classification_report, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, cross_val_score
from sklearn.neighbors import NearestCentroid
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
warnings.simplefilter("ignore")


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def metrics_case(y_true, y_pred, target_names=None):
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, average=None)
    case = {
        "y_true": [int(v) for v in y_true],
        "y_pred": [int(v) for v in y_pred],
        "labels": [int(v) for v in np.union1d(y_true, y_pred)],
        "precision": floats(p), "recall": floats(r), "f1": floats(f), "support": [int(v) for v in s],
        "confusion": [int(v) for v in confusion_matrix(y_true, y_pred).ravel()],
        "report2": classification_report(y_true, y_pred),
        "report4": classification_report(y_true, y_pred, digits=4),
    }
    for avg in ("micro", "macro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(y_true, y_pred, average=avg)
        case[avg] = floats([ap, ar, af])
    if target_names is not None:
        case["target_names"] = target_names
        case["report_named"] = classification_report(y_true, y_pred, target_names=target_names, digits=3)
    return case


def make_metrics():
    rng = np.random.RandomState(0)
    n = 600
    y_true = rng.randint(0, 10, size=n)
    y_pred = y_true.copy()
    flip = rng.rand(n) < 0.3
    y_pred[flip] = rng.randint(0, 10, size=int(flip.sum()))
    y_pred[y_pred == 7] = 11  # class 7 never predicted; 11 never true
    names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
             "Ankle boot"]
    y2 = rng.randint(0, 10, size=200)
    p2 = np.where(rng.rand(200) < 0.2, rng.randint(0, 10, size=200), y2)
    small_t = np.array([3, 3, 1, 1, 1, 2])
    small_p = np.array([3, 1, 1, 1, 2, 2])
    return {"noisy": metrics_case(y_true, y_pred), "named": metrics_case(y2, p2, names),
            "small": metrics_case(small_t, small_p)}


def make_numpy():
    out = []
    for seed, n in ((0, 10), (1, 1), (42, 1000), (12345, 70000)):
        x = np.arange(n)
        np.random.RandomState(seed).shuffle(x)
        out.append({"seed": seed, "n": n, "shuffled": [int(v) for v in x]} if n <= 1000 else
                   {"seed": seed, "n": n, "first": [int(v) for v in x[:50]], "last": [int(v) for v in x[-50:]],
                    "sum_i_times_x": int(np.sum(np.arange(n, dtype=np.int64) * x))})
    return out


def folds_of(splitter, y):
    fold = np.full(len(y), -1)
    for f, (_, te) in enumerate(splitter.split(np.zeros((len(y), 1)), y)):
        fold[te] = f
    return [int(v) for v in fold]


def make_folds():
    rng = np.random.RandomState(7)
    y = rng.choice(np.array([7, 3, 11, 0]), size=97, p=[0.4, 0.3, 0.2, 0.1])
    cases = []
    for k in (3, 4):
        for seed in (0, 1, 12345):
            cases.append({"kind": "stratified", "k": k, "seed": seed,
                          "folds": folds_of(StratifiedKFold(k, shuffle=True, random_state=seed), y)})
        cases.append({"kind": "stratified", "k": k, "seed": None, "folds": folds_of(StratifiedKFold(k), y)})
    for k in (3, 5):
        cases.append({"kind": "kfold", "k": k, "seed": None, "folds": folds_of(KFold(k), y)})
        cases.append({"kind": "kfold", "k": k, "seed": 3, "folds": folds_of(KFold(k, shuffle=True, random_state=3), y)})
    return {"y": [int(v) for v in y], "cases": cases}


class Scaler32(StandardScaler):
    """StandardScaler whose output is rounded once to float32 (and handed on as float64), as FashionCore's scaler
    computes (x - mean) / scale in double and stores float; the nearest centroid then sees exactly the same values."""

    def transform(self, X, copy=None):
        return super().transform(X, copy=copy).astype(np.float32).astype(np.float64)


def make_grid():
    rng = np.random.RandomState(3)
    n, d = 240, 5
    y = rng.choice(np.array([2, 0, 5]), size=n)
    centers = {0: [0, 1, 0, 2, 0], 2: [1, 0, 1, 0, 3], 5: [0, 0, 2, 1, 1]}
    x = np.array([centers[c] for c in y], dtype=np.float64) * 1.2 + rng.normal(size=(n, d)) * [1, 2, 1, 3, 10]
    x = x.astype(np.float32).astype(np.float64)  # float32 values, float64 arithmetic in sklearn
    pipe = Pipeline([("scaler", Scaler32()), ("nc", NearestCentroid())])
    grid = {"nc__shrink_threshold": [None, 0.5, 1e-9, 2.0], "scaler__with_std": [True, False]}
    gs = GridSearchCV(pipe, grid, cv=3).fit(x, y)
    res = gs.cv_results_
    cands = []
    for i, params in enumerate(res["params"]):
        cands.append({"shrink_threshold": params["nc__shrink_threshold"], "with_std": params["scaler__with_std"],
                      "split_scores": floats([res[f"split{f}_test_score"][i] for f in range(3)]),
                      "mean": float(res["mean_test_score"][i]), "std": float(res["std_test_score"][i]),
                      "rank": int(res["rank_test_score"][i])})
    cv5 = cross_val_score(Pipeline([("scaler", Scaler32()), ("nc", NearestCentroid(shrink_threshold=0.5))]), x, y, cv=5)
    return {"x": floats(x), "n": n, "d": d, "y": [int(v) for v in y], "candidates": cands,
            "best_index": int(gs.best_index_), "best_score": float(gs.best_score_),
            "refit_centroids": floats(gs.best_estimator_[-1].centroids_),
            "refit_predict_first20": [int(v) for v in gs.predict(x[:20])],
            "cv5_shrink05": floats(cv5)}


def load_idx(path):
    import gzip
    with gzip.open(path, "rb") as fh:
        data = fh.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class Div255(BaseEstimator, TransformerMixin):
    """x/255 as FashionCore's PixelScaler computes it (one float32 division), handed on as float64."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return (np.asarray(X, dtype=np.float32) / np.float32(255)).astype(np.float64)


def make_real():
    root = "/usr/share/datasets/fashion-mnist"
    xtr = load_idx(f"{root}/train-images-idx3-ubyte.gz").reshape(60000, 784)
    ytr = load_idx(f"{root}/train-labels-idx1-ubyte.gz").astype(np.int64)
    xte = load_idx(f"{root}/t10k-images-idx3-ubyte.gz").reshape(10000, 784)
    yte = load_idx(f"{root}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    pipe = Pipeline([("pixels", Div255()), ("nc", NearestCentroid())])
    cv3 = cross_val_score(pipe, xtr, ytr, cv=3)
    pred = pipe.fit(xtr, ytr).predict(xte)
    names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    return {"pipeline": "x/255 (float32) -> NearestCentroid()", "cv3_scores": floats(cv3),
            "test_report": classification_report(yte, pred, target_names=names),
            "test_confusion": [int(v) for v in confusion_matrix(yte, pred).ravel()]}


def main():
    out = {"description": "see make_selection_golden.py", "versions": {"sklearn": sklearn.__version__,
                                                                       "numpy": np.__version__},
           "metrics": make_metrics(), "numpy_shuffle": make_numpy(), "folds": make_folds(), "grid": make_grid(), "real": make_real()}
    with open(os.path.join(HERE, "selection_golden.json"), "w") as fh:
        json.dump(out, fh, separators=(",", ":"))


if __name__ == "__main__":
    main()
