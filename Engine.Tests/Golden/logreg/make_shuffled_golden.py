#!/usr/bin/python3
"""Regenerates shuffled.json: SAGA goldens for LogisticRegressionSampleOrder.Shuffled on real Fashion-MNIST.

    /usr/bin/python3 make_shuffled_golden.py [REFERENCE_DIR]   # default ../shared/reference from the repository root

scikit-learn has no shuffled order, so the fits come from the team's numpy re-implementation of sklearn 1.2.1's
sag_solver (saga_ref.py, which matches sklearn to ~1e-14 with sklearn's draws; checked again below), its sampler
replaced by the shuffled one: each run of n draws a Fisher-Yates shuffle of the previous permutation (starting from
0..n-1), i = n-1 down to 1, swapping i with j uniform in [0, i] drawn from the same xorshift32 stream by Lemire's
multiply-and-reject (m = x * (i + 1); reject while m mod 2^32 < 2^32 mod (i + 1); j = m >> 32).
Features are pixels/255 in float64, the first 2000 training images; predictions on the first 2000 test images.
SAG is left out: the engine rejects the shuffled order for it (it converges worse than with replacement there).
"""
import gzip
import json
import os
import sys
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REF = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "shared", "reference")
sys.path.insert(0, os.path.abspath(REF))
import saga_ref  # noqa: E402

from make_logreg_golden import coef_summary, images, labels  # noqa: E402


class ShuffledSampler:
    def __init__(self, seed):
        self.s = int(seed) & 0xFFFFFFFF
        self.order = None
        self.pos = 0

    def next_raw(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.s = s
        return s

    def below(self, r):
        m = self.next_raw() * r
        if (m & 0xFFFFFFFF) < r:
            threshold = (2 ** 32 - r) % r
            while (m & 0xFFFFFFFF) < threshold:
                m = self.next_raw() * r
        return m >> 32

    def next_index(self, n):
        if self.order is None:
            self.order = list(range(n))
            self.pos = n
        if self.pos == n:
            o = self.order
            for i in range(n - 1, 0, -1):
                j = self.below(i + 1)
                o[i], o[j] = o[j], o[i]
            self.pos = 0
        v = self.order[self.pos]
        self.pos += 1
        return v


def predict(coef, intercept, X, multinomial):
    z = X @ coef.T + intercept
    if multinomial:
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
    else:
        s = 1.0 / (1.0 + np.exp(-z))
        p = s / s.sum(axis=1, keepdims=True)
    return z.argmax(axis=1), p


def main():
    n = 2000
    X = images("train-images-idx3-ubyte.gz")[:n] / 255.0
    y = labels("train-labels-idx1-ubyte.gz")[:n]
    Xt = images("t10k-images-idx3-ubyte.gz")[:2000] / 255.0

    # The reference with sklearn's own sampler against sklearn, once, so a drifted reference is noticed here.
    from sklearn.linear_model import LogisticRegression
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = LogisticRegression(solver="saga", max_iter=2, tol=1e-12, random_state=7).fit(X, y)
    coef, _, _ = saga_ref.logreg_sag_ref(X, y, solver="saga", max_iter=2, tol=1e-12, random_state=7)
    gap = float(np.abs(coef - sk.coef_).max())
    print("reference vs sklearn, saga 2 epochs:", gap)
    assert gap < 1e-12, gap

    saga_ref.XorShiftSampler = ShuffledSampler
    draws = []
    for rs, count in ((0, 10), (7, 2000)):
        s = ShuffledSampler(saga_ref.sag_seed_from_random_state(rs))
        draws.append({"random_state": rs, "n": count, "draws": [s.next_index(count) for _ in range(3 * count)]})
    # A long stream: at n = 60 000 Lemire's rejection (2^32 mod (i + 1) < 60 000, so rare) first fires in epoch 11 for
    # seed 0; every later draw depends on it. FNV-1a (64-bit) over the draws, and the last 64.
    s = ShuffledSampler(saga_ref.sag_seed_from_random_state(0))
    h, tail = 0xCBF29CE484222325, []
    for _ in range(13 * 60000):
        v = s.next_index(60000)
        h = ((h ^ v) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
        tail = (tail + [v])[-64:]
    long_stream = {"random_state": 0, "n": 60000, "epochs": 13, "fnv1a64": str(h), "tail": tail}

    cases = [
        dict(solver="saga", multi_class="multinomial", max_iter=3, tol=1e-12, random_state=0),
        dict(solver="saga", multi_class="ovr", max_iter=2, tol=1e-12, random_state=7),
        dict(solver="saga", penalty="l1", multi_class="multinomial", max_iter=3, tol=1e-12, C=0.05, random_state=0),
        dict(solver="saga", multi_class="multinomial", max_iter=100, tol=1e-2, C=10.0, random_state=0),
        dict(solver="saga", multi_class="ovr", max_iter=100, tol=2e-2, random_state=3),
    ]
    out = []
    for kw in cases:
        coef, intercept, n_iter = saga_ref.logreg_sag_ref(X, y, **kw)
        pred, proba = predict(coef, intercept, Xt, kw["multi_class"] == "multinomial")
        out.append({
            "params": dict(kw, sample_order="shuffled"),
            "subset": "first_2000",
            "n_iter": [int(v) for v in n_iter],
            "intercept": [float(v) for v in intercept],
            "coef": coef_summary(coef),
            "test_pred": "".join(str(int(v)) for v in pred),
            "test_proba_row0": [float(v) for v in proba[0]],
        })
        print(kw, n_iter)
    with open(os.path.join(HERE, "shuffled.json"), "w") as f:
        json.dump({"draws": draws, "long_stream": long_stream, "cases": out}, f)


if __name__ == "__main__":
    main()
