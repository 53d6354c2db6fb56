#!/usr/bin/python3
"""Peer for bench/audio-models.ts: scikit-learn's RandomForestClassifier on the same summary
features (computed once by Assay's own front end and written to DATA.json).

  audio_rf_sklearn.py DATA.json [--trees 60] [--seed 42]

DATA.json: {"train": {"X": [[...]], "y": [...]}, "test": {"X": [[...]], "clip": [...], "y": [...]}}
(rows are events; a test clip's verdict is the mean of its events' class probabilities, as Assay's
TRADITIONAL family does). Prints JSON: clip accuracy, fit seconds, predict seconds.
Debian python3-sklearn + python3-numpy; run with /usr/bin/python3.
"""
import argparse
import json
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--trees", type=int, default=60)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    with open(a.data) as f:
        d = json.load(f)
    X, y = np.array(d["train"]["X"]), np.array(d["train"]["y"])
    # The same forest shape as Assay's: 60 trees, half the features per split, depth 12, bagging.
    rf = RandomForestClassifier(
        n_estimators=a.trees, max_features=0.5, max_depth=12, bootstrap=True, random_state=a.seed, n_jobs=1
    )
    t0 = time.perf_counter()
    rf.fit(X, y)
    fit = time.perf_counter() - t0
    tX = np.array(d["test"]["X"])
    t0 = time.perf_counter()
    proba = rf.predict_proba(tX)
    pred_s = time.perf_counter() - t0
    clips = np.array(d["test"]["clip"])
    truth = np.array(d["test"]["y"])
    correct = 0
    ids = sorted(set(clips.tolist()))
    for c in ids:
        rows = clips == c
        mean = proba[rows].mean(axis=0)
        if rf.classes_[int(np.argmax(mean))] == truth[rows][0]:
            correct += 1
    print(json.dumps({"accuracy": correct / len(ids), "clips": len(ids), "fit_seconds": fit, "predict_seconds": pred_s,
                      "sklearn": __import__("sklearn").__version__}))


if __name__ == "__main__":
    main()
