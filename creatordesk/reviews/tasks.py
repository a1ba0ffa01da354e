"""Background pre-review of uploaded versions."""

from __future__ import annotations

from django.tasks import task

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.priority import lower_priority
from creatordesk.reviews.models import AnalysisStatus, Version
from creatordesk.reviews.services import version_analyse


@task()
def analyse_version(*, version_id: int) -> str:
    version = (
        Version.objects.select_related("submission__collaboration__campaign").filter(pk=version_id).first()
    )
    if version is None or version.analysis_status in (AnalysisStatus.DONE, AnalysisStatus.FAILED):
        return "skipped"
    # The worker shares the cores with the web server; a lower priority lets page requests run first
    # whenever both want the CPU, and the review still gets every cycle they leave idle.
    lower_priority(ReviewContext.from_env().analysis_nice)
    return version_analyse(version=version).analysis_status
