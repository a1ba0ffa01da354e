"""GDPR Art. 17: after erasing a creator, no table and no file holds their name, email or handles.

The creator gets everything the app can store about them, through the services, then the erasure
runs through the orchestrator and the whole database (every column of every table, read with
plain SQL so nothing is missed by the ORM) and every file under MEDIA_ROOT and VAR_DIR is
searched, case-insensitively.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from creatordesk.campaigns.models import SampleShipment
from creatordesk.campaigns.services import collaboration_create, shipment_create
from creatordesk.creators.community import broadcast_deliver, broadcast_send, segment_save
from creatordesk.creators.imports import import_upload
from creatordesk.creators.models import Creator
from creatordesk.creators.privacy import creator_erase_with_report, creator_export_data
from creatordesk.creators.services import account_upsert, creator_create, creator_update
from creatordesk.notifications.models import Delivery
from creatordesk.notifications.services import webhook_create
from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.models import ViralAlert
from creatordesk.performance.services import (
    amplify_code_submit,
    post_create,
    snapshots_record,
)
from creatordesk.reviews import services as reviews
from creatordesk.reviews.models import AuditEvent, Finding, Submission

NAME = "Zoraida Quenneville"
EMAIL = "zoraida.q@creator-mail.example"
HANDLES = ("zoraida_glow", "zoraida.skin", "zoraidareviews")
# All ASCII on purpose: the raw search below must not depend on how a database escapes text.
TERMS = (NAME, EMAIL, *HANDLES)


def _traces_in_database() -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = (
                        bytes(value).decode(errors="replace")
                        if isinstance(value, bytes | memoryview)
                        else str(value)
                    )
                    found += [f"{table}.{column}: {t}" for t in TERMS if t.lower() in text.lower()]
    return found


def _traces_in_files(*roots: Path) -> list[str]:
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                content = path.read_bytes().lower()
                found += [f"{path}: {t}" for t in TERMS if t.lower().encode() in content]
    return found


def _rich_creator(side, clip: Path) -> Creator:
    """A creator with data in every app, each piece written by the service a user would trigger."""
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    webhook_create(workspace=side.workspace, name="Team", url="http://127.0.0.1:9/hook", flavour="slack")
    creator = creator_create(
        workspace=side.workspace, display_name=NAME, email=EMAIL, tiktok_handle="@Zoraida_Glow", country="DE"
    )
    account_upsert(creator=creator, platform="instagram", handle="zoraida.skin", followers=12000)
    account_upsert(
        creator=creator,
        platform="youtube",
        handle="ZoraidaReviews",
        url="https://youtube.com/@ZoraidaReviews",
    )
    creator_update(creator=creator, notes=f"{NAME} prefers mornings", phone="+49 170 1234567")
    collaboration = collaboration_create(campaign=side.campaign, creator=creator)
    shipment_create(
        collaboration=collaboration, carrier="DHL", tracking_number="00340434161094042557", status="shipped"
    )

    submission = reviews.submission_create(
        collaboration=collaboration, title=f"{NAME} – serum", actor=creator
    )
    version = reviews.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=clip,
        original_name="zoraida_glow_final.mp4",
        caption=f"Mein Serum-Morgen mit {NAME} @zoraida_glow #werbung",
        by_creator=creator,
    )
    reviews.version_analyse(version=version)
    reviews.comment_add(version=version, body="Ich kann das Logo früher zeigen", author_creator=creator)
    reviews.comment_add(version=version, body=f"{NAME} should say 'Werbung' first", author=side.manager)
    reviews.decision_record(
        version=version, stage_name="Review", reviewer=side.reviewer, outcome="changes_required",
        note="Ask @zoraida_glow to drop the cure claim",
    )  # fmt: skip

    for days_ago, views in ((30, 9000), (20, 10000), (10, 12000)):  # the creator's usual reach
        posted = timezone.now() - timedelta(days=days_ago)
        earlier = post_create(
            collaboration=collaboration, platform="tiktok", external_id=f"745000{days_ago}", posted_at=posted
        )
        snapshots_record(
            rows=[(earlier, Snapshot(taken_at=posted + timedelta(days=1), views=views))], check_viral=False
        )
    posted = timezone.now() - timedelta(days=2)
    post = post_create(
        collaboration=collaboration,
        platform="tiktok",
        external_id="7450000000000009999",
        url="https://www.tiktok.com/@zoraida_glow/video/7450000000000009999",
        caption=f"{NAME} x Brand",
        posted_at=posted,
    )
    snapshots_record(rows=[(post, Snapshot(taken_at=posted + timedelta(hours=24), views=90_000))])
    task = post.amplify_tasks.get()
    amplify_code_submit(
        task=task,
        spark_code="#zoraida_glow-spark-code",
        code_expires_on=timezone.localdate() + timedelta(days=30),
    )

    segment = segment_save(workspace=side.workspace, name="Germany", filters={"country": "DE"})
    broadcast = broadcast_send(
        segment=segment,
        subject="October brief",
        body="Hello everyone",
        show_in_portal=True,
        user=side.manager,
    )
    broadcast_deliver(broadcast=broadcast)
    import_upload(
        workspace=side.workspace,
        upload=SimpleUploadedFile(
            "creators.csv",
            f"Name,Email,Handle\n{NAME},{EMAIL},zoraida_glow\nOther Person,o@x.example,other\n".encode(),
        ),
    )
    return creator


@pytest.mark.django_db
def test_erasing_a_creator_leaves_their_name_email_and_handles_in_no_table_and_no_file(
    side_a, settings, tmp_path: Path, claim_clip: Path, django_capture_on_commit_callbacks
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.VAR_DIR = tmp_path / "var"
    with django_capture_on_commit_callbacks(execute=True):
        creator = _rich_creator(side_a, claim_clip)
    # The setup reached every place the search looks at; otherwise the test would prove nothing.
    assert ViralAlert.objects.filter(post__collaboration__creator=creator).exists()
    assert (
        Delivery.objects.filter(target=EMAIL).exists()
        and Delivery.objects.filter(text__contains=NAME).exists()
    )
    assert {t.split(":")[0].split(".")[0] for t in _traces_in_database()} >= {
        "creators_creator", "creators_platformaccount", "reviews_version", "reviews_comment", "reviews_decision",
        "reviews_auditevent", "notifications_delivery", "performance_post", "performance_amplifytask",
        "creators_broadcastrecipient", "reviews_submission",
    }  # fmt: skip
    assert Finding.objects.filter(version__submission__collaboration__creator=creator).exists()
    assert _traces_in_files(tmp_path)
    export = creator_export_data(creator=creator)
    assert export["creator"]["email"] == EMAIL and export["posts"] and export["emails_received"]  # type: ignore[index]

    with django_capture_on_commit_callbacks(execute=True):
        report = creator_erase_with_report(creator=creator, actor=side_a.manager)

    assert _traces_in_database() == []
    assert _traces_in_files(tmp_path) == []
    # What the brand keeps, anonymised: the collaboration, the submission, the post's figures, the audit log.
    anonymous = f"Erased creator #{creator.pk}"
    submission = Submission.objects.get(collaboration__creator=creator)
    assert submission.title == f"{anonymous} – serum"
    assert creator.collaborations.get().posts.get(views=90_000).external_id == ""
    verbs = list(AuditEvent.objects.filter(submission=submission).values_list("verb", flat=True))
    assert {"version_uploaded", "decision", "creator_erased"} <= set(verbs)
    assert report.changed["notifications"]["deliveries_removed"] >= 1 and report.files
    # What the video showed and said goes with it; a tracking number leads to a home address.
    assert not Finding.objects.filter(version__submission=submission).exists()
    assert SampleShipment.objects.get(collaboration__creator=creator).tracking_number == ""
    # Another creator of the workspace is untouched.
    assert Creator.objects.get(pk=side_a.other_creator.pk).display_name == "Second alpha"
