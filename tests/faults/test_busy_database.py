"""A pre-review outlasts a web request that holds SQLite's write lock longer than the busy timeout.

The reliability review: a 200k-row CSV import committing in a web request held the lock for over
20 s (the busy timeout), and the pre-review running at that moment failed with "database is
locked". The pre-review's writes now wait and try again (creatordesk/djangolib/db_busy.py). The busy
timeout is shortened to 0.1 s here so that a lock of 1.5 s stands for one of over 20 s.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from django.db import connection

from creatordesk.reviews import services
from creatordesk.reviews.models import AnalysisStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


def test_a_review_started_while_an_import_holds_the_write_lock_finishes(
    side_a, claim_clip, monkeypatch, caplog
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite locks the whole database for one writer")
    monkeypatch.setenv("CREATORDESK_WHISPER_MODEL", "tiny.en")
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Busy", actor=side_a.creator
    )
    version = services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="v.mp4",
    )
    connection.ensure_connection()
    connection.connection.execute("PRAGMA busy_timeout = 100")
    taken = threading.Event()

    def import_commit() -> None:
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(1.5)
        other.execute("COMMIT")
        other.close()

    web_request = threading.Thread(target=import_commit)
    web_request.start()
    taken.wait()
    try:
        services.version_analyse(version=version)
    finally:
        web_request.join()

    version.refresh_from_db()
    assert version.analysis_status == AnalysisStatus.DONE, version.analysis_error
    assert version.findings.filter(category="medical_claim").count() == 1
    assert "Database is locked" in caplog.text  # it did meet the lock, and waited
