"""The early-views forecaster: later views of a video from its first polls, and when that is a breakout.

For every point k of an age grid (by default the ends of days 1 to 7) and every horizon, two small
boosted-tree models read the curve up to grid point k and predict ln(views at horizon + 1) minus
ln(views at k + 1):

- the *expected* model minimises the relative squared error of the forecast itself, the error that
  matters when a brand plans stock and budget on it;
- the *median* model minimises the squared error of the logarithm; its residual spread on a
  validation share of the training videos gives the likely range and the breakout probabilities.

A poll at any age is used by interpolating the cumulative curve to the grid ages up to that age
(`series.cumulative_at`), so polling every 10 minutes or twice a day feeds the same models.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from creatordesk.performance.viral.boosting import BoostedTrees, FloatArray
from creatordesk.performance.viral.series import (
    HOURS_PER_DAY,
    VideoSeries,
    as_series,
    cumulative_at,
    format_age,
)

DAILY_GRID_HOURS: tuple[float, ...] = tuple(HOURS_PER_DAY * day for day in range(1, 8))
THIRTY_DAYS_HOURS = 30 * HOURS_PER_DAY
# A category needs this many training videos to get its own feature; rarer ones count as unknown.
MIN_CATEGORY_VIDEOS = 20
MIN_TRAINING_VIDEOS = 50
# Fewer past videos than this say too little about a creator's usual pace.
MIN_CREATOR_VIDEOS = 3
VALIDATION_SHARE = 0.2
# The 10th and 90th percentiles of a standard normal: the "80% range" of a forecast.
Z_80 = 1.2815515655446004

Observed = VideoSeries | Mapping[float, float]


class TooEarlyError(ValueError):
    """The video has not been polled up to the first age the model was trained on."""


@dataclass(frozen=True)
class Forecast:
    """Views expected at `horizon_hours` for a video last polled at `age_hours`."""

    age_hours: float
    horizon_hours: float
    observed: float
    expected: float
    median: float
    low: float
    high: float
    log_sigma: float

    def chance_above(self, threshold: float) -> float:
        """Probability that the views at the horizon exceed `threshold` (log-normal around the median)."""
        if self.observed >= threshold:
            return 1.0
        if self.log_sigma <= 0.0:
            return 1.0 if self.median >= threshold else 0.0
        z = (math.log1p(threshold) - math.log1p(self.median)) / self.log_sigma
        return 0.5 * math.erfc(z / math.sqrt(2.0))


@dataclass(frozen=True)
class Breakout:
    """How likely a video is to end in the workspace's top decile or far above its creator's best."""

    score: float
    flagged: bool
    chance_workspace_top_decile: float
    workspace_threshold: float
    chance_beats_creator: float | None
    creator_threshold: float | None
    forecast: Forecast


@dataclass(frozen=True)
class ExplanationFacts:
    """What an explanation of a breakout score says, as numbers."""

    breakout: Breakout
    horizon_hours: float
    creator_usual: float | None  # median views of the creator's earlier videos at the same age
    creator_videos: int
    workspace_usual: float  # the training videos' median views at that age
    creator_factor: float


@dataclass
class _Stage:
    """The two models for one grid point and horizon, and the spread of the median model's errors."""

    expected: BoostedTrees
    median: BoostedTrees
    log_sigma: float


