"""Review decisions through the JSON API behave as on the review page: they lock, move and refuse alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from creatordesk.accounts.models import Role
from creatordesk.accounts.services import api_token_create
from creatordesk.campaigns.models import Collaboration, CollaborationStatus
from creatordesk.reviews import services
from creatordesk.reviews.models import AuditEvent, Decision, Version
from creatordesk.reviews.services import StageConfig

pytestmark = pytest.mark.django_db


def _version(side, clip: Path) -> Version:
    submission = services.submission_create(
        collaboration=side.collaboration, title="Serum", actor=side.creator
    )
    return services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=clip,
        original_name="clip.mp4",
        by_creator=side.creator,
    )


def _decide(client, version: Version, token: str, **body: Any):
    return client.post(
        f"/api/versions/{version.pk}/decisions",
        json.dumps({"stage": "Review", "outcome": "approved", **body}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _token(side, user) -> str:
    return api_token_create(workspace=side.workspace, user=user, name="api")[1]


def test_an_api_approval_locks_the_version_and_moves_the_collaboration(side_a, clean_clip, client) -> None:
    version = _version(side_a, clean_clip)
    response = _decide(client, version, _token(side_a, side_a.reviewer), note="Looks good")
    assert response.status_code == 201, response.content
    assert response.json()["reviewer"] == str(side_a.reviewer)

    version.refresh_from_db()
    assert version.outcome == "approved" and version.locked
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.APPROVED
    assert AuditEvent.objects.filter(submission=version.submission, verb="version_locked").exists()

    again = _decide(client, version, side_a.token, outcome="changes_required", note="Too late")
    assert again.status_code == 422 and "locked" in again.json()["detail"][0]["msg"]
    assert version.decisions.count() == 1


def test_an_api_request_for_changes_sends_the_collaboration_back(side_a, clean_clip, client) -> None:
    version = _version(side_a, clean_clip)
    response = _decide(client, version, side_a.token, outcome="changes_required", note="Cut the claim")
    assert response.status_code == 201
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == CollaborationStatus.CHANGES_REQUESTED


def test_a_viewer_token_cannot_decide_and_nothing_changes(side_a, clean_clip, client) -> None:
    version = _version(side_a, clean_clip)
    status_before = Collaboration.objects.get(pk=side_a.collaboration.pk).status
    response = _decide(client, version, _token(side_a, side_a.viewer))
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.outcome == "" and not version.locked
    assert not Decision.objects.exists()
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == status_before


def test_a_stage_owned_by_the_owner_role_refuses_a_reviewer_token_as_the_page_does(
    side_a, clean_clip, client
) -> None:
    services.stages_configure(
        campaign_id=side_a.campaign.pk,
        workspace_id=side_a.workspace.pk,
        stages=[("Brand", 1), StageConfig(name="Legal", position=2, roles=(Role.OWNER,))],
        actor=side_a.manager,
    )
    version = _version(side_a, clean_clip)
    assert _decide(client, version, side_a.token, stage="Brand").status_code == 201
    refused = _decide(client, version, _token(side_a, side_a.reviewer), stage="Legal")
    assert refused.status_code == 422
    assert refused.json()["detail"] == [{"loc": ["body"], "msg": "Only Owner may decide the stage “Legal”."}]
    assert not Decision.objects.filter(stage_name="Legal").exists()
    version.refresh_from_db()
    assert not version.locked
    refusal = AuditEvent.objects.get(submission=version.submission, verb="decision_refused")
    assert refusal.detail["stage"] == "Legal"

    assert _decide(client, version, _token(side_a, side_a.owner), stage="Legal").status_code == 201
    version.refresh_from_db()
    assert version.locked and version.outcome == "approved"


def test_approval_over_open_blocks_names_the_override_flag(side_a, clean_clip, client) -> None:
    from creatordesk.reviews.models import Finding

    version = _version(side_a, clean_clip)
    Finding.objects.create(
        workspace=side_a.workspace, version=version, rule="medical_claim.cure", category="medical_claim",
        severity="block", source="speech", start_s=3, end_s=5, evidence="cure", explanation="x", citation="y",
    )  # fmt: skip
    refused = _decide(client, version, side_a.token)
    assert refused.status_code == 422
    assert [error["loc"] for error in refused.json()["detail"]] == [["body", "confirm_open_blocks"]]
    assert not Decision.objects.exists()
    assert _decide(client, version, side_a.token, confirm_open_blocks=True).status_code == 201
