"""Background checks of uploaded images."""

from __future__ import annotations

from django.tasks import task

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.priority import lower_priority
from creatordesk.visuals.models import CheckStatus, VisualCheck
from creatordesk.visuals.services import check_run


@task()
def visuals_check_asset(*, check_id: int) -> str:
    check = VisualCheck.objects.select_related("asset__previous").filter(pk=check_id).first()
    if check is None or check.status in (CheckStatus.DONE, CheckStatus.FAILED):
        return "skipped"  # gone, or a duplicate delivery of a finished check
    # Page requests come first when both want the CPU (as for video pre-reviews).
    lower_priority(ReviewContext.from_env().analysis_nice)
    return check_run(check=check).status
