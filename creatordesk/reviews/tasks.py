"""Background pre-review of uploaded versions."""

from __future__ import annotations

from django.tasks import task

from creatordesk.reviews.models import AnalysisStatus, Version
from creatordesk.reviews.services import version_analyse


@task()
def analyse_version(*, version_id: int) -> str:
    version = (
        Version.objects.select_related("submission__collaboration__campaign").filter(pk=version_id).first()
    )
    if version is None or version.analysis_status in (AnalysisStatus.DONE, AnalysisStatus.FAILED):
        return "skipped"
    return version_analyse(version=version).analysis_status
