"""View counts of one video as they were polled: cumulative views at ages in hours since posting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

HOURS_PER_DAY = 24.0


@dataclass(frozen=True)
class VideoSeries:
    """Cumulative views of one video at the ages (hours since posting) it was polled."""

    video_id: str
    ages_hours: tuple[float, ...]
    views: tuple[float, ...]
    category: str = ""
    creator_id: str = ""

    def __post_init__(self) -> None:
        if len(self.ages_hours) != len(self.views):
            raise ValueError(f"{self.video_id}: {len(self.ages_hours)} ages but {len(self.views)} counts")
        if any(age <= 0 for age in self.ages_hours):
            raise ValueError(f"{self.video_id}: ages must be positive hours since posting")
        if any(count < 0 for count in self.views):
            raise ValueError(f"{self.video_id}: view counts cannot be negative")

    @classmethod
    def from_daily(
        cls, video_id: str, daily_views: ArrayLike, category: str = "", creator_id: str = ""
    ) -> VideoSeries:
        """A series from views per day (day 1 = the first 24 hours), as the analytics exports give them."""
        cumulative = np.cumsum(np.asarray(daily_views, dtype=float))
        ages = tuple(HOURS_PER_DAY * day for day in range(1, len(cumulative) + 1))
        return cls(video_id, ages, tuple(float(v) for v in cumulative), category, creator_id)

    @property
    def last_age(self) -> float:
        return max(self.ages_hours, default=0.0)

    def until(self, age_hours: float) -> VideoSeries:
        """The series as it was known at `age_hours`: only the polls made by then."""
        kept = [(a, v) for a, v in zip(self.ages_hours, self.views, strict=True) if a <= age_hours]
        return VideoSeries(
            self.video_id,
            tuple(a for a, _ in kept),
            tuple(v for _, v in kept),
            self.category,
            self.creator_id,
        )


def as_series(observed: VideoSeries | Mapping[float, float], category: str = "") -> VideoSeries:
    """Accept either a series or a plain {age_hours: cumulative_views} mapping."""
    if isinstance(observed, VideoSeries):
        return observed
    ages = sorted(observed)
    return VideoSeries("", tuple(float(a) for a in ages), tuple(float(observed[a]) for a in ages), category)


def cumulative_at(series: VideoSeries, ages_hours: ArrayLike) -> NDArray[np.float64]:
    """Cumulative views at the given ages, linear between polls; NaN after the last poll.

    A video has no views at age 0, so the first poll is joined to (0, 0). Counts that go down between
    polls (a platform removing invalid views) are held at their running maximum, so the curve never
    decreases.
    """
    order = np.argsort(series.ages_hours, kind="stable")
    ages = np.concatenate([[0.0], np.asarray(series.ages_hours, dtype=float)[order]])
    views = np.concatenate([[0.0], np.maximum.accumulate(np.asarray(series.views, dtype=float)[order])])
    at = np.asarray(ages_hours, dtype=float)
    return np.where(at > ages[-1], np.nan, np.interp(at, ages, views))


def format_age(hours: float) -> str:
    """'6 hours', '1 hour', '3 days', '2.5 days': how a person would say a video's age."""
    if hours < 48:
        value, unit = hours, "hour"
    else:
        value, unit = hours / HOURS_PER_DAY, "day"
    text = f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"
    return f"{text} {unit}" + ("" if text == "1" else "s")
