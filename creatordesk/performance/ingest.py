"""Storing metric snapshots in bulk, and keeping the figures derived from them up to date.

A connector poll brings a handful of rows, a platform export or a back-fill millions. All of them go
through `snapshots_ingest`, which

* stores the rows; a row for a moment the post already has replaces it;
* fills a figure the source does not report (None) from the post's previous snapshot, so an
  orders-only export does not wipe the views a connector recorded;
* keeps each post's newest figures on the post (`Post.metrics_at`, `Post.views`, ...);
* keeps the daily gains per collaboration (`DailyTotal`) that the dashboard charts read.

Rows usually come later than anything stored for their post, as polling produces them. Those are
appended straight away (one executemany on SQLite, COPY on PostgreSQL) and only the post's newest
figures are needed to derive the rest. A row at or before a post's newest snapshot (a back-fill or a
correction) makes that post's stored history be read back, and its daily gains recomputed.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import batched
from operator import itemgetter
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from creatordesk.performance.connectors import METRIC_FIELDS
from creatordesk.performance.models import DailyTotal, MetricSnapshot, Post

FIGURES = METRIC_FIELDS  # the seven figures of models.Figures, in the order used throughout
# (post id, taken at, views, likes, comments, shares, saves, orders, GMV); a figure may be None.
Row = tuple[int, datetime, Any, Any, Any, Any, Any, Any, Any]
Figures = tuple[Any, ...]  # the seven figures, in FIGURES order
VIEWS, ORDERS, GMV = (FIGURES.index(name) for name in ("views", "orders", "gmv_eur"))
ZERO: Figures = (0, 0, 0, 0, 0, 0, Decimal(0))
# Rows are grouped by post a chunk at a time; larger chunks write the (post, moment) index in longer
# runs, which is what makes a bulk ingest fast, at about 60 MB of memory per 250,000 rows.
CHUNK_ROWS = 250_000
SQLITE_CACHE_KIB = 256 * 1024


class UnknownPostError(ValueError):
    """A row names a post that does not exist in the workspace."""


@dataclass
class _PostState:
    collaboration_id: int
    metrics_at: datetime | None
    figures: Figures


@dataclass
class IngestResult:
    stored: int = 0
    newest: dict[int, datetime] = field(default_factory=dict)  # post id: its newest snapshot's moment


# Gains per (collaboration id, day): [views, orders, GMV].
Gains = defaultdict[tuple[int, date], list[Any]]


def _new_gains() -> Gains:
    return defaultdict(lambda: [0, 0, Decimal(0)])


def snapshots_ingest(*, workspace_id: int, rows: Iterable[Row]) -> IngestResult:
    """Store the rows of posts of one workspace in one transaction; see the module text."""
    result = IngestResult()
    states: dict[int, _PostState] = {}
    gains = _new_gains()
    moments = _Moments()
    with transaction.atomic(), _sqlite_cache(SQLITE_CACHE_KIB):
        for chunk in batched(rows, CHUNK_ROWS):
            result.stored += _ingest_chunk(workspace_id, chunk, states, gains, moments)
        _gains_write(workspace_id, gains)
        _posts_write(states, moments)
    result.newest = {pk: state.metrics_at for pk, state in states.items() if state.metrics_at}
    return result


@contextmanager
def _sqlite_cache(kib: int) -> Iterator[None]:
    """A larger SQLite page cache while rows go in: the (post, moment) index stays in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        # On the driver's connection: after a failed statement Django refuses new queries until
        # the rollback, and the real error must not be hidden by this one.
        connection.connection.execute(f"PRAGMA cache_size = {int(before)}")


class _Moments:
    """The database value and the local day of each moment, worked out once per distinct moment.

    Polls take many posts' figures at the same moment, so a few thousand moments serve millions of
    rows.
    """

    def __init__(self) -> None:
        self.tz = timezone.get_current_timezone()
        self.sqlite = connection.vendor == "sqlite"
        self.cache: dict[datetime, tuple[Any, date, datetime]] = {}

    def get(self, moment: datetime) -> tuple[Any, date, datetime]:
        """(database value, local day, the moment in UTC)."""
        found = self.cache.get(moment)
        if found is None:
            if len(self.cache) > 1_000_000:
                self.cache.clear()
            # In UTC: two zones' readings of the same instant in the hour the clocks go back do not
            # compare equal in Python.
            utc = moment.astimezone(UTC)
            stored = connection.ops.adapt_datetimefield_value(utc) if self.sqlite else utc
            found = self.cache[moment] = (stored, timezone.localtime(utc, self.tz).date(), utc)
        return found

    def day(self, moment: datetime) -> date:
        return self.get(moment)[1]


