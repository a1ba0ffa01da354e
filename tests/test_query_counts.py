"""The hot pages run the same number of queries for one row as for many, and stay under a ceiling.

Each test renders its page with one row, adds four more, renders again and compares: a query per
submission, collaboration, finding or comment would show up as a difference. The ceilings are the
counts of today; a page that needs more has to say why here. The home page has its pin next to its
other tests (creatordesk/dashboard/tests/test_needs_me_now.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.campaigns.products import campaign_update, product_create
from creatordesk.campaigns.services import campaign_create, collaboration_create, shipment_create
from creatordesk.creators.services import creator_create
from creatordesk.reviews import services as reviews
from creatordesk.reviews.models import AnalysisStatus, Finding, FindingState, Version
from creatordesk.reviews.services import StageConfig, stages_configure

pytestmark = pytest.mark.django_db

REVIEW_PAGE = 23
QUEUE_OPEN = 11
QUEUE_DONE = 11
# The board lists the campaign's products for its sample form; the detail page shows each sample's path.
BOARD = 8
CAMPAIGN_DETAIL = 11


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _queries(client: Client, path: str, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _pin(render: Callable[[], tuple[int, str]], grow: Callable[[], None], *, ceiling: int) -> str:
    """The page's count with one row equals that with five and stays under `ceiling`; the page with five."""
    one, _page = render()
    grow()
    five, page = render()
    assert five == one, f"{one} queries with one row, {five} with five"
    assert five <= ceiling, f"{five} queries, more than the {ceiling} this page may use"
    return page


def _creator_collaboration(side, campaign: Campaign, n: int) -> Collaboration:
    creator = creator_create(workspace=side.workspace, display_name=f"Row {n}", tiktok_handle=f"row_{n}")
    return collaboration_create(campaign=campaign, creator=creator)


def _version(side, clip: Path, collaboration: Collaboration, title: str) -> Version:
    submission = reviews.submission_create(collaboration=collaboration, title=title, actor=side.creator)
    version = reviews.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=clip,
        original_name="clip.mp4",
        by_creator=side.creator,
    )
    Version.objects.filter(pk=version.pk).update(analysis_status=AnalysisStatus.DONE)
    return version


def _two_stages(side, campaign: Campaign) -> None:
    stages_configure(
        campaign_id=campaign.pk,
        workspace_id=side.workspace.pk,
        stages=[
            StageConfig(name="Brand", position=1, members=(side.reviewer,)),
            StageConfig(name="Legal", position=2),
        ],
        actor="test",
    )


# The review page


def _finding_and_comments(side, version: Version, n: int) -> None:
    # The analysis does not run here; a finding as it would record one, judged by the reviewer.
    finding = Finding.objects.create(
        workspace=version.workspace, version=version, rule="medical_claim.cure", category="medical_claim",
        severity="block", source="speech", start_s=n, end_s=n + 1, evidence="heilt", explanation="Claim.",
        citation="HWG § 3",
    )  # fmt: skip
    reviews.finding_set_state(finding=finding, state=FindingState.CONFIRMED, reason="", user=side.reviewer)
    staff = reviews.comment_add(version=version, body=f"Cut at {n}", start_s=n, author=side.reviewer)
    reviews.comment_add(version=version, body=f"Done {n}", parent=staff, author_creator=side.creator)


def test_review_page_queries_do_not_grow_with_findings_comments_and_versions(
    side_a, login_as, claim_clip
) -> None:
    _two_stages(side_a, side_a.campaign)
    version = _version(side_a, claim_clip, side_a.collaboration, "Serum video")
    _finding_and_comments(side_a, version, 0)
    reviews.decision_record(
        version=version, stage_name="Brand", reviewer=side_a.reviewer, outcome="changes_required", note="Cut."
    )
    client = login_as(side_a.reviewer)
    path = f"/reviews/{version.submission_id}/"

    def grow() -> None:
        latest = reviews.submission_submit(
            collaboration=version.submission.collaboration,
            submission=version.submission,
            source=claim_clip,
            original_name="v2.mp4",
            by_creator=side_a.creator,
        )
        for n in range(1, 5):
            _finding_and_comments(side_a, latest, n)

    def render() -> tuple[int, str]:
        return _queries(client, path)

    page = _pin(render, grow, ceiling=REVIEW_PAGE)
    assert all(f"Cut at {n}" in page and f"Done {n}" in page for n in range(1, 5))
    assert "Cut at 0" not in page


