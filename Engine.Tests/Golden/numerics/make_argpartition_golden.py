"""Goldens for NumpyArgPartition: numpy 1.24.2's argpartition(v, -m) on float64 vectors, as sklearn 1.2.1's
_relocate_empty_clusters_dense calls it (the m farthest rows seed the m empty clusters, in the order
argpartition(...)[:-m-1:-1] gives). Vectors with many ties (small integers), distinct values, sorted and reversed
runs, and lengths from 1 to 300 (past numpy's median-of-medians fallback, which needs depth > 2·log2 n).

Run with /usr/bin/python3 (Debian numpy 1.24.2): python3 make_argpartition_golden.py > argpartition.json
"""
import json
import numpy as np

assert np.__version__ == "1.24.2", np.__version__
rng = np.random.RandomState(7)
cases = []


def add(values, m):
    values = np.asarray(values, dtype=np.float64)
    order = np.argpartition(values, -m)
    cases.append({"values": [float(v) for v in values], "m": int(m), "argpartition": [int(i) for i in order],
                  "far": [int(i) for i in order[:-m - 1:-1]]})


for n in list(range(1, 13)) + [16, 17, 31, 50, 64, 99, 128, 200, 300]:
    for m in sorted({1, 2, 3, min(4, n), n // 2 or 1, n}):
        if m > n:
            continue
        add(rng.randint(0, 3, n), m)              # heavy ties
        add(rng.randint(0, 50, n), m)             # some ties
        add(rng.standard_normal(n) ** 2, m)       # distinct
        add(np.arange(n, dtype=np.float64), m)    # sorted
        add(np.arange(n, 0, -1, dtype=np.float64), m)  # reversed
        add(np.roll(np.arange(n, dtype=np.float64), n // 2), m)  # numpy's quadratic-case example
# Patterns that defeat median-of-3 pivots (so numpy falls back to the median of medians of 5).
for n in [40, 75, 128, 257]:
    half = np.arange(n // 2, dtype=np.float64)
    for values in [np.concatenate([half, half[::-1]]),                    # organ pipe
                   np.arange(n, dtype=np.float64) % 7,                      # sawtooth
                   np.roll(np.arange(n, dtype=np.float64), n // 3),
                   np.concatenate([np.arange(0, n, 2), np.arange(1, n, 2)]).astype(np.float64)]:
        for m in [2, 3, len(values) // 2]:
            add(values, m)
# Near-reversed runs with noise of these lengths reach the fallback too (found by searching with the C# port).
for n in [110, 120, 130]:
    for seed in range(8):
        noise = np.random.RandomState(seed).randint(0, 3, n)
        add(((np.arange(n) * 7919) % n) ^ noise, n // 3)
add([0.0] * 40, 5)
add([1.0, 0.0, 0.0, 0.0, 1.0, 1.0], 2)                # review repro: x=[0,0,1,1,1,5]-like distances
print(json.dumps({"numpy": np.__version__, "cases": cases}))