def _ingest_chunk(
    workspace_id: int,
    chunk: tuple[Row, ...],
    states: dict[int, _PostState],
    gains: Gains,
    moments: _Moments,
) -> int:
    by_post: dict[int, list[Row]] = {}
    for row in chunk:
        by_post.setdefault(row[0], []).append(row)
    _states_load(workspace_id, [pk for pk in by_post if pk not in states], states)
    appended: list[tuple[Any, ...]] = []
    rewritten: dict[int, list[Row]] = {}
    for post_id, post_rows in by_post.items():
        post_rows.sort(key=itemgetter(1))
        state = states[post_id]
        if state.metrics_at is not None and post_rows[0][1] <= state.metrics_at:
            rewritten[post_id] = post_rows
        else:
            _append_post(workspace_id, post_rows, state, gains, moments, appended)
    _append(appended)
    stored = len(appended)
    if rewritten:
        stored += _rewrite(workspace_id, rewritten, states, gains, moments)
    return stored


def _append_post(
    workspace_id: int,
    rows: list[Row],
    state: _PostState,
    gains: Gains,
    moments: _Moments,
    appended: list[tuple[Any, ...]],
) -> None:
    """Queue one post's rows, all later than its newest snapshot, and add up what they gain per day.

    This loop runs once per row of a bulk ingest, so it is written for speed: no helper calls on
    the common path, and each day's gain is added once, when the next day starts.
    """
    cache, known = moments.cache, state.metrics_at
    base = state.figures
    day = moments.day(known) if known is not None else None
    post_id, collaboration_id = rows[0][0], state.collaboration_id
    add = appended.append
    text_gmv = moments.sqlite  # SQLite takes decimals as text; COPY takes them as they are
    previous: Row | None = None  # the row before, in this batch
    for row in rows:
        entry = cache.get(row[1]) or moments.get(row[1])  # (database value, local day, UTC moment)
        moment = entry[2]
        if None in row:
            before = previous[2:] if previous is not None else state.figures
            row = (
                post_id,
                moment,
                *(old if new is None else new for old, new in zip(before, row[2:], strict=True)),
            )
        if moment == known:  # a second row for the same moment: it replaces the first
            appended.pop()
        elif entry[1] != day:
            last = previous[2:] if previous is not None else state.figures
            if day is not None:
                _gain(gains, collaboration_id, day, last, base)
            base, day = last, entry[1]
        gmv = row[8] or 0
        add((workspace_id, post_id, entry[0], row[2], row[3], row[4], row[5], row[6], row[7],
             str(gmv) if text_gmv and gmv else gmv))  # fmt: skip
        previous, known = row, moment
    last = previous[2:]  # type: ignore[index]
    _gain(gains, collaboration_id, day, last, base)  # type: ignore[arg-type]
    state.metrics_at, state.figures = known, last


def _states_load(workspace_id: int, post_ids: list[int], states: dict[int, _PostState]) -> None:
    for ids in batched(post_ids, 500):
        # Locked until the end of the transaction: two ingests of one post at the same time would
        # both start from the same newest figures and count the same gain twice.
        found = (
            Post.objects.filter(workspace_id=workspace_id, pk__in=ids)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", "collaboration_id", "metrics_at", *FIGURES)
        )
        for pk, collaboration_id, metrics_at, *figures in found:
            states[pk] = _PostState(collaboration_id, metrics_at, tuple(figures))
        missing = [pk for pk in ids if pk not in states]
        if missing:
            raise UnknownPostError(f"no such post in this workspace: {missing[0]}")


def _db_figures(figures: Figures) -> Figures:
    gmv = figures[GMV]
    return (*figures[:GMV], str(gmv) if gmv else 0)


