#!/usr/bin/python3
"""Regenerate kmeans.json with the Debian scikit-learn 1.2.1 on the study's real k-means subset.

Usage: /usr/bin/python3 make_kmeans_golden.py [DATA_DIR]   (default /usr/share/datasets/fashion-mnist)

Data exactly as the study/peer (stages_sklearn.py): StandardScaler fitted on the FULL train set (60 000 x 784,
float64), then the rows with labels 0..4 (30 000 rows, data order). Runs KMeans(k, n_init, random_state) and stores
labels as a digit string, inertia, n_iter, the k-means++ indices of the first init (sklearn.cluster.kmeans_plusplus
on the centred data with RandomState(random_state), which is what KMeans' first init draws) and a centre summary
(per-centre coordinate sum, sum of squares and first 8 coordinates). Also the elbow curve k = 1..10 (n_init=1).
Floats are Python repr (shortest round-trip).
"""
import gzip, json, os, sys, warnings
import numpy as np
import sklearn
from sklearn.preprocessing import StandardScaler
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.metrics import adjusted_rand_score

warnings.filterwarnings("ignore")
D = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
with gzip.open(os.path.join(D, "train-images-idx3-ubyte.gz")) as g:
    X = np.frombuffer(g.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float64)
with gzip.open(os.path.join(D, "train-labels-idx1-ubyte.gz")) as g:
    y = np.frombuffer(g.read(), np.uint8, offset=8)
st = StandardScaler().fit_transform(X)
mask = np.isin(y, [0, 1, 2, 3, 4])
sub, ysub = st[mask], y[mask].astype(np.int64)
Xc = sub - sub.mean(axis=0)
x_sq = np.einsum("ij,ij->i", Xc, Xc)


def run(k, n_init, rs, summary=True):
    km = KMeans(n_clusters=k, n_init=n_init, random_state=rs).fit(sub)
    out = {"k": k, "n_init": n_init, "random_state": rs, "inertia": float(km.inertia_), "n_iter": int(km.n_iter_)}
    if summary:
        _, idx = kmeans_plusplus(Xc, k, random_state=np.random.RandomState(rs), x_squared_norms=x_sq)
        c = km.cluster_centers_
        out.update({
            "kpp_indices": [int(i) for i in idx],
            "labels": "".join(str(int(v)) for v in km.labels_),
            "center_sums": [float(v) for v in c.sum(axis=1)],
            "center_sumsq": [float(v) for v in (c * c).sum(axis=1)],
            "center_head": [float(v) for v in c[:, :8].ravel()],
            "ari_vs_labels": float(adjusted_rand_score(ysub, km.labels_)),
        })
    print(k, n_init, rs, out["inertia"], out["n_iter"], flush=True)
    return out


out = {
    "sklearn": sklearn.__version__, "numpy": np.__version__, "rows": int(sub.shape[0]),
    "runs": [run(5, 1, 0), run(5, 1, 1), run(5, 1, 42), run(5, 10, 0), run(5, 1, 7)],
    "elbow_n_init1_rs0": [run(k, 1, 0, summary=False) for k in range(1, 11)],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "kmeans.json"), "w") as f:
    json.dump(out, f)
