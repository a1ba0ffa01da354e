"""Reading daily view counts from CSV: `video_id, category, day_1, day_2, ...` (views per day, not cumulative).

This is the layout of the ACTIVE YouTube dataset (Rizoiu et al., WWW 2017) and of a day-by-day
analytics export. A row may stop early (trailing empty or `NA` cells): the video was followed for
fewer days.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path

from creatordesk.performance.viral.series import VideoSeries

MISSING = {"", "NA", "NaN", "nan"}


class DataError(ValueError):
    """A data file that cannot be used, described in one line."""


def read_daily_views(path: Path) -> list[VideoSeries]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return _parse(path, csv.reader(handle))
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a UTF-8 text file") from None
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None


def _parse(path: Path, rows: Iterator[list[str]]) -> list[VideoSeries]:
    header = [cell.strip() for cell in next(rows, [])]
    days = [f"day_{d}" for d in range(1, len(header) - 1)]
    if header[:2] != ["video_id", "category"] or not days or header[2:] != days:
        raise DataError(f"{path}: expected the columns video_id, category, day_1, day_2, ...")
    videos: list[VideoSeries] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{path}, line {line}"
        if len(row) > len(header):
            raise DataError(f"{where}: {len(row)} cells, but the header has {len(header)} columns")
        video_id, category = row[0].strip(), (row[1].strip() if len(row) > 1 else "")
        if not video_id:
            raise DataError(f"{where}: no video_id")
        if video_id in seen:
            raise DataError(f"{where}: video {video_id} appears twice")
        seen.add(video_id)
        daily = _daily_views(where, row[2:])
        if not daily:
            raise DataError(f"{where}: no view counts for {video_id}")
        videos.append(VideoSeries.from_daily(video_id, daily, "" if category in MISSING else category))
    if not videos:
        raise DataError(f"{path}: no videos")
    return videos


def _daily_views(where: str, cells: list[str]) -> list[float]:
    values = [cell.strip() for cell in cells]
    while values and values[-1] in MISSING:
        values.pop()
    daily = []
    for day, cell in enumerate(values, start=1):
        try:
            count = float(cell)
        except ValueError:
            raise DataError(f"{where}: day_{day} is {cell!r}, not a view count") from None
        if not math.isfinite(count) or count < 0:
            raise DataError(f"{where}: day_{day} is {cell!r}, not a view count")
        daily.append(count)
    return daily