def _add_gains(
    gains: Gains,
    collaboration_id: int,
    series: list[tuple[datetime, Figures]],
    start: Figures,
    start_at: datetime | None,
    moments: _Moments,
    sign: int = 1,
) -> None:
    """Add what the series gains on each day over `start` (the figures at `start_at`)."""
    base, day = start, (moments.day(start_at) if start_at is not None else None)
    last = start
    for moment, figures in series:
        new_day = moments.day(moment)
        if new_day != day:
            if day is not None:
                _gain(gains, collaboration_id, day, last, base, sign)
            base, day = last, new_day
        last = figures
    if day is not None:
        _gain(gains, collaboration_id, day, last, base, sign)


def _gain(
    gains: Gains, collaboration_id: int, day: date, last: Figures, base: Figures, sign: int = 1
) -> None:
    total = gains[(collaboration_id, day)]
    total[0] += sign * (last[VIEWS] - base[VIEWS])
    total[1] += sign * (last[ORDERS] - base[ORDERS])
    total[2] += sign * (Decimal(last[GMV]) - Decimal(base[GMV]))


def _rewrite(
    workspace_id: int,
    rewritten: dict[int, list[Row]],
    states: dict[int, _PostState],
    gains: Gains,
    moments: _Moments,
) -> int:
    """Merge rows into posts' stored histories: take the old gains out and put the new ones in.

    A few hundred posts at a time, so memory holds only their histories.
    """
    stored_rows = 0
    for ids in batched(rewritten, 500):
        history = dict(_histories(workspace_id, post_ids=ids))
        objs: dict[tuple[int, datetime], MetricSnapshot] = {}  # one per moment: the last row wins
        for post_id in ids:
            state, old = states[post_id], history.get(post_id, [])
            series = _merged(old, rewritten[post_id])
            for moment, figures in series.changed.items():
                objs[(post_id, moment)] = MetricSnapshot(
                    workspace_id=workspace_id,
                    post_id=post_id,
                    taken_at=moment,
                    **dict(zip(FIGURES, figures, strict=True)),
                )
            _add_gains(gains, state.collaboration_id, old, ZERO, None, moments, sign=-1)
            _add_gains(gains, state.collaboration_id, series.points, ZERO, None, moments)
            state.metrics_at, state.figures = series.points[-1]
        MetricSnapshot.objects.bulk_create(
            list(objs.values()),
            update_conflicts=True,
            unique_fields=["post", "taken_at"],
            update_fields=list(FIGURES),
        )
        stored_rows += len(objs)
    return stored_rows


@dataclass
class _Merged:
    points: list[tuple[datetime, Figures]]  # the whole history, in time order
    changed: dict[datetime, Figures]  # the moments the rows wrote


def _merged(old: list[tuple[datetime, Figures]], rows: list[Row]) -> _Merged:
    """A post's stored history with the rows merged in (all moments in UTC).

    A missing figure keeps the value stored for that moment, or else the one before it.
    """
    merged = dict(old)
    order = [moment for moment, _figures in old]
    changed = {}
    for row in rows:
        moment = row[1].astimezone(UTC)
        if moment in merged:
            base = merged[moment]
        else:
            index = bisect.bisect_left(order, moment)
            base = merged[order[index - 1]] if index else ZERO
            order.insert(index, moment)
        figures = tuple(base[i] if value is None else value for i, value in enumerate(row[2:]))
        merged[moment] = changed[moment] = figures
    return _Merged([(moment, merged[moment]) for moment in order], changed)


_COLUMNS = ("workspace_id", "post_id", "taken_at", *FIGURES)
_COPY_TYPES = ["int8", "int8", "timestamptz", *["int8"] * 6, "numeric"]  # binary COPY: no text parsing


def _upsert_sql() -> str:
    table = connection.ops.quote_name(MetricSnapshot._meta.db_table)
    return (
        f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))}) "
        "ON CONFLICT (post_id, taken_at) DO UPDATE SET "
        + ", ".join(f"{name} = excluded.{name}" for name in FIGURES)
    )


