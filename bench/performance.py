"""How fast do metric snapshots go in, and how fast is the performance dashboard on top of them?

On a throw-away database with the demo workspace (SQLite, then PostgreSQL when a server answers on
127.0.0.1:5432), posts spread over the demo's collaborations are polled every hour for 30 days:
10 million snapshots by default. In the same run it times

* the baseline: the same rows written by one plain executemany of the driver (SQLite) or one COPY
  (PostgreSQL) into a table without keys, indexes or anything derived from them;
* the ingest (`performance.ingest.snapshots_ingest`): rows stored under their unique key, missing
  figures carried forward, each post's newest figures and the daily gains per collaboration kept;
* /performance/ as the performance user, 20 requests on top of those 10 million rows, against
  /health/ (the page baseline);
* a TikTok Studio export of 2,000 videos × 30 days through the real file import (parsing, checks,
  posts created, breakout checks), new and then again as updates.

Targets on a 2-core machine: the 10 million snapshots in under 60 s, the dashboard median under
300 ms, the file import at least 1,000 rows/s. Exits 1 when one is missed.

    .venv/bin/python bench/performance.py [--snapshots N] [--backend sqlite|postgresql|both] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from _django import median, percentile, setup_django, throwaway_postgres

TARGET_INGEST_S = 60.0
TARGET_SNAPSHOTS = 10_000_000
TARGET_DASHBOARD_MS = 300.0
TARGET_IMPORT_ROWS_PER_S = 1_000.0
HOURS = 30 * 24
REQUESTS = 20
PRICE = Decimal("24.90")
HEADER = ["Video title", "Video link", "Post time", "Date", "Total views", "Total likes",
          "Total comments", "Total shares", "Add to Favorites"]  # fmt: skip


def polled_rows(post_ids: list[int], start: datetime, hours: int) -> Iterator[tuple[Any, ...]]:
    """Hourly polls of every post, poll by poll: fast growth at first, then flattening."""
    rng = random.Random(7)
    finals = [rng.paretovariate(1.3) * 5_000 for _ in post_ids]
    gmv = [PRICE * n for n in range(50_000)]
    for hour in range(1, hours + 1):
        moment = start + timedelta(hours=hour)
        share = 1 - math.exp(-hour / 72)
        for post_id, final in zip(post_ids, finals, strict=True):
            views = int(final * share)
            orders = min(views // 900, 49_999)
            yield (
                post_id,
                moment,
                views,
                views // 12,
                views // 300,
                views // 500,
                views // 150,
                orders,
                gmv[orders],
            )


def raw_baseline(rows: Iterator[tuple[Any, ...]]) -> float:
    """Write the rows into a bare table: what the database costs before any key, index or rule."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (post_id bigint, taken_at timestamp with time zone, views bigint, "
            "likes bigint, comments bigint, shares bigint, saves bigint, orders bigint, gmv numeric)"
        )
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY bench_bare FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "timestamptz", *["int8"] * 6, "numeric"])
                for row in rows:
                    copy.write_row(row)
        else:
            # The driver's executemany, with each moment converted once, as the ingest does.
            stored: dict[datetime, str | None] = {}
            adapt = connection.ops.adapt_datetimefield_value
            connection.connection.executemany(
                "INSERT INTO bench_bare VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (r[0], stored.get(r[1]) or stored.setdefault(r[1], adapt(r[1])), *r[2:8], str(r[8]))
                    for r in rows
                ),
            )
        cursor.execute("DROP TABLE bench_bare")
    return time.perf_counter() - start


