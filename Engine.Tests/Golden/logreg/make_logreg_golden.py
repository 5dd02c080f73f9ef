#!/usr/bin/python3
"""Regenerates logreg.json (LogisticRegression goldens) with the Debian scikit-learn 1.2.1 on real Fashion-MNIST.

    /usr/bin/python3 make_logreg_golden.py            # writes logreg.json next to this script

Features are pixels/255 in float64 (what the study feeds sklearn). Coefficients are stored as a fixed sample of
positions plus checksums (sum, sum|.|, max|.|) to keep the file small; predictions as digit strings.
"""
import gzip
import json
import os
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression

D = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist") + "/"
HERE = os.path.dirname(os.path.abspath(__file__))


def images(name):
    with gzip.open(D + name) as f:
        return np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)


def labels(name):
    with gzip.open(D + name) as f:
        return np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)


def coef_summary(coef):
    rows, d = coef.shape
    rs = np.random.RandomState(12345)
    pos = [(int(r), int(j)) for r, j in zip(rs.randint(0, rows, 64), rs.randint(0, d, 64))]
    return {
        "shape": [rows, d],
        "sample_positions": pos,
        "sample_values": [float(coef[r, j]) for r, j in pos],
        "sum": float(coef.sum()),
        "abs_sum": float(np.abs(coef).sum()),
        "max_abs": float(np.abs(coef).max()),
    }


def rng_golden():
    out = []
    for rs in (0, 1, 42, 12345, 2**32 - 1):
        r = np.random.RandomState(rs)
        raw = np.random.MT19937()
        raw._legacy_seeding(rs)
        entry = {
            "random_state": rs,
            "raw": [int(raw.random_raw()) for _ in range(5)],
            "randint_60000": [int(r.randint(60000)) for _ in range(5)],
            "randint_1_2pow31m1": int(r.randint(1, np.iinfo(np.int32).max)),
            "uniform": [float(u) for u in r.uniform(size=3)],
        }
        # sklearn's SAG seed and the first xorshift32 draws (sklearn.utils._random.our_rand_r semantics).
        seed = int(np.random.RandomState(rs).randint(1, np.iinfo(np.int32).max))
        s, draws = seed, []
        for _ in range(5):
            s ^= (s << 13) & 0xFFFFFFFF
            s ^= s >> 17
            s ^= (s << 5) & 0xFFFFFFFF
            draws.append((s % 0x80000000) % 60000)
        entry["sag_seed"] = seed
        entry["sag_first_indices_60000"] = draws
        out.append(entry)
    return out


def fit(X, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LogisticRegression(**kw).fit(X, y)


def objective(m, X, y, C):
    """sklearn 1.2.1's lbfgs/newton-cg objective at the fitted model: sum of losses + ||W||^2 / (2C)."""
    z = m.decision_function(X)
    if m.coef_.shape[0] > 1 and len(m.classes_) > 2 and m.get_params()["multi_class"] != "ovr":
        zmax = z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z - zmax).sum(axis=1)) + zmax[:, 0]
        idx = np.searchsorted(m.classes_, y)
        return float((lse - z[np.arange(len(y)), idx]).sum() + (m.coef_ ** 2).sum() / (2 * C))
    # OvR: one binary problem per class (classes_[1] only for two classes); report the sum of their objectives.
    if z.ndim == 1:
        z = z[:, None]
        positives = [m.classes_[1]]
    else:
        positives = list(m.classes_)
    total = 0.0
    for k, c in enumerate(positives):
        t = (y == c).astype(float)
        zz = z[:, k]
        total += float((np.logaddexp(0, zz) - t * zz).sum() + (m.coef_[k] ** 2).sum() / (2 * C))
    return total


def gradient_cases(X, y, Xt):
    out = []
    for kw in (dict(solver="lbfgs", multi_class="multinomial", max_iter=1000),
               dict(solver="newton-cg", multi_class="multinomial", max_iter=100),
               dict(solver="lbfgs", multi_class="ovr", max_iter=1000),
               dict(solver="newton-cg", multi_class="ovr", max_iter=100),
               dict(solver="newton-cg", multi_class="multinomial", max_iter=100, C=0.01)):
        C = kw.get("C", 1.0)
        m = fit(X[:1000], y[:1000], **kw)
        out.append({"params": kw, "rows": 1000, "n_iter": [int(v) for v in np.atleast_1d(m.n_iter_)],
                    "objective": objective(m, X[:1000], y[:1000], C),
                    "test_pred": "".join(str(int(v)) for v in m.predict(Xt))})
        print(kw, m.n_iter_, out[-1]["objective"])
    # The study's newton-cg max_iter=1 (one Newton step, first line-search step is 1).
    kw = dict(solver="newton-cg", multi_class="multinomial", max_iter=1)
    m = fit(X, y, **kw)
    out.append({"params": kw, "rows": 2000, "n_iter": [int(v) for v in m.n_iter_],
                "objective": objective(m, X, y, 1.0), "intercept": [float(v) for v in m.intercept_],
                "coef": coef_summary(m.coef_), "test_pred": "".join(str(int(v)) for v in m.predict(Xt))})
    print(kw, m.n_iter_, out[-1]["objective"], "test acc", (m.predict(Xt) == np.array(list(map(int, out[-1]["test_pred"])))).mean())
    return out


