"""Goldens for scipy 1.10.1's line_search_wolfe2 internals, the newton-cg fallback (WolfeZoomSearch):
scalar_search_wolfe2 on quartic and other 1-D functions (every phi/derphi call in order, and the result), and
_cubicmin/_quadmin on random, degenerate and pow-sensitive inputs (numpy's errstate turns raises into None).

The functions use only +, -, * and / in a fixed order, so that C# evaluates them to the same bits.
Run with /usr/bin/python3 (Debian scipy 1.10.1, numpy with OpenBLAS): python3 make_wolfe2_golden.py > wolfe2.json
"""
import json
import warnings

import numpy as np
import scipy
from scipy.optimize import _linesearch as ls

assert scipy.__version__ == "1.10.1", scipy.__version__
warnings.simplefilter("ignore")


def quartic(c):
    def phi(a):
        return (((c[4] * a + c[3]) * a + c[2]) * a + c[1]) * a + c[0]

    def derphi(a):
        return ((4.0 * c[4] * a + 3.0 * c[3]) * a + 2.0 * c[2]) * a + c[1]

    return phi, derphi


def flat(level, slope0, slope):
    # A plateau: φ never changes, φ'(0) = slope0 and φ' = slope elsewhere (the rounding floor of a stalled Newton run).
    return (lambda a: level), (lambda a: slope0 if a == 0.0 else slope)


def rational(s):
    # φ(α) = s·α/(1 + α²)·(−1) + α²/100: a dip then a slow rise, far from any polynomial the cubic step fits.
    def phi(a):
        return -s * a / (1.0 + a * a) + a * a / 100.0

    def derphi(a):
        q = 1.0 + a * a
        return -s * (1.0 - a * a) / (q * q) + a / 50.0

    return phi, derphi


def run(kind, params, phi0_override=None, previous=None):
    phi, derphi = quartic(params) if kind == "quartic" else flat(*params) if kind == "flat" else rational(*params)
    calls = []

    def p(a):
        a = float(a)
        calls.append(["phi", a])
        return phi(a)

    def d(a):
        a = float(a)
        calls.append(["derphi", a])
        return derphi(a)

    phi0 = phi(0.0) if phi0_override is None else phi0_override
    derphi0 = derphi(0.0)
    alpha, value, _, _ = ls.scalar_search_wolfe2(p, d, phi0, previous, derphi0)
    return {"kind": kind, "params": [float(v) for v in params], "phi0": float(phi0), "derphi0": float(derphi0),
            "previous": None if previous is None else float(previous), "calls": calls,
            "alpha": None if alpha is None else float(alpha), "value": None if alpha is None else float(value)}


cases = []
rng = np.random.default_rng(20261129)
for _ in range(300):
    c = rng.normal(size=5) * np.exp(rng.normal(size=5))
    c[1] = -abs(c[1])          # a descent direction
    c[4] = abs(c[4]) + 1e-3    # bounded below
    previous = None if rng.random() < 0.5 else float(c[0] + abs(rng.normal()) * np.exp(rng.normal() * 2))
    cases.append(run("quartic", c, previous=previous))
for target in (2.0, 10.0, 100.0, 1e4):
    cases.append(run("quartic", [target * target, -2.0 * target, 1.0, 0.0, 1e-9]))
cases.append(run("quartic", [0.0, -1.0, 0.0, 0.0, 1e-12]))           # nearly linear: out of doublings
cases.append(run("flat", [0.0625, -1e-17, -1e-18]))                # accepted at once (the stall)
cases.append(run("flat", [0.0625, -1e-3, -1e-3]))                  # no Wolfe point: zoom gives up
cases.append(run("flat", [0.0625, -1e-17, -1e-18], previous=0.0625))  # previous = current: step 0, rounding errors
for s in (0.5, 3.0, 50.0):
    cases.append(run("rational", [s]))
    cases.append(run("rational", [s], previous=0.01))

mins = []
for _ in range(400):
    a, b, c = rng.normal(size=3) * np.exp(rng.normal(size=3) * 3)
    fa, fpa, fb, fc = rng.normal(size=4) * np.exp(rng.normal(size=4) * 3)
    mins.append({"args": [float(v) for v in (a, fa, fpa, b, fb, c, fc)],
                 "cubic": ls._cubicmin(a, fa, fpa, b, fb, c, fc), "quad": ls._quadmin(a, fa, fpa, b, fb)})
# Degenerate and extreme inputs: b = a, c = b, everything flat, steps whose products underflow or overflow, a curve
# that bends the other way.
degenerate = [(1.0, 2.0, -1.0, 1.0, 2.0, 3.0, 1.0),
              (1.0, 2.0, -1.0, 3.0, 1.0, 3.0, 1.0),
              (0.0, 0.0, 0.0, 1.0, 0.0, 2.0, 0.0),
              (0.0, 1.0, -1.0, 1e-200, 1.0, 2e-200, 1.0),
              (0.0, 1.0, -1.0, 1e200, 3.0, 2e200, 5.0),
              (0.0, 1.0, -1.0, 1.0, 5.0, 2.0, 20.0),
              (0.0, 1.0, 1.0, 1.0, 0.0, 2.0, 4.0)]

# Inputs where scipy's squares (libm pow, ~0.08% of doubles not the rounded x·x) change the cubic's result: found by
# comparing _cubicmin with a replica that squares by multiplication.
def cubic_by_multiplication(a, fa, fpa, b, fb, c, fc):
    from fractions import Fraction as F

    def fma(x, y, z):
        return float(F(x) * F(y) + F(z))

    with np.errstate(all="ignore"):
        db, dc = b - a, c - a
        denom = (db * dc) * (db * dc) * (db - dc)
        v0, v1 = fb - fa - fpa * db, fc - fa - fpa * dc
        A = fma(dc * dc, v0, -(db * db) * v1) / denom
        B = fma(-dc ** 3, v0, db ** 3 * v1) / denom
        return a + (-B + np.sqrt(B * B - 3 * A * fpa)) / (3 * A)


squares = [(0.0, 1.0, -0.640952116311148, 0.7581975265586192, 0.9424393450067834, 1.0, 1.1102897576211466)]
while len(squares) < 8:
    a, b, c = rng.normal(size=3) * np.exp(rng.normal(size=3) * 3)
    fa, fpa, fb, fc = rng.normal(size=4) * np.exp(rng.normal(size=4) * 3)
    args = tuple(float(v) for v in (a, fa, fpa, b, fb, c, fc))
    want = ls._cubicmin(*args)
    if want is not None and np.isfinite(want) and cubic_by_multiplication(*args) != want:
        squares.append(args)
degenerate += squares
for args in degenerate:
    mins.append({"args": [float(v) for v in args], "cubic": ls._cubicmin(*args), "quad": ls._quadmin(*args[:5])})
for m in mins:
    for k in ("cubic", "quad"):
        m[k] = None if m[k] is None else float(m[k])

print(json.dumps({"scipy": scipy.__version__, "searches": cases, "minimizers": mins}))
