"""Resumable uploads: a dropped connection costs only the chunk in flight, and the file meets every usual check."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from creatordesk.creators.portal import portal_token_for
from creatordesk.reviews import chunked_uploads
from creatordesk.reviews.models import Submission, UploadSession, Version

pytestmark = pytest.mark.django_db


def _portal(creator) -> str:
    return f"/creators/portal/{portal_token_for(creator)}/"


def _start(client: Client, url: str, *, name: str, size: int, **fields: str):
    return client.post(url, {"name": name, "size": size, "type": "video/mp4", **fields})


def _patch(client: Client, url: str, offset: int, data: bytes):
    return client.patch(
        url, data, content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET=str(offset)
    )


def _partials() -> list[Path]:
    folder = chunked_uploads.partial_folder()
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_creator_resumes_from_the_offset_the_server_reports_and_gets_the_same_bytes(
    side_a, claim_clip: Path, client: Client
) -> None:
    data = claim_clip.read_bytes()
    root = _portal(side_a.creator)
    started = _start(
        client, f"{root}collaborations/{side_a.collaboration.pk}/uploads/", name="clip.mp4", size=len(data),
        title="Serum am Morgen", caption="Werbung | Serum",
    )  # fmt: skip
    assert started.status_code == 201, started.content
    url = started.json()["url"]
    half = len(data) // 2
    assert _patch(client, url, 0, data[:half]).json() == {"offset": half, "size": len(data), "done": False}

    # The connection dropped: the client asks where to go on, as after a real break.
    status = client.head(url)
    assert status["Upload-Offset"] == str(half)
    assert client.get(url).json()["offset"] == half

    finished = _patch(client, url, half, data[half:])
    body = finished.json()
    assert finished.status_code == 200 and body["done"] is True, body
    submission = Submission.objects.get(collaboration=side_a.collaboration)
    assert body["location"] == f"{root}submissions/{submission.pk}/"
    assert submission.title == "Serum am Morgen"
    version = submission.versions.get()
    assert version.file.open("rb").read() == data
    assert version.caption == "Werbung | Serum" and version.uploaded_by_creator
    assert _partials() == []
    # The answer to the last chunk was lost: asking again says it is done, and nothing is stored twice.
    assert client.get(url).json() == {"offset": len(data), "size": len(data), "done": True}
    assert _patch(client, url, len(data), b"").json()["done"] is True
    assert Version.objects.count() == 1


def test_a_chunk_at_the_wrong_offset_is_refused_with_the_offset_the_server_expects(
    side_a, login_as, claim_clip: Path
) -> None:
    client = login_as(side_a.manager)
    started = _start(
        client, "/reviews/new/uploads/", name="clip.mp4", size=1000,
        collaboration=str(side_a.collaboration.pk), title="Serum",
    )  # fmt: skip
    url = started.json()["url"]
    assert _patch(client, url, 0, b"x" * 300).status_code == 200
    refused = _patch(client, url, 200, b"y" * 300)
    assert refused.status_code == 409
    assert refused.json()["offset"] == 300
    assert "300" in refused.json()["error"]
    assert client.head(url)["Upload-Offset"] == "300"


def test_an_upload_over_the_limit_is_refused_when_announced_and_while_it_streams(
    side_a, login_as, settings
) -> None:
    settings.REVIEW_MAX_UPLOAD_BYTES = 1000
    client = login_as(side_a.manager)
    fields = {"collaboration": str(side_a.collaboration.pk), "title": "Serum"}
    announced = _start(client, "/reviews/new/uploads/", name="big.mp4", size=1001, **fields)
    assert announced.status_code == 413
    assert "larger than the limit" in announced.json()["error"]
    assert not UploadSession.objects.exists()

    # A client that announces less than it sends is cut off at the announced size; nothing stays.
    url = _start(client, "/reviews/new/uploads/", name="big.mp4", size=1000, **fields).json()["url"]
    assert _patch(client, url, 0, b"x" * 600).status_code == 200
    refused = _patch(client, url, 600, b"x" * 600)
    assert refused.status_code == 413
    assert "larger than the limit" in refused.json()["error"]
    assert not UploadSession.objects.exists()
    assert _partials() == []
    assert not Submission.objects.exists()
    assert client.head(url).status_code == 404


def test_another_creators_or_workspaces_upload_is_not_found(side_a, side_b, login_as, client: Client) -> None:
    root = _portal(side_a.creator)
    started = _start(
        client,
        f"{root}collaborations/{side_a.collaboration.pk}/uploads/",
        name="clip.mp4",
        size=10,
        title="Mine",
    )
    upload_id = started.json()["url"].rstrip("/").rsplit("/", 1)[1]
    other_root = _portal(side_a.other_creator)
    for method in ("get", "head", "delete"):
        assert getattr(client, method)(f"{other_root}uploads/{upload_id}/").status_code == 404
    assert _patch(client, f"{other_root}uploads/{upload_id}/", 0, b"x").status_code == 404
    assert _patch(client, f"/reviews/uploads/{upload_id}/", 0, b"x").status_code in (302, 404)

    staff = login_as(side_a.manager)
    staff_url = _start(
        staff, "/reviews/new/uploads/", name="clip.mp4", size=10,
        collaboration=str(side_a.collaboration.pk), title="Ours",
    ).json()["url"]  # fmt: skip
    outsider = login_as(side_b.manager)
    assert outsider.get(staff_url).status_code == 404
    assert _patch(outsider, staff_url, 0, b"x").status_code == 404
    assert (
        _patch(client, f"{root}uploads/{staff_url.rstrip('/').rsplit('/', 1)[1]}/", 0, b"x").status_code
        == 404
    )
    # Nor can workspace B start an upload into A's collaboration.
    foreign = _start(
        outsider, "/reviews/new/uploads/", name="clip.mp4", size=10,
        collaboration=str(side_a.collaboration.pk), title="Theirs",
    )  # fmt: skip
    assert foreign.status_code == 400
    assert staff.head(staff_url)["Upload-Offset"] == "0"


def test_a_renamed_text_file_is_refused_with_a_clear_message_and_leaves_nothing(
    side_a, client: Client
) -> None:
    data = b"Dear diary, this is not a video at all.\n" * 50
    root = _portal(side_a.creator)
    url = _start(
        client, f"{root}collaborations/{side_a.collaboration.pk}/uploads/", name="urlaub.mp4", size=len(data),
        title="Urlaub",
    ).json()["url"]  # fmt: skip
    refused = _patch(client, url, 0, data)
    assert refused.status_code == 400
    message = refused.json()["error"]
    assert "urlaub.mp4" in message
    assert ".part" not in message and "partial-uploads" not in message and "/" not in message
    assert not Submission.objects.exists() and not Version.objects.exists()
    assert _partials() == []
    assert client.get(url).json()["offset"] == 0


def test_a_new_version_arrives_in_chunks_and_thanks_the_creator(
    side_a, claim_clip: Path, client: Client
) -> None:
    from creatordesk.reviews import services

    submission = services.submission_submit(collaboration=side_a.collaboration, title="Serum", source=claim_clip, original_name="v1.mp4", by_creator=side_a.creator).submission  # fmt: skip
    data = claim_clip.read_bytes()
    root = _portal(side_a.creator)
    url = _start(
        client, f"{root}submissions/{submission.pk}/uploads/", name="v2.mp4", size=len(data), caption="v2"
    ).json()["url"]
    for offset in range(0, len(data), 64 * 1024):
        answer = _patch(client, url, offset, data[offset : offset + 64 * 1024])
        assert answer.status_code == 200, answer.content
    assert answer.json()["location"] == f"{root}submissions/{submission.pk}/"
    assert [v.number for v in submission.versions.order_by("number")] == [1, 2]
    page = client.get(answer.json()["location"])
    assert "Thank you! Your new version is being checked." in page.content.decode()


def test_a_chunk_without_the_csrf_token_is_refused(side_a) -> None:
    client = Client(enforce_csrf_checks=True)
    root = _portal(side_a.creator)
    started = _start(
        client,
        f"{root}collaborations/{side_a.collaboration.pk}/uploads/",
        name="clip.mp4",
        size=10,
        title="X",
    )
    assert started.status_code == 403
    assert not UploadSession.objects.exists()


def test_cancelling_removes_what_arrived(side_a, client: Client) -> None:
    root = _portal(side_a.creator)
    url = _start(
        client,
        f"{root}collaborations/{side_a.collaboration.pk}/uploads/",
        name="clip.mp4",
        size=10,
        title="X",
    ).json()["url"]
    _patch(client, url, 0, b"12345")
    assert client.delete(url).json() == {"cancelled": True}
    assert not UploadSession.objects.exists() and _partials() == []


def test_partial_uploads_untouched_for_a_day_are_removed_by_the_periodic_sweep(
    side_a, client: Client
) -> None:
    root = _portal(side_a.creator)
    start_url = f"{root}collaborations/{side_a.collaboration.pk}/uploads/"
    stale = _start(client, start_url, name="old.mp4", size=10, title="Alt").json()["url"]
    _patch(client, stale, 0, b"12345")
    fresh = _start(client, start_url, name="new.mp4", size=10, title="Neu").json()["url"]
    UploadSession.objects.filter(original_name="old.mp4").update(
        updated_at=timezone.now() - timedelta(hours=25)
    )
    UploadSession.objects.filter(original_name="new.mp4").update(
        updated_at=timezone.now() - timedelta(hours=23)
    )

    _start(client, start_url, name="next.mp4", size=10, title="Nächstes")
    # Starting an upload sweeps nothing: that is the recovery task's step.
    assert client.get(stale).status_code == 200

    assert chunked_uploads.upload_sessions_remove_stale() == 1

    assert client.get(stale).status_code == 404
    assert client.get(fresh).status_code == 200
    assert sorted(UploadSession.objects.values_list("original_name", flat=True)) == ["new.mp4", "next.mp4"]
    assert len(_partials()) == 2