def main():
    Xtr = images("train-images-idx3-ubyte.gz")
    ytr = labels("train-labels-idx1-ubyte.gz")
    Xte = images("t10k-images-idx3-ubyte.gz")
    yte = labels("t10k-labels-idx1-ubyte.gz")
    n = 2000
    X = Xtr[:n] / 255.0
    y = ytr[:n]
    Xt = Xte[:2000] / 255.0
    cases = []
    for rs in (0, 7):
        for mc in ("multinomial", "ovr"):
            for solver, penalty, extra in (("saga", "l2", {}), ("sag", "l2", {}),
                                           ("saga", "l1", {"C": 0.05}),
                                           ("saga", "elasticnet", {"C": 0.05, "l1_ratio": 0.5})):
                kw = dict(solver=solver, penalty=penalty, multi_class=mc, random_state=rs,
                          max_iter=3 if mc == "multinomial" else 2, tol=1e-12, **extra)
                cases.append(kw)
    # Converging runs: n_iter_ decided by the stopping test.
    cases.append(dict(solver="saga", multi_class="multinomial", max_iter=100, tol=1e-2, C=10.0, random_state=0))
    cases.append(dict(solver="sag", multi_class="multinomial", max_iter=100, tol=1e-2, C=0.1, random_state=42))
    cases.append(dict(solver="saga", multi_class="ovr", max_iter=100, tol=2e-2, random_state=3))
    cases.append(dict(solver="saga", penalty="l1", multi_class="multinomial", max_iter=100, tol=1e-2, C=0.5, random_state=1))
    # Binary problem (auto -> ovr, one coefficient row) and binary multinomial (class-1 row of a 2-class softmax).
    two = np.isin(y, [0, 6])
    cases.append(dict(solver="saga", max_iter=5, tol=1e-12, random_state=0, subset="classes_0_6"))
    cases.append(dict(solver="saga", multi_class="multinomial", max_iter=5, tol=1e-12, random_state=0, subset="classes_0_6"))
    out_cases = []
    for kw in cases:
        kw = dict(kw)
        subset = kw.pop("subset", None)
        Xs, ys = (X[two], y[two]) if subset else (X, y)
        m = fit(Xs, ys, **kw)
        out_cases.append({
            "params": kw,
            "subset": subset or "first_2000",
            "n_iter": [int(v) for v in np.atleast_1d(m.n_iter_)],
            "intercept": [float(v) for v in m.intercept_],
            "coef": coef_summary(m.coef_),
            "test_pred": "".join(str(int(v)) for v in m.predict(Xt)),
            "test_proba_row0": [float(v) for v in m.predict_proba(Xt[:1])[0]],
        })
        print(kw, m.n_iter_)
    # The study's pixel run on all 60 000 training images.
    m = fit(Xtr / 255.0, ytr, solver="saga", max_iter=3, random_state=0)
    study = {
        "params": dict(solver="saga", max_iter=3, random_state=0),
        "n_iter": [int(v) for v in m.n_iter_],
        "intercept": [float(v) for v in m.intercept_],
        "coef": coef_summary(m.coef_),
        "train_accuracy": float(m.score(Xtr / 255.0, ytr)),
        "test_accuracy": float(m.score(Xte / 255.0, yte)),
        "test_pred": "".join(str(int(v)) for v in m.predict(Xte / 255.0)),
    }
    print("study", study["n_iter"], study["train_accuracy"], study["test_accuracy"])
    with open(os.path.join(HERE, "logreg.json"), "w") as f:
        json.dump({"rng": rng_golden(), "cases": out_cases, "study_saga3": study,
                   "gradient_solvers": gradient_cases(X, y, Xt)}, f)


if __name__ == "__main__":
    main()
