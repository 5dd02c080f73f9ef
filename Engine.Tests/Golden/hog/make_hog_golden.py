#!/usr/bin/python3
"""Regenerates the HOG goldens of this folder with the Debian scikit-image 0.19.3.

    /usr/bin/python3 make_hog_golden.py

Reads /usr/share/datasets/fashion-mnist/*.gz. Writes gzipped JSON (floats are Python repr, i.e. exact float64):
  hog_variants.json.gz  (numpy as installed, AVX-512 arctan2) one entry per parameter set: options, 30 (long outputs: 3, 4 or 6) image indices (train+test numbering: test image j is
                        60000 + j), the skimage output of each (a float64 list); covers every block norm,
                        transform_sqrt, other cell/block sizes, rectangular cells, orientation counts whose last bin
                        edge rounds below 180 (39), and float input (pixels / 255 in float32, widened to float64).
  hog_variants_libm_atan2.json.gz  the transform_sqrt and float variants again, made in a child process with
                        NPY_DISABLE_CPU_FEATURES="AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512F AVX512CD" (numpy's arctan2 = glibc's).
  hog_o8_random200.json.gz  hog(img, orientations=8) for 200 random indices over all 70 000 images (seed 20240503).
  hog_image.json.gz     hog(..., visualize=True)[1] (the glyph picture, 28x28 float64) for a few images and settings.
hog_o8.json.gz is a gzipped verbatim copy of ../shared/golden/hog_o8.json (train 0..99, orientations=8, made by make_golden.py).
"""
import gzip
import json
import os
import subprocess
import sys

# numpy dispatches arctan2 to an AVX-512 (SVML) kernel on CPUs that have it; that kernel and glibc's atan2 (what
# numpy uses elsewhere, and what .NET's Math.Atan2 calls) can round an angle lying exactly on a bin edge differently,
# e.g. atan2(-1, 1 - sqrt(2)) = -5π/8. With uint8 input and no transform_sqrt that never changes a bin (checked for
# all 511² gradient pairs and orientations 1..720), but with transform_sqrt or float input it can. The variants whose
# gradients are not integers are therefore generated a second time with the AVX-512 kernels disabled.
LIBM_ATAN2_ENV = "AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512F AVX512CD"

import numpy as np  # noqa: E402
import skimage
from skimage.feature import hog

D = "/usr/share/datasets/fashion-mnist/"


def images(name):
    with gzip.open(D + name) as f:
        return np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)


ALL = np.concatenate([images("train-images-idx3-ubyte.gz"), images("t10k-images-idx3-ubyte.gz")])
NORMS = {"L1": "L1", "L1-sqrt": "L1Sqrt", "L2": "L2", "L2-Hys": "L2Hys"}


def options(o=9, ppc=(8, 8), cpb=(3, 3), norm="L2-Hys", sqrt=False):
    return {"orientations": o, "pixels_per_cell": list(ppc), "cells_per_block": list(cpb),
            "block_norm": norm, "block_norm_cs": NORMS[norm], "transform_sqrt": sqrt}


def run(img, opt, **kw):
    return hog(img, orientations=opt["orientations"], pixels_per_cell=tuple(opt["pixels_per_cell"]),
               cells_per_block=tuple(opt["cells_per_block"]), block_norm=opt["block_norm"],
               transform_sqrt=opt["transform_sqrt"], **kw)


def write(name, obj):
    with gzip.GzipFile(name, "wb", mtime=0) as f:
        f.write(json.dumps(obj, separators=(",", ":")).encode())


def main():
    if sys.argv[1:] == ["libm"]:
        variants_file("hog_variants_libm_atan2.json.gz", lambda v: v[2] != "uint8" or v[1]["transform_sqrt"])
        return
    variants_file("hog_variants.json.gz", lambda v: True)
    subprocess.run([sys.executable, __file__, "libm"], check=True,
                   env=dict(os.environ, NPY_DISABLE_CPU_FEATURES=LIBM_ATAN2_ENV))
    others()


def variants_file(file_name, keep):
    rng = np.random.RandomState(20240503)
    # (name, options, input kind, image count): 30 images for short outputs, fewer for the long ones (file size).
    variants = [
        ("L1", options(norm="L1"), "uint8", 30),
        ("L1-sqrt", options(norm="L1-sqrt"), "uint8", 30),
        ("L2", options(norm="L2"), "uint8", 30),
        ("sqrt o8", options(o=8, sqrt=True), "uint8", 30),
        ("o1 ppc5 cpb2", options(o=1, ppc=(5, 5), cpb=(2, 2)), "uint8", 30),
        ("ppc7 cpb4 o9 (one block of 144 values: pairwise sum recursion)", options(ppc=(7, 7), cpb=(4, 4)), "uint8", 30),
        ("float pixels/255 o8", options(o=8), "float32/255", 30),
        ("ppc6 cpb2 o8 L2", options(o=8, ppc=(6, 6), cpb=(2, 2), norm="L2"), "uint8", 6),
        ("ppc7 cpb2 o12", options(o=12, ppc=(7, 7), cpb=(2, 2)), "uint8", 6),
        ("ppc4x7 cpb3x2 o6 L1-sqrt", options(o=6, ppc=(4, 7), cpb=(3, 2), norm="L1-sqrt"), "uint8", 6),
        ("o39 ppc7 cpb1 L2 (last bin edge below 180)", options(o=39, ppc=(7, 7), cpb=(1, 1), norm="L2"), "uint8", 6),
        ("ppc4 cpb2 o9 (train 0..3 of hog_o9_ppc4_cpb2.json)", options(ppc=(4, 4), cpb=(2, 2)), "uint8", [0, 1, 2, 3]),
        ("sqrt L1 ppc4 cpb2", options(ppc=(4, 4), cpb=(2, 2), norm="L1", sqrt=True), "uint8", 3),
        ("float pixels/255 sqrt L1 ppc4 cpb2", options(ppc=(4, 4), cpb=(2, 2), norm="L1", sqrt=True), "float32/255", 3),
    ]
    out = {"skimage": skimage.__version__, "numpy": np.__version__,
           "npy_disable_cpu_features": os.environ.get("NPY_DISABLE_CPU_FEATURES", ""), "variants": []}
    for v in variants:
        name, opt, kind, count = v
        idx = count if isinstance(count, list) else sorted(rng.choice(len(ALL), count, replace=False).tolist())
        if not keep(v):
            continue
        rows = []
        for i in idx:
            img = ALL[i]
            if kind == "float32/255":
                img = (img.astype(np.float32) / np.float32(255)).astype(np.float64)
            rows.append([float(v) for v in run(img, opt)])
        out["variants"].append({"name": name, "options": opt, "input": kind, "indices": idx, "hog": rows})
    write(file_name, out)


def others():
    idx = sorted(np.random.RandomState(20240503).choice(len(ALL), 200, replace=False).tolist())
    write("hog_o8_random200.json.gz", {"options": options(o=8), "indices": idx,
                                       "hog": [[float(v) for v in hog(ALL[i], orientations=8)] for i in idx]})

    pictures = []
    for opt in [options(o=8), options(ppc=(4, 4), cpb=(2, 2)), options(o=3, ppc=(6, 6), cpb=(2, 2)),
                options(o=12, ppc=(7, 7), cpb=(2, 2)), options(o=9, ppc=(2, 3), cpb=(2, 2))]:
        for i in [0, 1, 60000]:
            pictures.append({"options": opt, "index": i,
                             "hog_image": [float(v) for v in run(ALL[i], opt, visualize=True)[1].ravel()]})
    write("hog_image.json.gz", {"pictures": pictures})


if __name__ == "__main__":
    main()
