#!/usr/bin/python3
"""Peer of Bench/SelectionBench.cs: scikit-learn's model-selection overhead on the 60000x784 train pixels with a
classifier that does no work (DummyClassifier), median seconds of REPS runs, as JSON.

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 Bench/peer/selection_overhead_sklearn.py [REPS]
"""
import gzip
import json
import sys
import time

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.metrics import classification_report
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate

ROOT = "/usr/share/datasets/fashion-mnist"


def load_idx(path):
    with gzip.open(path, "rb") as fh:
        data = fh.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def median_time(fn, reps):
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    x = load_idx(f"{ROOT}/train-images-idx3-ubyte.gz").reshape(60000, 784).astype(np.float32)
    y = load_idx(f"{ROOT}/train-labels-idx1-ubyte.gz").astype(np.int64)
    pred = np.where(np.arange(60000) % 7 == 0, (y + 1) % 10, y)
    # 6 candidates x 3 folds like the study's grids; DummyClassifier(constant) does no work.
    grid = {"constant": [0, 1], "random_state": [0, 1, 2]}
    out = {}
    for jobs in (1, 2):
        out[f"grid6x3_jobs{jobs}"] = median_time(
            lambda: GridSearchCV(DummyClassifier(strategy="constant"), grid, cv=3, n_jobs=jobs).fit(x, y), reps)
        out[f"cv5_jobs{jobs}"] = median_time(
            lambda: cross_validate(DummyClassifier(strategy="constant", constant=0), x, y, cv=5, n_jobs=jobs), reps)
    out["stratified_split5"] = median_time(lambda: list(StratifiedKFold(5).split(x, y)), reps)
    out["report_text_60k"] = median_time(lambda: classification_report(y, pred), reps)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
