#!/usr/bin/python3
"""Peer of `fashion bench --stages hog_saga100,pca40_saga100`: the study's SAGA fits on dense features with
scikit-learn 1.2 / scikit-image 0.19, LogisticRegression(solver='saga', random_state=0) with the default max_iter=100
and tol=1e-4 on HOG (8 orientations) of the raw pixels (72 features) and on PCA(40) of the standardized pixels.
The features are computed once, outside the timing; only the fits are timed. PCA(40) takes sklearn's default
(randomized) solver as the study did, so its features differ from FashionCore's exact ones in the last digits and the
non-converged 100-epoch fit's test accuracy in the third or fourth (0.8141 here with random_state=0, 0.8121 in the
shared seed_pipeline_sklearn.py without it, against FashionCore's 0.8124). Same protocol as the shared
stages_sklearn.py, so Bench/compare.py can pair the two:

    PEER_STAGES=Bench/peer/dense_saga_sklearn.py /usr/bin/python3 Bench/compare.py 3 hog_saga100,pca40_saga100 1

Usage: dense_saga_sklearn.py [REPS] [STAGE,STAGE...]. Prints one JSON object {stage: median seconds, ...} with
STAGE_test_acc and STAGE_n_iter next to each stage.
"""
import gzip
import json
import os
import sys
import time
import warnings

import numpy as np
from skimage.feature import hog
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")
D = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist") + "/"
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 1
only = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else {"hog_saga100", "pca40_saga100"}


def images(name):
    with gzip.open(D + name) as g:
        return np.frombuffer(g.read(), np.uint8, offset=16).reshape(-1, 28, 28)


def labels(name):
    with gzip.open(D + name) as g:
        return np.frombuffer(g.read(), np.uint8, offset=8)


def fit(stage, train, test, out):
    seconds = []
    for _ in range(reps):
        model = LogisticRegression(solver="saga", random_state=0)
        start = time.perf_counter()
        model.fit(train, ytr)
        seconds.append(time.perf_counter() - start)
    out[stage] = float(np.median(seconds))
    out[stage + "_test_acc"] = float(model.score(test, yte))
    out[stage + "_n_iter"] = int(model.n_iter_[0])


Xtr, ytr = images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
Xte, yte = images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")
out = {}
if "hog_saga100" in only:
    fit("hog_saga100", np.array([hog(i, orientations=8) for i in Xtr]), np.array([hog(i, orientations=8) for i in Xte]), out)
if "pca40_saga100" in only:
    scaler = StandardScaler().fit(Xtr.reshape(-1, 784).astype(np.float64))
    strain = scaler.transform(Xtr.reshape(-1, 784).astype(np.float64))
    pca = PCA(40, random_state=0).fit(strain)
    fit("pca40_saga100", pca.transform(strain), pca.transform(scaler.transform(Xte.reshape(-1, 784).astype(np.float64))), out)
print(json.dumps(out))
