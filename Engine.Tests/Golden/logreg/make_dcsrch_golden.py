"""Goldens for MoreThuenteSearch: the steps MINPACK-2's dcsrch (scipy 1.10.1's minpack2 wrapper, the search in
L-BFGS-B and line_search_wolfe1) asks for on one-dimensional functions, with the parameter sets scipy uses.

Run with /usr/bin/python3 (Debian scipy 1.10.1): python3 make_dcsrch_golden.py > dcsrch.json
"""
import json
import warnings
import numpy as np

warnings.simplefilter("ignore", DeprecationWarning)
import scipy
from scipy.optimize import minpack2

assert scipy.__version__ == "1.10.1", scipy.__version__

# The values fed to dcsrch are stored, so the test replays them without re-evaluating the functions.
# phi(a) and phi'(a): the test functions of More & Thuente (1994) §5 and logistic-loss-like ones.
def mt1(a, b=2.0):
    return -a / (a * a + b), (a * a - b) / (a * a + b) ** 2
def mt2(a, b=0.004):
    return (a + b) ** 5 - 2 * (a + b) ** 4, 5 * (a + b) ** 4 - 8 * (a + b) ** 3
def mt3(a, b=0.01, l=39.0):
    c = 2 * (1 - b) / (l * np.pi)
    phi0 = np.where(a <= 1 - b, 1 - a, np.where(a >= 1 + b, a - 1, (a - 1) ** 2 / (2 * b) + b / 2))
    dphi0 = np.where(a <= 1 - b, -1.0, np.where(a >= 1 + b, 1.0, (a - 1) / b))
    return float(phi0 + c * np.sin(l * np.pi / 2 * a)), float(dphi0 + c * l * np.pi / 2 * np.cos(l * np.pi / 2 * a))
def logistic(a, z0=np.array([0.3, -1.2, 2.0, -0.4]), dz=np.array([-2.5, 1.5, -3.0, 0.7]), reg=0.05):
    z = z0 + a * dz
    f = float(np.sum(np.logaddexp(0, -z)) + reg * a * a)
    g = float(np.sum(-dz / (1 + np.exp(np.minimum(z, 700)))) + 2 * reg * a)
    return f, g
def quadratic(a):
    return (a - 3.7) ** 2 - 13.69, 2 * (a - 3.7)
def flat_then_steep(a):
    e = np.exp(min(4 * (a - 2), 700))
    return float(e - a), float(4 * e - 1)

functions = {"mt1": mt1, "mt2": mt2, "mt3": mt3, "logistic": logistic, "quadratic": quadratic, "flat_then_steep": flat_then_steep}
# (ftol, gtol, xtol, stpmin, stpmax): L-BFGS-B's lnsrlb, scipy's line_search_wolfe1 defaults, Moré–Thuente's tables.
params = {"lbfgsb": (1e-3, 0.9, 0.1, 0.0, 1e10), "wolfe1": (1e-4, 0.9, 1e-14, 1e-8, 50.0),
          "mt_a": (1e-3, 0.1, 1e-10, 0.0, 1e10), "mt_b": (0.1, 0.1, 1e-10, 0.0, 1e10), "mt_c": (1e-3, 1e-3, 1e-10, 0.0, 1e10)}
cases = []
for fname, fn in functions.items():
    for pname, (ftol, gtol, xtol, stpmin, stpmax) in params.items():
        for stp0 in [1e-3, 1e-1, 1.0, 10.0, 1e3]:
            f0, g0 = fn(0.0)
            if g0 >= 0 or stp0 < stpmin or stp0 > stpmax:
                continue
            isave = np.zeros(2, np.intc)
            dsave = np.zeros(13, float)
            task = b"START"
            stp, f, g = stp0, f0, g0
            steps, tasks, fed = [], [], []
            for _ in range(40):
                stp, f, g, task = minpack2.dcsrch(stp, f, g, ftol, gtol, xtol, task, stpmin, stpmax, isave, dsave)
                steps.append(float(stp))
                tasks.append(task.decode().strip())
                if task[:2] != b"FG":
                    break
                f, g = fn(stp)
                fed.append([float(f), float(g)])
            cases.append({"function": fname, "params": pname, "ftol": ftol, "gtol": gtol, "xtol": xtol, "stpmin": stpmin,
                          "stpmax": stpmax, "stp0": stp0, "f0": float(f0), "g0": float(g0),
                          "fed": fed, "steps": steps, "tasks": tasks})
print(json.dumps({"scipy": scipy.__version__, "cases": cases}))