class EarlyViewsModel:
    """Forecast later cumulative views from the first polls; flag and explain likely breakouts."""

    def __init__(
        self,
        grid_hours: Sequence[float] = DAILY_GRID_HOURS,
        horizons_hours: Sequence[float] = (THIRTY_DAYS_HOURS,),
        *,
        creator_factor: float = 2.0,
        flag_at: float = 0.5,
        max_trees: int = 600,
        seed: int = 0,
    ) -> None:
        self.grid = np.array(sorted(set(grid_hours)), dtype=float)
        self.horizons = tuple(sorted(set(horizons_hours)))
        self.creator_factor = creator_factor
        self.flag_at = flag_at
        self.max_trees = max_trees
        self.seed = seed
        self.categories: tuple[str, ...] = ()
        self.top_decile: dict[float, float] = {}
        self._typical_ages = np.array([], dtype=float)
        self._typical_views = np.array([], dtype=float)
        self._stages: dict[tuple[int, float], _Stage] = {}

    def fit(self, train: Sequence[VideoSeries]) -> EarlyViewsModel:
        """Learn from the workspace's past videos; each horizon learns from the videos followed that long."""
        counts = Counter(video.category for video in train)
        self.categories = tuple(sorted(c for c, n in counts.items() if n >= MIN_CATEGORY_VIDEOS))
        ages = np.concatenate([self.grid, self.horizons])
        curves = np.array([cumulative_at(video, ages) for video in train]).reshape(len(train), len(ages))
        reached = [i for i in np.argsort(ages, kind="stable") if not np.isnan(curves[:, i]).all()]
        self._typical_ages = ages[reached]
        self._typical_views = np.array([np.nanmedian(curves[:, i]) for i in reached])
        valid_share = np.random.default_rng(self.seed).random(len(train)) < VALIDATION_SHARE
        for h, horizon in enumerate(self.horizons):
            n_grid = int(np.sum(self.grid < horizon))
            final = curves[:, len(self.grid) + h]
            usable = ~np.isnan(final) & ~np.isnan(curves[:, :n_grid]).any(axis=1)
            if usable.sum() < MIN_TRAINING_VIDEOS:
                raise ValueError(
                    f"{int(usable.sum())} training videos reach {format_age(horizon)}; "
                    f"need at least {MIN_TRAINING_VIDEOS}"
                )
            self.top_decile[horizon] = float(np.quantile(final[usable], 0.9))
            categories = [video.category for video, keep in zip(train, usable, strict=True) if keep]
            fit_rows, valid_rows = ~valid_share[usable], valid_share[usable]
            for k in range(1, n_grid + 1):
                early = curves[usable, :k]
                x = self._features(early, categories)
                z = np.log1p(final[usable]) - np.log1p(early[:, -1])
                models = [
                    BoostedTrees(loss=loss, max_trees=self.max_trees).fit(
                        x[fit_rows], z[fit_rows], x[valid_rows], z[valid_rows]
                    )
                    for loss in ("relative", "squared")
                ]
                residual = models[1].predict(x[valid_rows]) - z[valid_rows]
                self._stages[(k, horizon)] = _Stage(
                    models[0], models[1], float(np.sqrt(np.mean(residual**2)))
                )
        return self

    def _features(self, early: FloatArray, categories: Sequence[str]) -> FloatArray:
        """Scale-free shape of the curve up to grid point k, its level, and the category."""
        n, k = early.shape
        increments = np.diff(early, axis=1, prepend=0.0)
        log_increments = np.log1p(increments)
        log_total = np.log1p(early[:, -1:])
        columns = [log_total, log_increments, log_increments - log_total]
        if k >= 2:
            log_rate = log_increments - np.log(np.diff(self.grid[:k], prepend=0.0))
            columns.append(log_rate[:, -1:] - log_rate[:, -2:-1])
            columns.append(np.argmax(log_rate, axis=1).astype(float)[:, None])
        one_hot = np.array([[c == name for name in self.categories] for c in categories], dtype=float)
        columns.append(one_hot.reshape(n, len(self.categories)))
        return np.hstack(columns)

    def forecast_many(
        self, videos: Sequence[VideoSeries], horizon_hours: float = THIRTY_DAYS_HOURS
    ) -> list[Forecast]:
        """Forecasts for many videos at once, each from all of its polls."""
        if horizon_hours not in self.horizons:
            raise ValueError(f"no model for {format_age(horizon_hours)}; fitted: {self._horizon_names()}")
        if not self._stages:
            raise RuntimeError("fit the model first")
        n_grid = int(np.sum(self.grid < horizon_hours))
        results: list[Forecast | None] = [None] * len(videos)
        by_stage: dict[int, list[int]] = {}
        for i, video in enumerate(videos):
            if video.last_age >= horizon_hours:
                final = float(cumulative_at(video, np.array([horizon_hours]))[0])
                results[i] = Forecast(horizon_hours, horizon_hours, final, final, final, final, final, 0.0)
                continue
            k = min(int(np.sum(self.grid <= video.last_age)), n_grid)
            if k == 0:
                raise TooEarlyError(
                    f"{video.video_id or 'the video'} was last polled at {format_age(video.last_age)}; "
                    f"forecasts start at {format_age(self.grid[0])}"
                )
            by_stage.setdefault(k, []).append(i)
        for k, indices in by_stage.items():
            stage = self._stages[(k, horizon_hours)]
            group = [videos[i] for i in indices]
            early = np.array([cumulative_at(video, self.grid[:k]) for video in group])
            x = self._features(early, [video.category for video in group])
            base = np.log1p(early[:, -1])
            expected, median = base + stage.expected.predict(x), base + stage.median.predict(x)
            for i, video, e, m in zip(indices, group, expected, median, strict=True):
                observed = float(cumulative_at(video, np.array([video.last_age]))[0])
                results[i] = Forecast(
                    age_hours=video.last_age,
                    horizon_hours=horizon_hours,
                    observed=observed,
                    expected=max(observed, float(np.expm1(e))),
                    median=max(observed, float(np.expm1(m))),
                    low=max(observed, float(np.expm1(m - Z_80 * stage.log_sigma))),
                    high=max(observed, float(np.expm1(m + Z_80 * stage.log_sigma))),
                    log_sigma=stage.log_sigma,
                )
        return [forecast for forecast in results if forecast is not None]

    def forecast(
        self, observed: Observed, horizon_hours: float = THIRTY_DAYS_HOURS, *, category: str = ""
    ) -> Forecast:
        """The forecast of one video from its polls so far ({age_hours: views} or a series)."""
        return self.forecast_many([as_series(observed, category)], horizon_hours)[0]

    def predict_cumulative(
        self, observed: Observed, horizon_hours: float = THIRTY_DAYS_HOURS, *, category: str = ""
    ) -> float:
        """Views at `horizon_hours`: the estimate with the lowest expected relative squared error."""
        return self.forecast(observed, horizon_hours, category=category).expected

    def breakout_score(
        self,
        observed: Observed,
        *,
        horizon_hours: float = THIRTY_DAYS_HOURS,
        category: str = "",
        creator_history: Sequence[VideoSeries] = (),
    ) -> Breakout:
        """Chance of ending in the workspace's top decile, or above `creator_factor` x the creator's p90."""
        video = as_series(observed, category)
        forecast = self.forecast(video, horizon_hours)
        workspace_threshold = self.top_decile[horizon_hours]
        chance_workspace = forecast.chance_above(workspace_threshold)
        past = _earlier_videos(video, creator_history, horizon_hours)
        creator_threshold = chance_creator = None
        if len(past) >= MIN_CREATOR_VIDEOS:
            finals = np.array([cumulative_at(v, np.array([horizon_hours]))[0] for v in past])
            creator_threshold = self.creator_factor * float(np.quantile(finals, 0.9))
            chance_creator = forecast.chance_above(creator_threshold)
        score = max(chance_workspace, chance_creator or 0.0)
        return Breakout(
            score=score,
            flagged=score >= self.flag_at,
            chance_workspace_top_decile=chance_workspace,
            workspace_threshold=workspace_threshold,
            chance_beats_creator=chance_creator,
            creator_threshold=creator_threshold,
            forecast=forecast,
        )

    def typical_views(self, age_hours: float) -> float:
        """The workspace's median cumulative views at an age, from the training videos."""
        ages = np.concatenate([[0.0], self._typical_ages])
        views = np.concatenate([[0.0], self._typical_views])
        return float(np.interp(age_hours, ages, views))

    def explanation_facts(
        self,
        observed: Observed,
        *,
        horizon_hours: float = THIRTY_DAYS_HOURS,
        category: str = "",
        creator_history: Sequence[VideoSeries] = (),
    ) -> ExplanationFacts:
        """The numbers an explanation is worded from, so the app can word them in any language."""
        video = as_series(observed, category)
        breakout = self.breakout_score(video, horizon_hours=horizon_hours, creator_history=creator_history)
        age = breakout.forecast.age_hours
        past = _earlier_videos(video, creator_history, age)
        creator_usual = None
        if len(past) >= MIN_CREATOR_VIDEOS:
            creator_usual = float(np.median([cumulative_at(v, np.array([age]))[0] for v in past]))
        return ExplanationFacts(
            breakout=breakout,
            horizon_hours=horizon_hours,
            creator_usual=creator_usual,
            creator_videos=len(past),
            workspace_usual=self.typical_views(age),
            creator_factor=self.creator_factor,
        )

    def explain(
        self,
        observed: Observed,
        *,
        horizon_hours: float = THIRTY_DAYS_HOURS,
        category: str = "",
        creator_history: Sequence[VideoSeries] = (),
    ) -> str:
        """Why a video is or is not a breakout, in words a brand manager can act on."""
        facts = self.explanation_facts(
            observed, horizon_hours=horizon_hours, category=category, creator_history=creator_history
        )
        breakout, forecast = facts.breakout, facts.breakout.forecast
        first = f"first {format_age(forecast.age_hours)}"
        pace = [f"{forecast.observed:,.0f} views in the {first}"]
        if facts.creator_usual is not None:
            pace.append(
                f"{_pace(forecast.observed, facts.creator_usual)} this creator's usual {first} "
                f"(median {facts.creator_usual:,.0f} over {facts.creator_videos} videos)"
            )
        pace.append(
            f"{_pace(forecast.observed, facts.workspace_usual)} the workspace's "
            f"(median {facts.workspace_usual:,.0f})"
        )
        lines = [
            ": ".join([pace[0], ", ".join(pace[1:])]) + ".",
            f"Forecast at {format_age(horizon_hours)}: about {forecast.median:,.0f} views "
            f"(80% range {forecast.low:,.0f} to {forecast.high:,.0f}).",
        ]
        chances = [
            f"{breakout.chance_workspace_top_decile:.0%} chance to end in the workspace's top 10% "
            f"(over {breakout.workspace_threshold:,.0f} views)"
        ]
        if breakout.chance_beats_creator is not None and breakout.creator_threshold is not None:
            chances.append(
                f"{breakout.chance_beats_creator:.0%} to beat {self.creator_factor:g}× this creator's "
                f"p90 ({breakout.creator_threshold:,.0f} views)"
            )
        verdict = "Likely breakout" if breakout.flagged else "No breakout yet"
        lines.append(f"{verdict}: {', '.join(chances)}.")
        return " ".join(lines)

    def _horizon_names(self) -> str:
        return ", ".join(format_age(h) for h in self.horizons) or "none"


def _earlier_videos(
    video: VideoSeries, history: Sequence[VideoSeries], age_hours: float
) -> list[VideoSeries]:
    """The creator's other videos that were followed at least up to `age_hours`."""
    return [
        v for v in history if v.last_age >= age_hours and (not video.video_id or v.video_id != video.video_id)
    ]


def pace(observed: float, usual: float) -> tuple[str, float]:
    """How a video's views compare with the usual: ("ahead" | "par" | "faster" | "slower", factor).

    The factor is how many times faster or slower, rounded to one decimal as explanations show it.
    """
    if usual <= 0:
        return "ahead", 0.0
    ratio = observed / usual
    if 0.95 <= ratio <= 1.05:
        return "par", 1.0
    if ratio > 1:
        return "faster", round(ratio, 1)
    return "slower", round(1 / ratio, 1)


def _pace(observed: float, usual: float) -> str:
    kind, factor = pace(observed, usual)
    return {
        "ahead": "ahead of",
        "par": "on par with",
        "faster": f"{factor:.1f}× faster than",
        "slower": f"{factor:.1f}× slower than",
    }[kind]