def write_export(path: Path, *, posts: int, days: int) -> int:
    """A TikTok Studio export with a "Date" column: cumulative daily figures per video."""
    rng = random.Random(5)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=days + 30)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for n in range(posts):
            video_id = 7_440_000_000_000_000_000 + n
            posted = start + timedelta(hours=rng.randrange(0, 30 * 24))
            final = int(rng.paretovariate(1.3) * 2_000)
            for day in range(1, days + 1):
                views = int(final * (1 - math.exp(-day / 3)))
                link = f"https://www.tiktok.com/@benchcreator/video/{video_id}"
                moment = (posted + timedelta(days=day)).strftime("%Y-%m-%d %H:%M")
                out.writerow([f"Video {n}", link, posted.strftime("%Y-%m-%d %H:%M"), moment,
                              f"{views:,}", views // 12, views // 300, views // 500, views // 150])  # fmt: skip
                rows += 1
    return rows


def file_import(path: Path, workspace: Any, collaboration: Any) -> float:
    from creatordesk.performance.importing import metrics_import

    start = time.perf_counter()
    with path.open("rb") as upload:
        report = metrics_import(
            workspace=workspace,
            upload=upload,
            filename=path.name,
            platform="tiktok",
            collaboration=collaboration,
            commit=True,
        )
    if not report.committed:
        raise SystemExit(f"import not committed: {report.file_errors} {report.error_rows[:3]}")
    return time.perf_counter() - start


def timed_get(client: Any, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    return elapsed


def run(backend: str, snapshots: int, keep: bool) -> int:
    database_url = None
    if backend == "postgresql":
        database_url = throwaway_postgres()
        if database_url is None:
            print("postgresql: no server on 127.0.0.1:5432, skipped")
            return 0
    folder = setup_django(keep=keep, database_url=database_url)

    from django.test import Client

    from creatordesk.accounts.models import User
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.dashboard.demo import load_demo
    from creatordesk.performance.ingest import snapshots_ingest
    from creatordesk.performance.models import DailyTotal, MetricSnapshot, Post

    workspace = load_demo()
    demo_snapshots = MetricSnapshot.objects.count()
    collaborations = list(Collaboration.objects.filter(workspace=workspace))
    posts_count = math.ceil(snapshots / HOURS)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=HOURS + 1)
    created = Post.objects.bulk_create(
        Post(
            workspace=workspace,
            collaboration=collaborations[n % len(collaborations)],
            platform="tiktok",
            external_id=str(7_460_000_000_000_000_000 + n),  # apart from the demo videos' ids
            posted_at=start,
        )
        for n in range(posts_count)
    )
    post_ids = sorted(post.pk for post in created)  # the demo's own posts are not polled here
    rows = len(post_ids) * HOURS
    print(f"\n== {backend}: {rows:,} snapshots, {len(post_ids):,} posts polled hourly for 30 days ({folder})")

    begin = time.perf_counter()
    produced = sum(1 for _row in polled_rows(post_ids, start, HOURS))
    produce_s = time.perf_counter() - begin
    bare_s = raw_baseline(polled_rows(post_ids, start, HOURS))
    begin = time.perf_counter()
    result = snapshots_ingest(workspace_id=workspace.pk, rows=polled_rows(post_ids, start, HOURS))
    ingest_s = time.perf_counter() - begin
    stored = MetricSnapshot.objects.count() - demo_snapshots
    if produced != rows or result.stored != rows or stored != rows:
        raise SystemExit(f"stored {stored:,} of {rows:,} snapshots")
    print(f"producing the rows in Python alone: {produce_s:.1f} s")
    print(f"baseline, bare table without keys: {bare_s:.1f} s ({rows / bare_s:,.0f} rows/s)")
    print(
        f"ingest: {ingest_s:.1f} s, {rows / ingest_s:,.0f} snapshots/s "
        f"({ingest_s / bare_s:.2f}x the bare table); {DailyTotal.objects.count():,} daily totals kept"
    )

    client = Client()
    client.force_login(User.objects.get(email="performance@lumenhaut.example"))
    for _ in range(3):  # warm-up: templates, translations, the database's page cache
        timed_get(client, "/performance/")
        timed_get(client, "/health/")
    page_ms = [timed_get(client, "/performance/") for _ in range(REQUESTS)]
    health_ms = [timed_get(client, "/health/") for _ in range(REQUESTS)]
    page_median, health = median(page_ms), median(health_ms)
    print(
        f"dashboard /performance/ on {stored:,} snapshots: median {page_median:.1f} ms, "
        f"p95 {percentile(page_ms, 0.95):.1f} ms over {REQUESTS} requests"
    )
    print(f"baseline /health/: median {health:.2f} ms; ratio {page_median / health:.0f}x")

    export = folder / "tiktok-studio-export.csv"
    export_rows = write_export(export, posts=2_000, days=30)
    first_s = file_import(export, workspace, collaborations[0])
    again_s = file_import(export, workspace, collaborations[0])
    import_rate = export_rows / max(first_s, again_s)
    print(
        f"file import, {export_rows:,} rows: {first_s:.1f} s new ({export_rows / first_s:,.0f} rows/s), "
        f"{again_s:.1f} s as updates ({export_rows / again_s:,.0f} rows/s)"
    )

    checks = [
        (f"{TARGET_SNAPSHOTS:,} snapshots in < {TARGET_INGEST_S:.0f} s", rows >= TARGET_SNAPSHOTS, ingest_s < TARGET_INGEST_S),
        (f"dashboard median < {TARGET_DASHBOARD_MS:.0f} ms", True, page_median < TARGET_DASHBOARD_MS),
        (f"file import ≥ {TARGET_IMPORT_ROWS_PER_S:,.0f} rows/s", True, import_rate >= TARGET_IMPORT_ROWS_PER_S),
    ]  # fmt: skip
    failed = False
    for label, full_size, ok in checks:
        state = "met" if ok and full_size else ("MISSED" if not ok else "not measured at full size")
        failed |= not ok
        print(f"{backend}: target {label}: {state}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=TARGET_SNAPSHOTS)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    args = parser.parse_args()
    if args.backend != "both":
        return run(args.backend, args.snapshots, args.keep)
    # One process per database: Django's settings are read once per process.
    codes = [
        subprocess.call([sys.executable, __file__, "--backend", backend, "--snapshots", str(args.snapshots)])
        for backend in ("sqlite", "postgresql")
    ]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
