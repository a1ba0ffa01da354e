"""Django for benchmarks run as plain scripts: a fresh SQLite database in a throw-away folder.

Imported before anything else from Django or the project, because the settings read
CREATORDESK_VAR_DIR once, at import time.
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(*, keep: bool = False, database_url: str | None = None) -> Path:
    """Configure Django on an empty, migrated database; returns the folder that holds its files.

    SQLite in that folder by default; `database_url` names an empty PostgreSQL database instead.
    """
    var_dir = Path(tempfile.mkdtemp(prefix="creatordesk-bench-"))
    if not keep:
        atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    os.environ["CREATORDESK_VAR_DIR"] = str(var_dir)
    # A DATABASE_URL from the shell must never point a benchmark at a real database.
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "creatordesk.settings"
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # allows the test client's host and keeps mail in memory
    call_command("migrate", verbosity=0)
    return var_dir


def throwaway_postgres(server: str = "postgres://postgres@127.0.0.1:5432") -> str | None:
    """Create an empty PostgreSQL database that is dropped at exit; None when no server answers."""
    import psycopg

    name = f"creatordesk_bench_{os.getpid()}"
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as admin:
            admin.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError:
        return None

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    atexit.register(drop)
    return f"{server}/{name}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)
