"""Five uploads to one submission at the same moment: all are stored, numbered 1 to 5.

Real threads, each with its own database connection, post through the staff upload view; the suite
runs this on SQLite and, with DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from creatordesk.reviews import services
from creatordesk.reviews.models import AuditEvent, Version

pytestmark = pytest.mark.django_db(transaction=True)  # the threads must see committed rows

UPLOADS = 5


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_five_concurrent_uploads_to_one_submission_all_succeed_with_distinct_numbers(
    side_a, claim_clip: Path
) -> None:
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Serum", actor=side_a.manager
    )
    clients = []
    for _ in range(UPLOADS):
        client = Client()
        client.force_login(side_a.manager)
        clients.append(client)
    start = threading.Barrier(UPLOADS)
    outcomes: list[object] = []

    def upload(client: Client) -> None:
        try:
            with claim_clip.open("rb") as handle:
                start.wait(timeout=30)
                response = client.post(f"/reviews/{submission.pk}/versions/new/", {"file": handle})
            outcomes.append(response.status_code)
        except Exception as exc:  # a 500 surfaces here as the view's exception
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert outcomes == [302] * UPLOADS
    numbers = sorted(Version.objects.filter(submission=submission).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    uploaded = AuditEvent.objects.filter(submission=submission, verb="version_uploaded")
    assert sorted(e.detail["number"] for e in uploaded) == numbers
    files = [v.file for v in Version.objects.filter(submission=submission)]
    assert len({f.name for f in files}) == UPLOADS
    assert all(f.storage.exists(f.name or "") for f in files)
