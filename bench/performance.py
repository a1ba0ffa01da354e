"""How fast do metric snapshots go in, and how fast is the performance dashboard on top of them?

Writes a TikTok Studio style export with a "Date" column, 2,000 videos × 30 daily snapshots (60,000
rows), and on a throw-away SQLite database with the demo workspace times, in the same run:

* reading the file with the csv module and nothing else (the ingest baseline);
* the committed import through the real import service: posts created, snapshots stored and every
  post checked for a breakout, as a back-filled export goes in;
* the same file again, when every snapshot already exists and is updated;
* /performance/ as the performance user (20 requests) against /health/ (the page baseline).

Targets on a 2-core machine: both imports at least 1,000 snapshots/s (the 60,000-row back-fill in
under 60 s, the bound bench/creator_import.py sets for an import) and a dashboard median under
300 ms. Exits 1 when one is missed.

    .venv/bin/python bench/performance.py [--posts N] [--days N] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _django import median, percentile, setup_django

TARGET_SNAPSHOTS_PER_S = 1_000.0
TARGET_DASHBOARD_MS = 300.0
REQUESTS = 20
HEADER = ["Video title", "Video link", "Post time", "Date", "Total views", "Total likes",
          "Total comments", "Total shares", "Add to Favorites"]  # fmt: skip


def write_export(path: Path, *, posts: int, days: int) -> int:
    """Cumulative daily figures per video, growing fast at first and flattening, like real videos."""
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
                out.writerow(
                    [
                        f"Video {n}",
                        f"https://www.tiktok.com/@benchcreator/video/{video_id}",
                        posted.strftime("%Y-%m-%d %H:%M"),
                        (posted + timedelta(days=day)).strftime("%Y-%m-%d %H:%M"),
                        f"{views:,}",
                        views // 12,
                        views // 300,
                        views // 500,
                        views // 150,
                    ]
                )
                rows += 1
    return rows


def read_only(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _row in csv.reader(handle)) - 1


def run_import(path: Path, workspace: Any, collaboration: Any) -> Any:
    from creatordesk.performance.importing import metrics_import

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
    return report


def timed_get(client: Any, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--posts", type=int, default=2_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    args = parser.parse_args()
    folder = setup_django(keep=args.keep)

    from django.test import Client

    from creatordesk.accounts.models import User
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.dashboard.demo import load_demo
    from creatordesk.performance.models import AmplifyTask, MetricSnapshot, ViralAlert

    workspace = load_demo()
    collaboration = Collaboration.objects.filter(workspace=workspace).first()
    export = folder / "tiktok-studio-export.csv"
    rows = write_export(export, posts=args.posts, days=args.days)
    print(f"export: {rows:,} rows for {args.posts:,} videos × {args.days} days ({folder})")

    start = time.perf_counter()
    read_only(export)
    baseline_s = time.perf_counter() - start

    start = time.perf_counter()
    report = run_import(export, workspace, collaboration)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    run_import(export, workspace, collaboration)
    again_s = time.perf_counter() - start
    stored = MetricSnapshot.objects.filter(workspace=workspace).count()
    if stored != rows or report.posts_created != args.posts:
        raise SystemExit(f"stored {stored} snapshots and {report.posts_created} posts, expected {rows}")

    rate, rate_again = rows / first_s, rows / again_s
    print(f"baseline csv read only: {baseline_s:.2f} s ({rows / baseline_s:,.0f} rows/s)")
    print(
        f"import, new posts: {first_s:.1f} s, {rate:,.0f} snapshots/s ({first_s / baseline_s:.0f}x baseline)"
    )
    print(
        f"import again (updates): {again_s:.1f} s, {rate_again:,.0f} snapshots/s ({again_s / baseline_s:.0f}x)"
    )
    print(
        f"flagged: {ViralAlert.objects.filter(workspace=workspace).count()} alerts, "
        f"{AmplifyTask.objects.filter(workspace=workspace).count()} Spark Ads requests"
    )

    client = Client()
    client.force_login(User.objects.get(email="performance@lumenhaut.example"))
    for _ in range(3):  # warm-up: templates, translations, SQLite page cache
        timed_get(client, "/performance/")
        timed_get(client, "/health/")
    page_ms = [timed_get(client, "/performance/") for _ in range(REQUESTS)]
    health_ms = [timed_get(client, "/health/") for _ in range(REQUESTS)]
    page_median, health = median(page_ms), median(health_ms)
    print(
        f"dashboard /performance/: median {page_median:.1f} ms, "
        f"p95 {percentile(page_ms, 0.95):.1f} ms over {REQUESTS} requests"
    )
    print(f"baseline /health/: median {health:.2f} ms; ratio {page_median / health:.0f}x")

    ingest_ok = min(rate, rate_again) >= TARGET_SNAPSHOTS_PER_S
    page_ok = page_median < TARGET_DASHBOARD_MS
    print(f"target ingest ≥ {TARGET_SNAPSHOTS_PER_S:,.0f} snapshots/s: {'met' if ingest_ok else 'MISSED'}")
    print(f"target dashboard median < {TARGET_DASHBOARD_MS:.0f} ms: {'met' if page_ok else 'MISSED'}")
    return 0 if ingest_ok and page_ok else 1


if __name__ == "__main__":
    sys.exit(main())
