"""Writes through `retry_when_locked` outlast another connection holding SQLite's write lock."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django_tasks_db.models import DBTaskResult

from creatordesk.djangolib.db_busy import retry_when_locked
from creatordesk.reviews.tasks import analyse_version

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def write_lock_held_for(seconds: float) -> Iterator[None]:
    """Another connection (a web request committing a large import) holds the write lock."""
    taken = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait()
    try:
        yield
    finally:
        holder.join()


@pytest.fixture
def short_busy_timeout() -> None:
    """Stands in for a lock held longer than the 20 s busy timeout, without waiting that long."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite locks the whole database for one writer")
    connection.ensure_connection()
    connection.connection.execute("PRAGMA busy_timeout = 100")


def test_a_write_fails_while_another_connection_holds_the_lock(short_busy_timeout) -> None:
    with write_lock_held_for(1.0), pytest.raises(OperationalError, match="locked"):
        analyse_version.enqueue(version_id=1)


def test_a_retried_write_goes_through_once_the_lock_is_released(short_busy_timeout) -> None:
    with write_lock_held_for(1.0):
        retry_when_locked(lambda: analyse_version.enqueue(version_id=1))
    assert DBTaskResult.objects.count() == 1
