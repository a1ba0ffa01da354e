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


def setup_django(*, keep: bool = False) -> Path:
    """Configure Django on an empty, migrated SQLite database; returns the folder that holds it."""
    var_dir = Path(tempfile.mkdtemp(prefix="creatordesk-bench-"))
    if not keep:
        atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    os.environ["CREATORDESK_VAR_DIR"] = str(var_dir)
    # The targets are stated for SQLite, the default set-up; a DATABASE_URL from the shell must not
    # point the benchmark at a real database.
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "creatordesk.settings"
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # allows the test client's host and keeps mail in memory
    call_command("migrate", verbosity=0)
    return var_dir


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)
