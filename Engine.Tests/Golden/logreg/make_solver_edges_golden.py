"""Goldens for lbfgs and newton-cg on small ill-conditioned problems where the line search decides where the run
ends (found by review): rows offset far from 0 with no penalty (lbfgs), sparse rows with C=100 (newton-cg, OvR), and
tiny rows where newton-cg's direction is zero and only its fallback line search (line_search_wolfe2) finds a step.
sklearn 1.2.1's objective (sum over samples + ‖W‖²/2C), n_iter_ and predictions on the training rows.

Run with /usr/bin/python3 (Debian sklearn 1.2.1, scipy 1.10.1): python3 make_solver_edges_golden.py > solver_edges.json
sklearn's results move in the last bits between machines (OpenBLAS picks its kernels by CPU): rerun on a Zen 4 VM (2026-11-29), the
first three cases came out 2.3e-8 (lbfgs, 131 iterations instead of 132), 1e-14 and 1e-13 relative away from the file,
which keeps them as first made; the two zero-direction cases were added from that run.
"""
import json
import warnings
import numpy as np
import sklearn
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression

assert sklearn.__version__ == "1.2.1", sklearn.__version__
warnings.simplefilter("ignore")


def objective(m, X, y, C):
    z = m.decision_function(X)
    reg = 0.0 if C is None else float((m.coef_ ** 2).sum()) / (2 * C)
    if z.ndim == 1:
        t = (y == m.classes_[1]).astype(float)
        return float(np.sum(np.logaddexp(0, z) - t * z)) + reg
    if m.multi_class == "multinomial" or (m.multi_class == "auto" and len(m.classes_) > 2):
        return float(np.sum(logsumexp(z, axis=1) - z[np.arange(len(y)), np.searchsorted(m.classes_, y)])) + reg
    t = (y[:, None] == m.classes_[None, :]).astype(float)
    return float(np.sum(np.logaddexp(0, z) - t * z)) + reg


cases = []


def add(name, X, y, params):
    p = dict(params)
    m = LogisticRegression(**p).fit(X, y)
    C = None if p.get("penalty") == "none" else p.get("C", 1.0)
    cases.append({"name": name, "params": params, "rows": X.shape[0], "columns": X.shape[1],
                  "x": [float(v) for v in X.ravel()], "y": [int(v) for v in y],
                  "objective": objective(m, X, y, C), "n_iter": [int(v) for v in m.n_iter_],
                  "train_pred": "".join(str(int(v)) for v in m.predict(X))})


rng = np.random.default_rng(3)
X = rng.normal(size=(200, 5)) - 5
y = rng.integers(0, 5, 200)
add("lbfgs_offset_rows", X, y, {"solver": "lbfgs", "penalty": "none", "multi_class": "multinomial", "max_iter": 2000, "tol": 1e-6})

rng = np.random.default_rng(13)
X = rng.normal(size=(30, 65)) * 5 * (rng.random((30, 65)) < 0.3)
y = np.arange(30) % 4
rng.shuffle(y)
add("newton_cg_sparse_ovr", X, y, {"solver": "newton-cg", "multi_class": "ovr", "penalty": "l2", "max_iter": 1000, "tol": 1e-4, "C": 100.0})
add("newton_cg_sparse_multinomial", X, y, {"solver": "newton-cg", "multi_class": "multinomial", "penalty": "l2", "max_iter": 1000, "tol": 1e-4, "C": 100.0})
# Rows of size ~1e-9 and no intercept: the Hessian's curvature along −∇F is below sklearn's 3·eps, so CG returns a zero
# direction; scipy's Moré–Thuente search rejects it (its slope is not negative) and line_search_wolfe2 takes the step 1,
# which changes nothing: every iteration alike, up to max_iter.
rng = np.random.default_rng(5)
X = rng.normal(size=(50, 4)) * 1e-9
y = rng.integers(0, 3, 50)
add("newton_cg_zero_direction_multinomial", X, y, {"solver": "newton-cg", "multi_class": "multinomial", "fit_intercept": False, "max_iter": 7, "tol": 1e-12})
add("newton_cg_zero_direction_ovr", X, y, {"solver": "newton-cg", "multi_class": "ovr", "fit_intercept": False, "max_iter": 7, "tol": 1e-12})
print(json.dumps({"sklearn": sklearn.__version__, "cases": cases}))
