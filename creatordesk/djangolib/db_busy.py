"""Writes that wait out a busy SQLite database instead of failing.

SQLite lets one writer at a time hold the database. A writer that cannot get the lock waits for the
busy timeout (20 s, `DATABASES["default"]["OPTIONS"]["timeout"]`) and then raises "database is
locked" (https://www.sqlite.org/rescode.html#busy). A web request that commits a very large import
can hold the lock for longer than that; background work that must not fail because of it (the
pre-review's progress and result) runs its writes through `retry_when_locked`, which tries again
with growing pauses. PostgreSQL locks rows, not the database, and never raises this error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import OperationalError, connection

log = logging.getLogger(__name__)

# Each attempt already waits up to the busy timeout inside SQLite, so six attempts with pauses of
# 0.5 + 1 + 2 + 4 + 8 s ride out a lock held for about two minutes.
ATTEMPTS = 6
FIRST_PAUSE_S = 0.5


def is_locked_error(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "is locked" in str(exc).lower()


def retry_when_locked[T](
    write: Callable[[], T], *, attempts: int = ATTEMPTS, first_pause_s: float = FIRST_PAUSE_S
) -> T:
    """Call `write`; while it fails with "database is locked", pause and call it again.

    `write` must be safe to repeat: a failed attempt has written nothing, because SQLite raises the
    error before the statement (or the `transaction.atomic()` block inside `write`) changes a row.
    Inside an outer transaction a retry is not possible (the transaction is broken), so the error is
    raised at once.
    """
    pause = first_pause_s
    for attempt in range(1, attempts):
        try:
            return write()
        except OperationalError as exc:
            if not is_locked_error(exc) or connection.in_atomic_block:
                raise
            log.warning("Database is locked (attempt %s of %s); retrying in %.1f s", attempt, attempts, pause)
            time.sleep(pause)
            pause *= 2
    return write()
