#!/usr/bin/python3
"""Side-by-side stage timings: FashionCore (`fashion bench --json`) vs the scikit-learn/scikit-image peer, interleaved in
one run so both see the same machine load. Each side reports the median of REPS in-process repetitions per round
(FashionCore's first repetition includes JIT compilation, as a one-shot CLI run would). Prints a Markdown table of
medians and ratios (peer / ours), then with several rounds each side's value per round.

Usage: /usr/bin/python3 Bench/compare.py [REPS] [STAGE,STAGE...] [ROUNDS]   (from the repository root, after
`dotnet build -c Release`). Needs python3-sklearn, python3-skimage, libopenblas0-pthread and the peer script
stages_sklearn.py (path in $PEER_STAGES, default ../shared/peer/stages_sklearn.py beside the checkout; for the stages
hog_saga100 and pca40_saga100, PEER_STAGES=Bench/peer/dense_saga_sklearn.py). Our stage saga3_pixels_u8 (the same fit
from the raw pixels and 1/255) is set against the peer's saga3_pixels, which the peer then runs once for both.
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed for the peer so numpy runs its normal kernels.
"""
import json, os, statistics, subprocess, sys

reps = sys.argv[1] if len(sys.argv) > 1 else "3"
stages = sys.argv[2] if len(sys.argv) > 2 else "load,standardize"
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
peer = os.environ.get("PEER_STAGES", os.path.join(os.path.dirname(root), "shared", "peer", "stages_sklearn.py"))
ours_cmd = ["dotnet", os.path.join(root, "Tools", "bin", "Release", "net10.0", "fashion.dll"), "bench", "--json",
            "--no-download", "--reps", reps, "--stages", stages]
# Our stages timed against a peer stage of another name.
PEER_NAME = {"saga3_pixels_u8": "saga3_pixels"}
def peer_name(k):
    for ours_name, theirs_name in PEER_NAME.items():
        if k.startswith(ours_name):
            return theirs_name + k[len(ours_name):]
    return k
peer_stages = ",".join(dict.fromkeys(peer_name(k) for k in stages.split(",")))
peer_cmd = ["/usr/bin/python3", peer, reps, peer_stages]
peer_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}

ours, theirs = {}, {}
for r in range(rounds):
    for name, cmd, env, sink in (("ours", ours_cmd, os.environ, ours), ("peer", peer_cmd, peer_env, theirs)):
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
        # `fashion bench --json` prints one indented object; the peer prints one line after any noise.
        text = out if name == "ours" else out.strip().splitlines()[-1]
        for k, v in json.loads(text).items():
            sink.setdefault(k, []).append(v)

def fmt(v):
    # Stage times are ~1e-2..1e1 s; the `handover` probe is ~1e-7 s.
    return f"{v:.4f}" if v >= 1e-3 else f"{v:.3g}"

print(f"| stage | FashionCore (s) | scikit-learn peer (s) | ratio |")
print(f"|---|---:|---:|---:|")
for k in stages.split(","):
    p = peer_name(k)
    if k in ours and p in theirs:
        a, b = statistics.median(ours[k]), statistics.median(theirs[p])
        label = k if p == k else f"{k} (peer: {p})"
        print(f"| {label} | {a:.4f} | {b:.4f} | {b / a:.1f}x |")
    elif p in theirs:
        print(f"| {k} | not implemented | {statistics.median(theirs[p]):.4f} | |")
    elif k in ours:
        print(f"| {k} | {fmt(statistics.median(ours[k]))} | not in the peer | |")
for k in sorted(k for k in ours if k.endswith(("_test_acc", "_inertia", "_n_iter"))):
    if peer_name(k) in theirs:
        print(f"| {k} (quality) | {statistics.median(ours[k]):.10g} | {statistics.median(theirs[peer_name(k)]):.10g} | |")
if rounds > 1:
    # The machine's state moves between rounds (on a VM: where the host runs the vCPUs; see the `handover` stage).
    for name, sink, names in (("ours", ours, stages.split(",")), ("peer", theirs, peer_stages.split(","))):
        for k in names:
            if k in sink:
                print(f"{name} {k} per round: {' '.join(fmt(v) for v in sink[k])}")
