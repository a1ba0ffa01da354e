"""Each creator's record of past versions in a workspace, as the campaign fit score reads it."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Min, Q

from creatordesk.campaigns.fit import History
from creatordesk.reviews.models import Version

APPROVING = ("approved", "approved_with_changes")


def creator_review_histories(*, workspace_id: int) -> dict[int, History]:
    """Versions, decisions, approval times and blocking findings per creator, in one aggregate query."""
    histories: dict[int, History] = defaultdict(History)
    versions = (
        Version.objects.filter(workspace_id=workspace_id)
        .values("id", "submission__collaboration__creator_id", "outcome", "uploaded_at", "analysis_status")
        .annotate(
            blocks=Count("findings", filter=Q(findings__severity="block")),
            approved_at=Min("decisions__created_at", filter=Q(decisions__outcome__in=APPROVING)),
        )
    )
    for row in versions:
        history = histories[row["submission__collaboration__creator_id"]]
        if row["analysis_status"] == "done":
            history.versions += 1
            history.block_findings += row["blocks"]
        if row["outcome"]:
            history.decided_versions += 1
            if row["outcome"] in APPROVING:
                history.approved_versions += 1
                if row["approved_at"]:
                    history.hours_to_approval.append(
                        (row["approved_at"] - row["uploaded_at"]).total_seconds() / 3600
                    )
    return dict(histories)
