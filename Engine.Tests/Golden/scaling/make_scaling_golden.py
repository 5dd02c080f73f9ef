#!/usr/bin/python3
"""Regenerate scaling.json with the Debian scikit-learn 1.2.1 on the real Fashion-MNIST train/test pixels.

Usage: /usr/bin/python3 make_scaling_golden.py [DATA_DIR]   (default /usr/share/datasets/fashion-mnist)
Floats are Python repr (shortest round-trip), so double.Parse gives the exact float64 values.
"""
import gzip, json, os, sys
import numpy as np
import sklearn
from sklearn.preprocessing import StandardScaler, MinMaxScaler

D = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
def images(f):
    with gzip.open(os.path.join(D, f)) as g:
        return np.frombuffer(g.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float64)

tr, te = images("train-images-idx3-ubyte.gz"), images("t10k-images-idx3-ubyte.gz")
ss = StandardScaler().fit(tr)
mm = MinMaxScaler().fit(tr)
rows_tr, rows_te = [0, 59999], [0, 9999]
fl = lambda a: [float(v) for v in np.asarray(a, np.float64).ravel()]
out = {
    "sklearn": sklearn.__version__, "numpy": np.__version__,
    "standard": {"mean": fl(ss.mean_), "var": fl(ss.var_), "scale": fl(ss.scale_),
                 "train_rows": rows_tr, "train_transformed": fl(ss.transform(tr[rows_tr])),
                 "test_rows": rows_te, "test_transformed": fl(ss.transform(te[rows_te]))},
    "minmax": {"data_min": fl(mm.data_min_), "data_max": fl(mm.data_max_), "scale": fl(mm.scale_), "min": fl(mm.min_),
               "test_rows": rows_te, "test_transformed": fl(mm.transform(te[rows_te]))},
    "columns_with_max_below_255": int((mm.data_max_ < 255).sum()),
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "scaling.json"), "w") as f:
    json.dump(out, f)
print("columns_with_max_below_255", out["columns_with_max_below_255"])