def _append(rows: list[tuple[Any, ...]]) -> None:
    """Insert rows later than anything stored for their posts, as fast as the database allows."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(MetricSnapshot._meta.db_table)
        try:
            sql = f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
            with (
                transaction.atomic(),
                connection.cursor() as cursor,
                connection.wrap_database_errors,
                cursor.cursor.copy(sql) as copy,
            ):
                copy.set_types(_COPY_TYPES)
                for row in rows:
                    copy.write_row(row)
            return
        except IntegrityError:
            pass  # another writer stored one of these moments meanwhile: upsert row by row instead
    elif connection.vendor == "sqlite":
        # The driver's own executemany on this transaction's connection: Django's cursor wrapper
        # would add a Python step per row.
        with connection.wrap_database_errors:
            connection.connection.executemany(_upsert_sql().replace("%s", "?"), rows)
        return
    with connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(), rows)


def _gains_write(workspace_id: int, gains: Gains) -> None:
    rows = [
        (
            workspace_id,
            collaboration_id,
            connection.ops.adapt_datefield_value(day),
            views,
            orders,
            connection.ops.adapt_decimalfield_value(gmv, 16, 2),
        )
        for (collaboration_id, day), (views, orders, gmv) in gains.items()
        if views or orders or gmv
    ]
    if not rows:
        return
    table = connection.ops.quote_name(DailyTotal._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (workspace_id, collaboration_id, day, views, orders, gmv_eur) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (collaboration_id, day) DO UPDATE SET "
            f"views = {table}.views + excluded.views, orders = {table}.orders + excluded.orders, "
            f"gmv_eur = {table}.gmv_eur + excluded.gmv_eur",
            rows,
        )


def _posts_write(states: dict[int, _PostState], moments: _Moments) -> None:
    """Every post with rows in the batch has new figures; a post without any snapshot keeps none."""
    rows = [
        (moments.get(state.metrics_at)[0], *_db_figures(state.figures), pk)
        for pk, state in states.items()
        if state.metrics_at is not None
    ]
    if not rows:
        return
    table = connection.ops.quote_name(Post._meta.db_table)
    assignments = ", ".join(f"{name} = %s" for name in ("metrics_at", *FIGURES))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)


def post_gains_forget(*, post: Post) -> None:
    """Take a post's gains out of the daily totals; called as the post is deleted."""
    gains = _new_gains()
    moments = _Moments()
    for _post_id, history in _histories(post.workspace_id, post_ids=[post.pk]):
        _add_gains(gains, post.collaboration_id, history, ZERO, None, moments, sign=-1)
    _gains_write(post.workspace_id, gains)


def figures_rebuild(*, workspace_id: int) -> int:
    """Derive every post's newest figures and the daily gains of a workspace again from its snapshots.

    For repairs: after snapshots were deleted or moved by hand. Returns the number of posts.
    """
    moments = _Moments()
    gains = _new_gains()
    states: dict[int, _PostState] = {}
    with transaction.atomic():
        DailyTotal.objects.filter(workspace_id=workspace_id).delete()
        posts = Post.objects.filter(workspace_id=workspace_id)
        for pk, collaboration_id in posts.values_list("pk", "collaboration_id"):
            states[pk] = _PostState(collaboration_id, None, ZERO)
        for post_id, series in _histories(workspace_id):
            state = states.get(post_id)
            if state is None:
                continue  # left behind by a post deleted outside Django; not counted
            _add_gains(gains, state.collaboration_id, series, ZERO, None, moments)
            state.metrics_at, state.figures = series[-1]
        posts.update(metrics_at=None, **dict(zip(FIGURES, ZERO, strict=True)))
        _gains_write(workspace_id, gains)
        _posts_write(states, moments)
    return len(states)


def _histories(
    workspace_id: int, *, post_ids: Iterable[int] | None = None
) -> Iterator[tuple[int, list[tuple[datetime, Figures]]]]:
    """(post id, its stored snapshots in time order) for each post with any; all, or those given."""
    snapshots = MetricSnapshot.objects.filter(workspace_id=workspace_id)
    if post_ids is not None:
        snapshots = snapshots.filter(post_id__in=list(post_ids))
    rows = snapshots.order_by("post_id", "taken_at").values_list("post_id", "taken_at", *FIGURES)
    current: int | None = None
    series: list[tuple[datetime, Figures]] = []
    for post_id, moment, *figures in rows.iterator(chunk_size=10_000):
        if post_id != current:
            if current is not None:
                yield current, series
            current, series = post_id, []
        series.append((moment, tuple(figures)))
    if current is not None:
        yield current, series
