#!/usr/bin/python3
"""Peer for bench/regression-friedman.mjs: Friedman #1 data, and scikit-learn's MLPRegressor on it.

  regression_sklearn.py generate OUT.pkl [--rows 5000] [--seed 0]
      writes {"X": (n, 5) float64, "y": (n,), "metadata": {...}} as the reference's pickle
  regression_sklearn.py train DATA.pkl --epochs 100 --lr 0.001 --hidden 64,32 [--seed 42]
      70/15/15 split (--split: given row indices), StandardScaler fitted on the train part, MLPRegressor (adam, every epoch run),
      prints JSON: r2 and mse on the test part, training_time_seconds (fit only)

Debian python3-sklearn + python3-numpy; run with /usr/bin/python3.
"""
import argparse
import json
import pickle
import time
import warnings

import numpy as np


def generate(out, rows, seed):
    rng = np.random.default_rng(seed)
    X = rng.random((rows, 5))
    y = 10 * np.sin(np.pi * X[:, 0] * X[:, 1]) + 20 * (X[:, 2] - 0.5) ** 2 + 10 * X[:, 3] + 5 * X[:, 4]
    y = y + rng.normal(0.0, 0.1 * y.std(), rows)
    meta = {"feature_names": ["x1", "x2", "x3", "x4", "x5"], "target_name": "y"}
    with open(out, "wb") as f:
        pickle.dump({"X": X, "y": y, "metadata": meta}, f, protocol=4)


def train(data, epochs, lr, hidden, seed, batch_size, split):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import mean_squared_error, r2_score
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    with open(data, "rb") as f:
        d = pickle.load(f)
    X, y = d["X"], d["y"]
    if split:
        # Assay's own rows (same table, ratios and seed): both are scored on the same test part.
        with open(split) as f:
            rows = json.load(f)
        X_train, y_train = X[rows["train"]], y[rows["train"]]
        X_test, y_test = X[rows["test"]], y[rows["test"]]
    else:
        X_train, X_rest, y_train, y_rest = train_test_split(X, y, train_size=0.7, random_state=seed)
        _X_val, X_test, _y_val, y_test = train_test_split(X_rest, y_rest, test_size=0.5, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    model = MLPRegressor(
        hidden_layer_sizes=tuple(hidden),
        solver="adam",
        learning_rate_init=lr,
        max_iter=epochs,
        batch_size=batch_size,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(scaler.transform(X_train), y_train)
        seconds = time.perf_counter() - start
    pred = model.predict(scaler.transform(X_test))
    return {
        "r2": float(r2_score(y_test, pred)),
        "mse": float(mean_squared_error(y_test, pred)),
        "training_time_seconds": seconds,
        "epochs_run": int(model.n_iter_),
        "train_size": int(len(y_train)),
        "test_size": int(len(y_test)),
        "batch_size": batch_size,
    }


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("out")
    g.add_argument("--rows", type=int, default=5000)
    g.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("train")
    t.add_argument("data")
    t.add_argument("--epochs", type=int, default=100)
    t.add_argument("--lr", type=float, default=0.001)
    t.add_argument("--hidden", default="64,32")
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--batch-size", type=int, default=200)
    t.add_argument("--split", help="JSON {train, val, test} row indices (else a seeded 70/15/15)")
    a = p.parse_args()
    if a.cmd == "generate":
        generate(a.out, a.rows, a.seed)
    else:
        hidden = [int(h) for h in a.hidden.split(",")]
        print(json.dumps(train(a.data, a.epochs, a.lr, hidden, a.seed, a.batch_size, a.split)))


if __name__ == "__main__":
    main()