# The review queue


def _queue_rows(side, clip: Path, n: int, *, decided: bool, start: int = 0) -> None:
    """`n` submissions, each in a campaign of its own with two stages, waiting at or decided by "Brand"."""
    for i in range(start, start + n):
        campaign = campaign_create(workspace=side.workspace, name=f"Queue campaign {decided} {i}")
        _two_stages(side, campaign)
        version = _version(side, clip, _creator_collaboration(side, campaign, i), f"Queued video {i}")
        if decided:
            reviews.decision_record(
                version=version, stage_name="Brand", reviewer=side.reviewer, outcome="rejected", note="No."
            )


@pytest.mark.parametrize(
    ("tab", "ceiling"), [pytest.param("", QUEUE_OPEN, id="open"), pytest.param("done", QUEUE_DONE, id="done")]
)
def test_queue_with_stage_filter_runs_the_same_queries_for_one_row_as_for_five(
    side_a, login_as, claim_clip, tab, ceiling
) -> None:
    decided = tab == "done"
    _queue_rows(side_a, claim_clip, 1, decided=decided)
    client = login_as(side_a.reviewer)
    params = {"stage": "Brand", "tab": tab} if tab else {"stage": "Brand"}
    page = _pin(
        lambda: _queries(client, "/reviews/", params),
        lambda: _queue_rows(side_a, claim_clip, 4, decided=decided, start=1),
        ceiling=ceiling,
    )
    assert page.count("Queued video") == 5
    # The filter still filters: nothing waits at or was decided by the second stage.
    other = client.get("/reviews/", {**params, "stage": "Legal"}).content.decode()
    assert "Queued video" not in other


def test_queue_stage_filter_keeps_a_submission_waiting_at_the_later_stage_apart(
    side_a, login_as, claim_clip
) -> None:
    _two_stages(side_a, side_a.campaign)
    brand_done = _version(side_a, claim_clip, side_a.collaboration, "Passed brand video")
    reviews.decision_record(
        version=brand_done, stage_name="Brand", reviewer=side_a.reviewer, outcome="approved", note=""
    )
    _version(side_a, claim_clip, _creator_collaboration(side_a, side_a.campaign, 9), "Fresh video")
    client = login_as(side_a.reviewer)
    at_legal = client.get("/reviews/", {"stage": "Legal"}).content.decode()
    assert "Passed brand video" in at_legal and "Fresh video" not in at_legal
    at_brand = client.get("/reviews/", {"stage": "Brand"}).content.decode()
    assert "Fresh video" in at_brand and "Passed brand video" not in at_brand


# The board and the campaign detail


def _collaborations(side, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        collaboration = _creator_collaboration(side, side.campaign, i)
        shipment_create(
            collaboration=collaboration, carrier="DHL", tracking_number=f"00340434{i:04d}", status="shipped"
        )
        reviews.submission_create(collaboration=collaboration, title=f"Video {i}", actor=side.creator)


def test_board_queries_do_not_grow_with_collaborations(side_a, login_as) -> None:
    _collaborations(side_a, 1)
    client = login_as(side_a.manager)
    page = _pin(
        lambda: _queries(client, f"/campaigns/{side_a.campaign.pk}/board/"),
        lambda: _collaborations(side_a, 4, start=1),
        ceiling=BOARD,
    )
    assert all(f"Row {i}" in page for i in range(5))


def test_campaign_detail_queries_do_not_grow_with_collaborations(side_a, login_as) -> None:
    product = product_create(workspace=side_a.workspace, name="Serum", sku="S-1")
    campaign_update(campaign=side_a.campaign, name=side_a.campaign.name, products=[product])
    _collaborations(side_a, 1)
    client = login_as(side_a.manager)
    page = _pin(
        lambda: _queries(client, f"/campaigns/{side_a.campaign.pk}/"),
        lambda: _collaborations(side_a, 4, start=1),
        ceiling=CAMPAIGN_DETAIL,
    )
    assert all(f"Row {i}" in page for i in range(5))
