"""GDPR Art. 17 erasure stays on the person: unrelated words, keys, addresses, uploads and other
workspaces come out of it exactly as they went in.

The creator is called "Lea" with the handle "lea" on purpose: a short name that is also part of
everyday words ("lead time"), of other people's addresses and of JSON keys ("release_date").
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from creatordesk.campaigns.services import collaboration_create
from creatordesk.creators.activity import activity_record
from creatordesk.creators.imports import import_upload
from creatordesk.creators.models import ActivityEvent, Broadcast, Creator, ImportJob
from creatordesk.creators.privacy import ErasureRefused, creator_erase
from creatordesk.creators.services import creator_create
from creatordesk.djangolib import staged_files
from creatordesk.notifications.models import Delivery
from creatordesk.performance.import_staging import metrics_stage
from creatordesk.reviews import services as reviews
from creatordesk.reviews.models import AuditEvent
from creatordesk.shop.importing import shop_import_stage

SENTENCE = "Please clear the lead time, Lea. Copy lea.berg@brand.example."
AFTER = "Please clear the lead time, {erased}. Copy lea.berg@brand.example."


def _lea(side) -> Creator:
    return creator_create(
        workspace=side.workspace, display_name="Lea", email="lea@example.com", tiktok_handle="@lea"
    )


def _task_result(delivery: Delivery, traceback: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path="creatordesk.notifications.tasks.deliver",
        args_kwargs={"args": [], "kwargs": {"delivery_id": delivery.pk}},
        backend_name="default",
        run_after=timezone.now() - timedelta(hours=1),
        exception_class_path="smtplib.SMTPRecipientsRefused",
        traceback=traceback,
        status="FAILED",
    )


def _webhook_delivery(side, text: str) -> Delivery:
    return Delivery.objects.create(
        workspace=side.workspace,
        channel=Delivery.Channel.WEBHOOK,
        target="https://hooks.example/services/lea/T01",
        url="https://app.example/creators/lea-report/",
        event="decision",
        subject="Lead time",
        text=text,
    )


@pytest.mark.django_db
def test_erasure_replaces_the_person_and_leaves_words_keys_addresses_and_other_workspaces_alone(
    side_a, side_b, django_capture_on_commit_callbacks
) -> None:
    lea = _lea(side_a)
    namesake = _lea(side_b)  # the same person working for another brand is not erased there
    erased = f"Erased creator #{lea.pk}"
    note = activity_record(creator=side_a.other_creator, verb="note", text=SENTENCE, actor="Leah Novak")
    staff_entry = activity_record(creator=lea, verb="note", text="Called her", actor=side_a.manager)
    own_entry = activity_record(creator=lea, verb="note", text="Signed the brief", actor=lea)
    broadcast = Broadcast.objects.create(workspace=side_a.workspace, subject="Lead times", body=SENTENCE)
    webhook = _webhook_delivery(side_a, SENTENCE)
    staff_email = Delivery.objects.create(
        workspace=side_a.workspace,
        channel=Delivery.Channel.EMAIL,
        target="lea.berg@brand.example",
        event="decision",
        subject="Release date",
        text=SENTENCE,
    )
    job = ImportJob.objects.create(
        workspace=side_a.workspace,
        kind=ImportJob.Kind.CREATORS,
        token="t1",
        status=ImportJob.Status.DONE,
        result={"counts": {"leads": 2}, "release_date": "Lea", "errors": [{"lea": "Lea"}]},
    )
    own_task = _task_result(webhook, "SMTPRecipientsRefused: lea@example.com")
    submission = reviews.submission_create(
        collaboration=collaboration_create(campaign=side_a.campaign, creator=lea), title="Serum", actor=lea
    )
    staff_event = reviews.audit(submission=submission, actor="Leandra Voss <lv@a.example>", verb="note")
    own_event = AuditEvent.objects.get(submission=submission, verb="submission_created")

    other_note = activity_record(creator=namesake, verb="note", text=SENTENCE, actor="Lea")
    other_delivery = _webhook_delivery(side_b, SENTENCE)
    other_task = _task_result(other_delivery, "SMTPRecipientsRefused: lea@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        creator_erase(creator=lea, actor=side_a.manager)

    note.refresh_from_db()
    assert note.text == AFTER.format(erased=erased) and note.actor == "Leah Novak"
    staff_entry.refresh_from_db()
    own_entry.refresh_from_db()
    assert (staff_entry.actor, own_entry.actor) == (str(side_a.manager), erased)
    broadcast.refresh_from_db()
    assert (broadcast.subject, broadcast.body) == ("Lead times", AFTER.format(erased=erased))
    webhook.refresh_from_db()
    # A resend goes to the same hook and links to the same page.
    assert webhook.target == "https://hooks.example/services/lea/T01"
    assert webhook.url == "https://app.example/creators/lea-report/"
    assert webhook.text == AFTER.format(erased=erased)
    staff_email.refresh_from_db()
    assert (staff_email.target, staff_email.subject) == ("lea.berg@brand.example", "Release date")
    job.refresh_from_db()
    assert job.result == {"counts": {"leads": 2}, "release_date": erased, "errors": [{"lea": erased}]}
    own_task.refresh_from_db()
    assert own_task.traceback == f"SMTPRecipientsRefused: {erased}"
    own_event.refresh_from_db()
    staff_event.refresh_from_db()
    assert own_event.actor == erased and staff_event.actor == "Leandra Voss <lv@a.example>"

    namesake.refresh_from_db()
    other_note.refresh_from_db()
    other_delivery.refresh_from_db()
    other_task.refresh_from_db()
    assert namesake.display_name == "Lea" and namesake.email == "lea@example.com"
    assert (other_note.text, other_note.actor) == (SENTENCE, "Lea")
    assert (other_delivery.text, other_delivery.target) == (
        SENTENCE,
        "https://hooks.example/services/lea/T01",
    )
    assert other_task.traceback == "SMTPRecipientsRefused: lea@example.com"
    assert ActivityEvent.objects.filter(workspace=side_b.workspace, text__contains="Erased").count() == 0


def _staged(side, text: str) -> Path:
    stored = import_upload(workspace=side.workspace, upload=SimpleUploadedFile("creators.csv", text.encode()))
    return stored.folder


@pytest.mark.django_db
def test_erasure_deletes_only_its_own_workspaces_uploads_that_name_the_creator(
    side_a, side_b, settings, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    lea = _lea(side_a)
    naming = _staged(side_a, "Name,Email,Handle\nLea,lea@example.com,lea\nOther,o@x.example,other\n")
    unrelated = _staged(side_a, "Name,Email,Handle\nLeandra,l@x.example,leandra\n")
    elsewhere = _staged(side_b, "Name,Email,Handle\nLea,lea@example.com,lea\n")
    figures = metrics_stage(
        workspace=side_a.workspace,
        upload=io.BytesIO(b"Video link,Views\nhttps://www.tiktok.com/@lea/video/7441234567890123456,120\n"),
        filename="figures.csv",
    ).token
    export = shop_import_stage(
        workspace=side_a.workspace,
        upload=io.BytesIO(b"Order ID,Creator username,Product ID,Quantity,GMV\nO-1,lea,1729,1,19.90\n"),
        filename="orders.csv",
        kind="orders",
    ).token
    unreadable = tmp_path / "var" / "imports" / "half-written"
    unreadable.mkdir(parents=True)
    (unreadable / "meta.json").write_text('{"token": "half-wri')

    with django_capture_on_commit_callbacks(execute=True):
        creator_erase(creator=lea, actor=side_a.manager)

    assert not naming.exists() and not staged_files.folder(figures).exists()
    assert not staged_files.folder(export).exists()
    assert unrelated.exists() and elsewhere.exists() and unreadable.exists()


@pytest.mark.django_db
def test_erasure_is_refused_while_an_import_of_a_list_naming_the_creator_runs(
    side_a, settings, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    lea = _lea(side_a)
    folder = _staged(side_a, "Name,Email,Handle\nLea,lea@example.com,lea\n")
    job = ImportJob.objects.create(
        workspace=side_a.workspace,
        kind=ImportJob.Kind.CREATORS,
        token=folder.name,
        commit=True,
        status=ImportJob.Status.RUNNING,
        heartbeat=timezone.now(),
    )

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ErasureRefused, match="still running"),
    ):
        creator_erase(creator=lea, actor=side_a.manager)
    lea.refresh_from_db()
    assert lea.display_name == "Lea" and lea.erased_at is None and folder.exists()
    client = Client()
    client.force_login(side_a.manager)
    page = client.post(f"/creators/{lea.pk}/erase/", {"confirm": "Lea"})
    assert page.status_code == 409 and "still running" in page.content.decode()

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        creator_erase(creator=lea, actor=side_a.manager)
    lea.refresh_from_db()
    assert lea.erased_at is not None and not folder.exists()
