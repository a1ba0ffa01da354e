"""Review stages have owners: only the named roles or people decide a stage, and not one person all of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from creatordesk.accounts.models import Role
from creatordesk.reviews import services
from creatordesk.reviews.models import AuditEvent, Decision, Version
from creatordesk.reviews.services import StageConfig

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


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


def _stages(side, legal: StageConfig) -> None:
    services.stages_configure(
        campaign_id=side.campaign.pk,
        workspace_id=side.workspace.pk,
        stages=[("Brand", 1), legal],
        actor=side.manager,
    )


def _decide(login_as, user, version: Version, stage: str) -> str:
    """Decide through the review page's form; returns the page the person lands on."""
    client = login_as(user)
    response = client.post(
        f"/reviews/versions/{version.pk}/decisions/", {"stage": stage, "outcome": "approved", "note": ""}
    )
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def _refusals(version: Version) -> list[dict]:
    events = AuditEvent.objects.filter(submission=version.submission, verb="decision_refused")
    return [e.detail for e in events]


def test_a_reviewer_cannot_decide_a_legal_stage_owned_by_the_owner_role(side_a, claim_clip, login_as) -> None:
    _stages(side_a, StageConfig(name="Legal", position=2, roles=(Role.OWNER,)))
    version = _version(side_a, claim_clip)
    _decide(login_as, side_a.manager, version, "Brand")

    page = login_as(side_a.reviewer).get(f"/reviews/{version.submission_id}/").content.decode()
    assert "decided by: Owner" in page
    assert 'name="stage" value="Legal"' not in page  # no decide button for someone who may not
    page = _decide(login_as, side_a.reviewer, version, "Legal")
    assert "Only Owner may decide the stage “Legal”." in page
    assert not Decision.objects.filter(version=version, stage_name="Legal").exists()
    assert _refusals(version) == [
        {
            "stage": "Legal",
            "number": 1,
            "outcome": "approved",
            "reason": "Only Owner may decide the stage “Legal”.",
        }
    ]

    owner_page = login_as(side_a.owner).get(f"/reviews/{version.submission_id}/").content.decode()
    assert 'name="stage" value="Legal"' in owner_page
    _decide(login_as, side_a.owner, version, "Legal")
    version.refresh_from_db()
    assert version.outcome == "approved"


def test_a_stage_owned_by_a_named_person_refuses_everyone_else(side_a, claim_clip) -> None:
    _stages(side_a, StageConfig(name="Legal", position=2, members=(side_a.reviewer,)))
    version = _version(side_a, claim_clip)
    services.decision_record(version=version, stage_name="Brand", reviewer=side_a.manager, outcome="approved")
    with pytest.raises(ValidationError, match="Only Reviewer may decide"):
        services.decision_record(
            version=version, stage_name="Legal", reviewer=side_a.owner, outcome="approved"
        )
    services.decision_record(
        version=version, stage_name="Legal", reviewer=side_a.reviewer, outcome="approved"
    )
    version.refresh_from_db()
    assert version.outcome == "approved"
    assert [d["stage"] for d in _refusals(version)] == ["Legal"]


def test_the_same_person_cannot_decide_two_stages_of_a_version_unless_the_workspace_allows_it(
    side_a, claim_clip
) -> None:
    # Stages without owners keep the old rule: every reviewer, manager and owner may decide them.
    _stages(side_a, StageConfig(name="Legal", position=2))
    version = _version(side_a, claim_clip)
    services.decision_record(version=version, stage_name="Brand", reviewer=side_a.manager, outcome="approved")
    with pytest.raises(ValidationError, match="already decided another stage"):
        services.decision_record(
            version=version, stage_name="Legal", reviewer=side_a.manager, outcome="approved"
        )
    assert len(_refusals(version)) == 1

    services.review_settings_update(
        workspace_id=side_a.workspace.pk, one_person_many_stages=True, actor=side_a.owner
    )
    services.decision_record(version=version, stage_name="Legal", reviewer=side_a.manager, outcome="approved")
    version.refresh_from_db()
    assert version.outcome == "approved"
    changed = AuditEvent.objects.get(workspace=side_a.workspace, verb="review_settings_changed")
    assert changed.detail == {"one_person_many_stages": True} and "owner@alpha.example" in changed.actor


def test_parallel_stages_also_need_two_people(side_a, claim_clip) -> None:
    services.stages_configure(
        campaign_id=side_a.campaign.pk, workspace_id=side_a.workspace.pk, stages=[("Brand", 1), ("Legal", 1)]
    )
    version = _version(side_a, claim_clip)
    services.decision_record(
        version=version, stage_name="Legal", reviewer=side_a.reviewer, outcome="approved"
    )
    with pytest.raises(ValidationError, match="already decided another stage"):
        services.decision_record(
            version=version, stage_name="Brand", reviewer=side_a.reviewer, outcome="approved"
        )


def test_stage_owners_are_set_in_the_stage_form_and_every_change_is_audited(side_a, login_as) -> None:
    url = f"/reviews/campaigns/{side_a.campaign.pk}/stages/"
    client = login_as(side_a.manager)
    page = client.get(url).content.decode()
    assert "Roles who may decide" in page and str(side_a.reviewer) in page
    assert str(side_a.viewer) not in page  # a viewer cannot be made to decide
    form = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "20",
        "form-0-name": "Brand",
        "form-0-position": "1",
        "form-1-name": "Legal",
        "form-1-position": "2",
        "form-1-roles": [Role.OWNER],
        "form-1-members": [side_a.reviewer.pk],
        "form-2-name": "",
        "form-2-position": "1",
    }
    assert client.post(url, form).status_code == 302
    owners = services.campaign_stage_owners(side_a.campaign.pk)
    assert owners["Legal"].roles == (Role.OWNER,) and owners["Brand"].anyone
    [event] = AuditEvent.objects.filter(workspace=side_a.workspace, verb="stage_owners_changed")
    assert event.detail["stage"] == "Legal"
    assert event.detail["after"] == {"roles": ["owner"], "members": [str(side_a.reviewer)]}
    assert "manager@alpha.example" in event.actor

    # A viewer cannot be named, and the manager cannot flip the workspace-wide setting.
    refused = client.post(url, {**form, "form-1-members": [side_a.viewer.pk]})
    assert refused.status_code == 400
    client.post(url, {**form, "form-1-roles": [], "settings-one_person_many_stages": "on"})
    assert not services.review_settings(side_a.workspace.pk).one_person_many_stages
    assert AuditEvent.objects.filter(workspace=side_a.workspace, verb="stage_owners_changed").count() == 2


def test_decisions_outlive_a_removed_stage(side_a, claim_clip) -> None:
    _stages(side_a, StageConfig(name="Legal", position=2))
    version = _version(side_a, claim_clip)
    services.decision_record(version=version, stage_name="Brand", reviewer=side_a.manager, outcome="approved")
    services.stages_configure(
        campaign_id=side_a.campaign.pk, workspace_id=side_a.workspace.pk, stages=[("Legal", 1)]
    )
    assert list(version.decisions.values_list("stage_name", flat=True)) == ["Brand"]
