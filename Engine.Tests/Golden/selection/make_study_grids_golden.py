#!/usr/bin/python3
"""sklearn 1.2.1 cv_results_ of the study's two grid searches on the real train pixels (x/255 as one float32 division,
handed to sklearn as float64), for the grid-search test to add once the logistic regression is merged:

  grid 1: LogisticRegression(max_iter=1, random_state=0), {'C': [0.1, 10, 100], 'solver': ['newton-cg', 'saga']}, cv=3
  grid 2: LogisticRegression(solver='saga', max_iter=1, random_state=0), {'C': [0.1, 10, 100], 'multi_class': ['multinomial', 'ovr']}, cv=3

The C values are this script's assumption (the study's tables name C=0.1/10/100); candidates differ by < 0.001 at
max_iter=1, so the spread across random_state 0..4 is recorded too (saga grids only).
Run: /usr/bin/python3 Engine.Tests/Golden/selection/make_study_grids_golden.py   (about 5-10 minutes on 2 cores)
"""
import gzip
import json
import os
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = "/usr/share/datasets/fashion-mnist"
warnings.simplefilter("ignore")


def load_idx(path):
    with gzip.open(path, "rb") as fh:
        data = fh.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def table(gs):
    r = gs.cv_results_
    return {"params": [{k: v for k, v in p.items()} for p in r["params"]],
            "split_scores": [[float(r[f"split{f}_test_score"][i]) for f in range(3)] for i in range(len(r["params"]))],
            "mean_test_score": [float(v) for v in r["mean_test_score"]],
            "std_test_score": [float(v) for v in r["std_test_score"]],
            "rank_test_score": [int(v) for v in r["rank_test_score"]],
            "mean_fit_time": [float(v) for v in r["mean_fit_time"]],
            "best_index": int(gs.best_index_)}


def main():
    x = (load_idx(f"{ROOT}/train-images-idx3-ubyte.gz").reshape(60000, 784).astype(np.float32) / np.float32(255)).astype(np.float64)
    y = load_idx(f"{ROOT}/train-labels-idx1-ubyte.gz").astype(np.int64)
    out = {}
    g1 = GridSearchCV(LogisticRegression(max_iter=1, random_state=0), {"C": [0.1, 10, 100], "solver": ["newton-cg", "saga"]}, cv=3, refit=False)
    out["solver_grid"] = table(g1.fit(x, y))
    g2 = GridSearchCV(LogisticRegression(solver="saga", max_iter=1, random_state=0), {"C": [0.1, 10, 100], "multi_class": ["multinomial", "ovr"]}, cv=3, refit=False)
    out["multiclass_grid"] = table(g2.fit(x, y))
    spread = []
    for seed in range(1, 5):
        g = GridSearchCV(LogisticRegression(solver="saga", max_iter=1, random_state=seed), {"C": [0.1, 10, 100]}, cv=3, refit=False).fit(x, y)
        spread.append({"random_state": seed, "mean_test_score": [float(v) for v in g.cv_results_["mean_test_score"]], "best_index": int(g.best_index_)})
    out["saga_seed_spread"] = spread
    with open(os.path.join(HERE, "study_grids.json"), "w") as fh:
        json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
