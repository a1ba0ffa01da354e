"""Held-out comparison of the forecaster with the Szabo-Huberman and Pinto et al. predictors.

All three are fitted on the same training videos and scored on the same test videos, on two tasks:
forecasting day-30 cumulative views (mean relative squared error, as both papers report it) and
flagging the top 5 % of test videos, by day-30 views and by growth, early (ROC AUC and precision
among the 5 % with the highest score).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from creatordesk.performance.viral.baselines import PintoLinear, SzaboHuberman
from creatordesk.performance.viral.boosting import FloatArray
from creatordesk.performance.viral.data import DataError
from creatordesk.performance.viral.model import DAILY_GRID_HOURS, EarlyViewsModel
from creatordesk.performance.viral.series import HOURS_PER_DAY, VideoSeries, cumulative_at

TARGET_DAY = 30
TOP_SHARE = 0.05
TRAIN_SHARE = 0.7
MIN_TRAIN_VIDEOS = 100
MIN_TEST_VIDEOS = 20
METRICS: tuple[str, ...] = (
    "mrse_d30_from_d3",
    "mrse_d30_from_d7",
    "auc_top5_views_from_d1",
    "p5_top5_views_from_d1",
    "auc_top5_views_from_d3",
    "p5_top5_views_from_d3",
    "auc_top5_growth_from_d3",
    "p5_top5_growth_from_d3",
    "auc_top5_growth_from_d7",
    "p5_top5_growth_from_d7",
)


@dataclass(frozen=True)
class MetricRow:
    """One metric for the forecaster and both baselines."""

    metric: str
    model: float
    szabo_huberman: float
    pinto: float

    @property
    def lower_is_better(self) -> bool:
        return self.metric.startswith("mrse")

    @property
    def model_is_better(self) -> bool:
        """Strictly better than both baselines."""
        if self.lower_is_better:
            return self.model < min(self.szabo_huberman, self.pinto)
        return self.model > max(self.szabo_huberman, self.pinto)


@dataclass(frozen=True)
class Evaluation:
    """Every metric of one run, and what it ran on."""

    rows: list[MetricRow]
    n_train: int
    n_test: int
    n_too_short: int
    seconds: float


def split_by_id(
    videos: Sequence[VideoSeries], train_share: float = TRAIN_SHARE
) -> tuple[list[VideoSeries], list[VideoSeries]]:
    """A fixed split that does not depend on file order: by a hash of each video id."""
    train: list[VideoSeries] = []
    test: list[VideoSeries] = []
    for video in videos:
        bucket = int(hashlib.sha256(video.video_id.encode()).hexdigest()[:8], 16) % 1000
        (train if bucket < train_share * 1000 else test).append(video)
    return train, test


def mean_relative_squared_error(predicted: FloatArray, actual: FloatArray) -> float:
    return float(np.mean(((predicted - actual) / actual) ** 2))


def top_share(values: FloatArray, share: float = TOP_SHARE) -> FloatArray:
    """True for the ceil(share * n) largest values."""
    flags = np.zeros(len(values), dtype=bool)
    flags[np.argsort(-values, kind="stable")[: _top_count(len(values), share)]] = True
    return flags


def roc_auc(scores: FloatArray, positives: FloatArray) -> float:
    """Probability that a random positive outscores a random negative (ties count one half)."""
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # Tied scores share the mean of their ranks.
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    ranks = (np.bincount(inverse, ranks) / counts)[inverse]
    n_pos = int(positives.sum())
    n_neg = len(scores) - n_pos
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def precision_at(scores: FloatArray, positives: FloatArray, share: float = TOP_SHARE) -> float:
    """Share of positives among the ceil(share * n) highest scores."""
    chosen = np.argsort(-scores, kind="stable")[: _top_count(len(scores), share)]
    return float(positives[chosen].mean())


def _top_count(n: int, share: float) -> int:
    return max(1, int(np.ceil(share * n - 1e-9)))


def _daily_matrix(videos: Sequence[VideoSeries]) -> FloatArray:
    ages = HOURS_PER_DAY * np.arange(1, TARGET_DAY + 1)
    cumulative = np.array([cumulative_at(video, ages) for video in videos])
    return np.diff(cumulative.reshape(len(videos), TARGET_DAY), axis=1, prepend=0.0)


def evaluate(train: Sequence[VideoSeries], test: Sequence[VideoSeries]) -> Evaluation:
    """Fit the forecaster and both baselines on `train`, score all three on `test`."""
    started = time.perf_counter()
    horizon = HOURS_PER_DAY * TARGET_DAY
    long_train = [v for v in train if v.last_age >= horizon]
    # A video with no views by day 30 has no relative error; it cannot be scored.
    long_test = [v for v in test if v.last_age >= horizon and cumulative_at(v, np.array([horizon]))[0] > 0]
    if len(long_train) < MIN_TRAIN_VIDEOS or len(long_test) < MIN_TEST_VIDEOS:
        raise DataError(
            f"{len(long_train)} training and {len(long_test)} test videos have {TARGET_DAY} days of views; "
            f"need at least {MIN_TRAIN_VIDEOS} and {MIN_TEST_VIDEOS}"
        )
    train_daily, test_daily = _daily_matrix(long_train), _daily_matrix(long_test)
    train_total, test_total = train_daily.cumsum(axis=1), test_daily.cumsum(axis=1)
    final = test_total[:, -1]
    day_one = test_total[:, 0]
    # Growth is (N30 + 1) / (N1 + 1) so a video with no views on day 1 still has one.
    top_views = top_share(final)
    top_growth = top_share((final + 1) / (day_one + 1))

    model = EarlyViewsModel(grid_hours=DAILY_GRID_HOURS, horizons_hours=(horizon,)).fit(long_train)
    predictions: dict[int, dict[str, FloatArray]] = {}
    for day in (1, 3, 7):
        forecasts = model.forecast_many([v.until(HOURS_PER_DAY * day) for v in long_test], horizon)
        sh = SzaboHuberman().fit(train_total[:, day - 1], train_total[:, -1])
        pinto = PintoLinear().fit(train_daily[:, :day], train_total[:, -1])
        predictions[day] = {
            "model": np.array([f.expected for f in forecasts]),
            "model_median": np.array([f.median for f in forecasts]),
            "szabo_huberman": sh.predict(test_total[:, day - 1]),
            "pinto": pinto.predict(test_daily[:, :day]),
        }

    def views_score(day: int, name: str) -> FloatArray:
        # The forecaster ranks by its median forecast; the baselines have a single prediction.
        return predictions[day]["model_median" if name == "model" else name]

    def growth_score(day: int, name: str) -> FloatArray:
        return (views_score(day, name) + 1) / (day_one + 1)

    names = ("model", "szabo_huberman", "pinto")
    rows = []
    for metric in METRICS:
        kind, *_, day_text = metric.split("_")
        day = int(day_text.removeprefix("d"))
        values = []
        for name in names:
            if kind == "mrse":
                values.append(mean_relative_squared_error(predictions[day][name], final))
                continue
            growth = "growth" in metric
            scores = growth_score(day, name) if growth else views_score(day, name)
            positives = top_growth if growth else top_views
            values.append(roc_auc(scores, positives) if kind == "auc" else precision_at(scores, positives))
        rows.append(MetricRow(metric, *values))
    return Evaluation(
        rows=rows,
        n_train=len(long_train),
        n_test=len(long_test),
        n_too_short=len(train) + len(test) - len(long_train) - len(long_test),
        seconds=time.perf_counter() - started,
    )
