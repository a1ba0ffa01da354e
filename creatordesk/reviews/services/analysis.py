"""The pre-review of a stored version: running it with live progress, and recovering stalled runs."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.campaigns.briefs import local_engine_brief
from creatordesk.djangolib.db_busy import retry_when_locked
from creatordesk.djangolib.local_copy import local_copy
from creatordesk.engine.types import InputError
from creatordesk.reviews.models import AnalysisStatus, Finding, Version
from creatordesk.reviews.services.audit import audit
from creatordesk.reviews.services.submissions import engine_context, enqueue_analysis


def version_analyse(*, version: Version) -> Version:
    """Run the pre-review on a stored version, keeping its progress row up to date."""
    from creatordesk.engine.pipeline import review_video

    # Every write of a run waits out a busy SQLite database (a large import committing) instead of
    # failing the pre-review; see creatordesk/djangolib/db_busy.py.
    attempt = version.analysis_attempts + 1
    retry_when_locked(
        lambda: Version.objects.filter(pk=version.pk).update(
            analysis_status=AnalysisStatus.RUNNING,
            analysis_attempts=attempt,
            analysis_heartbeat=timezone.now(),
            analysis_progress=0,
            analysis_error="",
        )
    )
    # A run taken for lost (no heartbeat for too long) and started again no longer owns the row.
    this_run = Version.objects.filter(pk=version.pk, analysis_attempts=attempt)
    last_write = 0.0

    def progress(step: str, fraction: float) -> None:
        nonlocal last_write
        now = time.monotonic()
        if now - last_write < 0.5 and fraction < 1:
            return
        last_write = now
        retry_when_locked(
            lambda: this_run.update(
                analysis_step=step[:40],
                analysis_progress=int(fraction * 100),
                analysis_heartbeat=timezone.now(),
            )
        )

    scratch = Path(settings.VAR_DIR) / "tmp"
    campaign = version.submission.collaboration.campaign
    try:
        with local_engine_brief(campaign, scratch) as brief, local_copy(version.file, scratch) as path:
            caption = version.caption or brief.caption
            result = review_video(path, ctx=engine_context(), brief=brief, caption=caption, progress=progress)
    except InputError as exc:
        error = str(exc)
        retry_when_locked(
            lambda: this_run.update(analysis_status=AnalysisStatus.FAILED, analysis_error=error)
        )
        version.refresh_from_db()
        return version
    report = result.as_dict()

    def store() -> None:
        with transaction.atomic():
            version.refresh_from_db()
            if version.analysis_attempts != attempt:
                return  # the newer run stores its result, so the analysis completes once
            version.findings.all().delete()
            Finding.objects.bulk_create(
                Finding(workspace_id=version.workspace_id, version=version, **f.as_dict())
                for f in result.findings
            )
            version.report = report
            version.verdict = str(report["verdict"])
            fit = report.get("fit") or {}
            version.fit_score = int(fit["score"]) if isinstance(fit, dict) and "score" in fit else None
            version.analysis_status = AnalysisStatus.DONE
            version.analysis_progress = 100
            version.analysis_step = ""
            version.save()
            audit(
                submission=version.submission,
                actor="pre-review",
                verb="analysis_done",
                number=version.number,
                verdict=version.verdict,
                findings=len(result.findings),
            )

    retry_when_locked(store)
    return version


def analyses_recover_stalled(*, now: datetime | None = None) -> int:
    """Requeue analyses whose worker stopped (no heartbeat for a while); give up after three tries.

    The periodic recovery task (creatordesk/dashboard/tasks.py) calls this. Each update repeats the
    stall condition, so a worker whose heartbeat arrives in between keeps its run, and of two
    recoveries running at once only one queues the analysis again.
    """
    limit = (now or timezone.now()) - timedelta(seconds=settings.REVIEW_STALL_SECONDS)
    stalled = Version.objects.filter(analysis_status=AnalysisStatus.RUNNING, analysis_heartbeat__lt=limit)
    count = 0
    for version in stalled:
        still_stalled = stalled.filter(pk=version.pk)
        if version.analysis_attempts >= settings.REVIEW_MAX_ATTEMPTS:
            still_stalled.update(
                analysis_status=AnalysisStatus.FAILED,
                analysis_error=_("The analysis stopped %(n)s times; upload the file again or ask an admin.")
                % {"n": version.analysis_attempts},
            )
            continue
        if still_stalled.update(analysis_status=AnalysisStatus.QUEUED, analysis_step=""):
            count += 1
            transaction.on_commit(lambda pk=version.pk: enqueue_analysis(pk))  # type: ignore[misc]
    return count
