"""How fast does a 50,000-row creator list import, compared with just reading the CSV?

Writes a 50,000-row CSV as a TikTok Creator Marketplace export looks (some handles repeated further
down in other letter case and with "@", figures like "12,3k", a few broken rows), then times, in the
same run, on a throw-away SQLite database:

* reading the file with the csv module and nothing else (the baseline);
* the dry run (parse, validate, match against the workspace, count);
* the commit into an empty workspace, skipping the broken rows;
* importing the same file again, when every row updates an existing creator;
* the same commit as the task worker runs it for a large file: checked, then written in chunks of
  IMPORT_CHUNK_ROWS, each a short transaction (into a second empty workspace).

Target on a 2-core machine: each commit under 60 s. Exits 1 when it is missed.

    .venv/bin/python bench/creator_import.py [--rows N] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _django import setup_django

TARGET_COMMIT_S = 60.0
HEADER = [
    "Creator name", "Creator username", "Followers", "Avg. views", "Engagement rate", "GMV (€)",
    "Email", "Country", "Languages", "Categories", "Tags",
]  # fmt: skip


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(11)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            if i > 1000 and i % 50 == 0:
                # A repeat of an earlier creator, spelled as people type handles.
                handle_text = f"@Creator.{rng.randrange(i - 1000)}".upper()
            else:
                handle_text = f"creator.{i}" if i % 3 else f"Creator.{i}"
            followers = rng.randrange(1000, 2_000_000)
            out.writerow([
                f"Creator {i}",
                handle_text,
                f"{followers / 1000:.1f}k" if i % 4 == 0 else f"{followers:,}",
                str(rng.randrange(100, 500_000)),
                f"{rng.uniform(0.3, 15):.2f}%",
                f"{rng.uniform(0, 50_000):.2f}",
                "not-an-email" if i % 1000 == 999 else f"creator{i}@bench.example",
                rng.choice(["DE", "AT", "Germany", "FR", "IT", "ES"]),
                rng.choice(["de", "de, en", "German, English", "fr"]),
                rng.choice(["skincare", "skincare, beauty", "fitness", "food"]),
                rng.choice(["", "vip", "gifting"]),
            ])  # fmt: skip


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the database folder and the CSV")
    args = parser.parse_args()
    folder = setup_django(keep=args.keep)

    from django.conf import settings
    from django.core.files import File

    from creatordesk.accounts.services import user_create, workspace_create
    from creatordesk.creators import import_jobs, imports
    from creatordesk.creators.models import Creator, ImportJob, PlatformAccount

    path = folder / "creators.csv"
    write_csv(path, args.rows)
    owner = user_create(email="owner@bench.example", password=None)
    workspace = workspace_create(name="Bench brand", owner=owner)
    print(f"{args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB ({folder})")

    def upload() -> imports.StoredImport:
        with path.open("rb") as handle:
            return imports.import_upload(workspace=workspace, upload=File(handle, name=path.name))

    def read_only() -> int:
        with path.open(newline="", encoding="utf-8") as handle:
            return sum(1 for _row in csv.reader(handle))

    _rows, parse_s = timed(read_only)
    stored = upload()
    plan, dry_s = timed(lambda: imports.import_dry_run(workspace=workspace, stored=stored))
    before = Creator.objects.count()
    _plan, commit_s = timed(
        lambda: imports.import_commit(workspace=workspace, stored=stored, actor=owner, skip_errors=True)
    )
    created = Creator.objects.count() - before
    stored = upload()
    again, again_s = timed(
        lambda: imports.import_commit(workspace=workspace, stored=stored, actor=owner, skip_errors=True)
    )

    other = workspace_create(name="Bench brand, chunked", owner=owner)
    chunked = imports.import_upload(workspace=other, upload=File(path.open("rb"), name=path.name))
    imports.import_set_mapping(
        stored=chunked,
        columns=chunked.columns,
        default_platform=chunked.default_platform,
        decimal_comma=chunked.decimal_comma,
    )
    job = import_jobs.job_start(
        workspace=other,
        kind=ImportJob.Kind.CREATORS,
        token=chunked.token,
        commit=True,
        options={"mapping": import_jobs.mapping_key(chunked), "skip_errors": True},
        actor=owner,
    )
    _none, job_s = timed(lambda: import_jobs.job_run(job_id=job.pk))
    job.refresh_from_db()
    chunks = -(-job.rows_total // settings.IMPORT_CHUNK_ROWS)

    print(
        f"plan: {plan.new_count:,} new, {plan.updated_count:,} updated, {plan.repeated_rows:,} repeated rows, "
        f"{plan.error_rows:,} rows with errors"
    )
    print(f"baseline csv module: {parse_s:.2f} s ({args.rows / parse_s:,.0f} rows/s)")
    print(
        f"as a job, {chunks} chunks of {settings.IMPORT_CHUNK_ROWS}: {job_s:.2f} s in all, "
        f"{(job_s - dry_s) / max(chunks, 1) * 1000:.0f} ms per chunk transaction on average (the write lock is held per chunk)"
    )
    for label, seconds in (("dry run", dry_s), ("commit (new)", commit_s), ("commit (updates)", again_s)):
        print(
            f"{label}: {seconds:.2f} s ({args.rows / seconds:,.0f} rows/s, {seconds / parse_s:.0f}x the baseline)"
        )

    problems = []
    if (
        created != plan.new_count
        or PlatformAccount.objects.filter(workspace=workspace).count() != plan.new_count
    ):
        problems.append(f"created {created:,} creators, the dry run said {plan.new_count:,}")
    if again.new_count or again.updated_count != plan.new_count:
        problems.append(f"the second import planned {again.new_count:,} new creators")
    if job.status != "done" or job.counts.get("new") != plan.new_count:
        problems.append(f"the job ended {job.status} with {job.counts} ({job.error})")
    for problem in problems:
        print("WRONG: " + problem)
    ok = max(commit_s, again_s) < TARGET_COMMIT_S
    print(f"target commit < {TARGET_COMMIT_S:.0f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
