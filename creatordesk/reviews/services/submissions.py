"""Uploads: checking a video, storing it and adding it as a version of a submission."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User
from creatordesk.campaigns.models import Collaboration, CollaborationStatus
from creatordesk.campaigns.services import collaboration_move
from creatordesk.creators.models import Creator
from creatordesk.engine.context import ReviewContext
from creatordesk.engine.types import InputError
from creatordesk.notifications.services import notify
from creatordesk.reviews.models import Outcome, Submission, Version
from creatordesk.reviews.services.audit import Actor, audit
from creatordesk.reviews.uploads import store_file

log = logging.getLogger(__name__)


def engine_context() -> ReviewContext:
    """The engine's context with the web app's limits and scratch folder."""
    work_dir = Path(settings.VAR_DIR) / "tmp"
    work_dir.mkdir(parents=True, exist_ok=True)
    return replace(
        ReviewContext.from_env().for_background(),
        max_bytes=settings.REVIEW_MAX_UPLOAD_BYTES,
        max_duration_s=settings.REVIEW_MAX_DURATION_S,
        work_dir=work_dir,
    )


def submission_create(
    *, collaboration: Collaboration, title: str, actor: Actor, due_at: datetime | None = None
) -> Submission:
    submission = Submission.objects.create(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        title=title.strip() or _("Video"),
        due_at=due_at or timezone.now() + timedelta(hours=settings.REVIEW_SLA_HOURS),
    )
    audit(submission=submission, actor=actor, verb="submission_created", title=submission.title)
    return submission


def submission_submit(
    *,
    collaboration: Collaboration,
    source: Path,
    original_name: str,
    title: str = "",
    caption: str = "",
    submission: Submission | None = None,
    by_user: User | None = None,
    by_creator: Creator | None = None,
) -> Version:
    """Check an uploaded video, store it and queue its pre-review; every upload path comes through here.

    The video becomes the next version of `submission`, or without one the first version of a new
    submission of `collaboration` called `title`. An approved submission is refused before anything
    is read. The file is then probed (type, size, duration, dimensions) before any other tool
    touches it, and copied into storage before the submission is locked, so concurrent uploads wait
    for each other only for a few inserts (on SQLite the transaction holds the database's write lock
    for every other request). A rejected or failed upload, a full disk included, leaves neither a
    row nor a file behind.
    """
    if submission is not None:
        if submission.collaboration_id != collaboration.pk:
            raise ValueError("the submission belongs to another collaboration")
        submission_refuse_if_approved(submission=submission)
    version = _version_stored(
        workspace_id=collaboration.workspace_id,
        source=source,
        original_name=original_name,
        caption=caption,
        by_user=by_user,
        by_creator=by_creator,
    )
    actor: Actor = by_creator or by_user or "system"
    try:
        if submission is not None:
            version.submission = submission
            return _version_insert(version=version, actor=actor)
        with transaction.atomic():
            version.submission = submission_create(collaboration=collaboration, title=title, actor=actor)
            return _version_insert(version=version, actor=actor)
    except BaseException:
        version.file.storage.delete(version.file.name or "")
        raise


def submission_refuse_if_approved(*, submission: Submission) -> None:
    """A ValidationError when the submission's latest version is approved: no new version is needed."""
    latest = submission.versions.order_by("-number").first()
    _refuse_if_approved(latest)


def _version_stored(
    *,
    workspace_id: int,
    source: Path,
    original_name: str,
    caption: str,
    by_user: User | None,
    by_creator: Creator | None,
) -> Version:
    """An unsaved version of a probed file that is already in storage (or a ValidationError)."""
    from creatordesk.engine.steps.probe import probe_file

    try:
        media = probe_file(source, engine_context())
    except InputError as exc:
        # The probe names the file it read, which for a web upload is a temporary file; the uploader
        # only knows the name they chose.
        shown = Path(original_name).name or "video"
        raise ValidationError(str(exc).replace(str(source), shown).replace(source.name, shown)) from None
    version = Version(
        workspace_id=workspace_id,
        number=0,
        original_name=Path(original_name).name[:200] or "video",
        size_bytes=source.stat().st_size,
        duration_s=media.duration_s,
        width=media.width,
        height=media.height,
        caption=caption,
        uploaded_by=by_user,
        uploaded_by_creator=by_creator is not None,
    )
    version.file.name = store_file(
        version.file.storage, version.file.field.generate_filename(version, version.original_name), source
    )
    return version


def _refuse_if_approved(latest: Version | None) -> None:
    if latest is not None and latest.outcome == Outcome.APPROVED:
        raise ValidationError(_("This submission is already approved; no new version is needed."))


VERSION_INSERT_ATTEMPTS = 3


def _version_insert(*, version: Version, actor: Actor) -> Version:
    """Give a stored version the next number of its submission and save it with its side effects.

    The submission row is locked (PostgreSQL `SELECT ... FOR UPDATE`; SQLite transactions here begin
    IMMEDIATE, so writers queue), which makes concurrent uploads take turns; the unique constraint on
    (submission, number) is the last guard, and a clash is simply tried again with a fresh number.
    """
    submission = version.submission
    for attempt in range(1, VERSION_INSERT_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                Submission.objects.select_for_update().only("pk").get(pk=submission.pk)
                latest = Version.objects.filter(submission=submission).order_by("-number").first()
                _refuse_if_approved(latest)
                version.number = (latest.number + 1) if latest else 1
                version.save(force_insert=True)
                _version_uploaded_effects(version=version, actor=actor)
            return version
        except IntegrityError:
            version.pk, version._state.adding = None, True
            if attempt == VERSION_INSERT_ATTEMPTS:
                raise
            log.warning(
                "version number %s of submission %s was taken; retrying", version.number, submission.pk
            )
    raise AssertionError("unreachable")


def _version_uploaded_effects(*, version: Version, actor: Actor) -> None:
    submission = version.submission
    audit(submission=submission, actor=actor, verb="version_uploaded", number=version.number)
    collaboration_move(
        collaboration=submission.collaboration,
        status=CollaborationStatus.DRAFT_SUBMITTED,
        actor=actor,
    )
    pk = version.pk
    transaction.on_commit(lambda: enqueue_analysis(pk))
    notify(
        workspace=submission.workspace,
        event="version_uploaded",
        text=_("%(creator)s uploaded version %(number)s of “%(title)s”.")
        % {
            "creator": submission.collaboration.creator.display_name,
            "number": version.number,
            "title": submission.title,
        },
        url=f"/reviews/{submission.pk}/",
    )


def enqueue_analysis(version_id: int) -> None:
    from creatordesk.reviews.tasks import analyse_version

    analyse_version.enqueue(version_id=version_id)
