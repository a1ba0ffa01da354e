"""Small gradient-boosted regression trees on numpy, for the two losses the forecaster needs.

Every tree is a complete binary tree of fixed depth grown level by level on binned features (the
histogram method of LightGBM and XGBoost's `hist`), with second-order leaf values -G / (H + lambda).
Both losses work on log views, so a prediction `f` and a target `z` are logarithms:

- `squared`: (f - z)^2, the log-space fit whose prediction is a median forecast;
- `relative`: (exp(f - z) - 1)^2, the relative squared error of the forecast exp(f) itself, with the
  Gauss-Newton Hessian so every leaf step is a weighted least-squares step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Loss = Literal["squared", "relative"]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def loss_value(loss: Loss, f: FloatArray, z: FloatArray) -> float:
    if loss == "squared":
        return float(np.mean((f - z) ** 2))
    return float(np.mean(np.expm1(f - z) ** 2))


def best_constant(loss: Loss, z: FloatArray) -> float:
    """The constant prediction with the lowest loss, in closed form."""
    if loss == "squared":
        return float(np.mean(z))
    # d/dc sum (e^(c - z) - 1)^2 = 0  =>  e^c = sum e^-z / sum e^-2z (Szabo and Huberman's CS model).
    return float(np.log(np.sum(np.exp(-z)) / np.sum(np.exp(-2.0 * z))))


def _gradients(loss: Loss, f: FloatArray, z: FloatArray) -> tuple[FloatArray, FloatArray]:
    if loss == "squared":
        return f - z, np.ones_like(f)
    ratio = np.exp(f - z)
    return (ratio - 1.0) * ratio, ratio * ratio


@dataclass
class _Tree:
    """Per level, the split feature and bin of every node; a sample goes right when its bin is above."""

    features: list[IntArray]
    bins: list[IntArray]
    values: FloatArray

    def leaf_of(self, binned: IntArray) -> IntArray:
        node = np.zeros(len(binned), dtype=np.int64)
        rows = np.arange(len(binned))
        for feature, threshold in zip(self.features, self.bins, strict=True):
            node = node * 2 + (binned[rows, feature[node]] > threshold[node])
        return node


@dataclass
class BoostedTrees:
    """An additive model f(x) = start + learning_rate * sum of trees, fitted with early stopping."""

    loss: Loss = "squared"
    depth: int = 3
    learning_rate: float = 0.05
    max_trees: int = 600
    patience: int = 60
    l2: float = 1.0
    min_leaf: int = 20
    n_bins: int = 32
    start: float = 0.0
    edges: list[FloatArray] = field(default_factory=list)
    trees: list[_Tree] = field(default_factory=list)

    def fit(self, x: FloatArray, z: FloatArray, x_valid: FloatArray, z_valid: FloatArray) -> BoostedTrees:
        """Grow trees on (x, z) and keep as many as give the lowest loss on (x_valid, z_valid)."""
        quantiles = np.linspace(0.0, 1.0, self.n_bins + 1)[1:-1]
        self.edges = [np.unique(np.quantile(column, quantiles)) for column in x.T]
        binned, binned_valid = self._bin(x), self._bin(x_valid)
        self.start = best_constant(self.loss, z)
        f = np.full(len(z), self.start)
        f_valid = np.full(len(z_valid), self.start)
        best_loss, best_count = loss_value(self.loss, f_valid, z_valid), 0
        self.trees = []
        while len(self.trees) < self.max_trees and len(self.trees) - best_count < self.patience:
            tree = self._grow(binned, *_gradients(self.loss, f, z))
            self.trees.append(tree)
            f += self.learning_rate * tree.values[tree.leaf_of(binned)]
            f_valid += self.learning_rate * tree.values[tree.leaf_of(binned_valid)]
            current = loss_value(self.loss, f_valid, z_valid)
            if current < best_loss:
                best_loss, best_count = current, len(self.trees)
        del self.trees[best_count:]
        return self

    def predict(self, x: FloatArray) -> FloatArray:
        binned = self._bin(x)
        f = np.full(len(x), self.start)
        for tree in self.trees:
            f += self.learning_rate * tree.values[tree.leaf_of(binned)]
        return f

    def _bin(self, x: FloatArray) -> IntArray:
        columns = [np.searchsorted(edges, x[:, j], side="right") for j, edges in enumerate(self.edges)]
        return np.stack(columns, axis=1).astype(np.int64)

    def _grow(self, binned: IntArray, g: FloatArray, h: FloatArray) -> _Tree:
        n, m = binned.shape
        n_bins = self.n_bins
        node = np.zeros(n, dtype=np.int64)
        rows, columns = np.arange(n), np.arange(m)
        features: list[IntArray] = []
        bins: list[IntArray] = []
        for level in range(self.depth):
            n_nodes = 2**level
            # One histogram per (node, feature, bin), summed cumulatively: the left side of every split.
            key = ((node[:, None] * m + columns) * n_bins + binned).ravel()
            size = n_nodes * m * n_bins
            shape = (n_nodes, m, n_bins)
            g_left = np.bincount(key, np.repeat(g, m), size).reshape(shape).cumsum(axis=2)
            h_left = np.bincount(key, np.repeat(h, m), size).reshape(shape).cumsum(axis=2)
            n_left = np.bincount(key, None, size).reshape(shape).cumsum(axis=2)
            g_all, h_all, n_all = g_left[:, :, -1:], h_left[:, :, -1:], n_left[:, :, -1:]
            gain = (
                g_left**2 / (h_left + self.l2)
                + (g_all - g_left) ** 2 / (h_all - h_left + self.l2)
                - g_all**2 / (h_all + self.l2)
            )
            gain[(n_left < self.min_leaf) | (n_all - n_left < self.min_leaf)] = 0.0
            flat = gain.reshape(n_nodes, -1)
            best = flat.argmax(axis=1)
            feature, threshold = best // n_bins, best % n_bins
            no_split = flat.max(axis=1) <= 0.0
            # A node that cannot improve sends every sample left (no bin is above the last one).
            feature[no_split], threshold[no_split] = 0, n_bins
            features.append(feature)
            bins.append(threshold)
            node = node * 2 + (binned[rows, feature[node]] > threshold[node])
        n_leaves = 2**self.depth
        values = -np.bincount(node, g, n_leaves) / (np.bincount(node, h, n_leaves) + self.l2)
        return _Tree(features, bins, values)
