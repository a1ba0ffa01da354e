"""The home page's "needs you now" list: the right work for each role, never another workspace's."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from creatordesk.accounts.models import Membership, Role, User
from creatordesk.accounts.services import membership_set, user_create
from creatordesk.campaigns.briefs import brief_save
from creatordesk.campaigns.models import Collaboration, CollaborationStatus, SampleShipment
from creatordesk.campaigns.services import (
    collaboration_create,
    collaboration_set_due,
    shipment_create,
)
from creatordesk.creators.services import creator_create
from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.models import ViralAlert
from creatordesk.performance.services import alert_snooze, post_create, snapshots_record
from creatordesk.reviews import services as reviews
from creatordesk.reviews.models import AnalysisStatus, Version
from creatordesk.reviews.services import StageConfig, stages_configure
from creatordesk.shop.samples import CONTENT_DAYS

pytestmark = pytest.mark.django_db

ROW = 'data-testid="needs-row"'


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _member(side, role: str, name: str) -> User:
    user = user_create(
        email=f"{name}@{side.workspace.pk}.example", password="x-long-pass-99", first_name=name
    )
    membership_set(workspace=side.workspace, user=user, role=role)
    return user


def _home(login_as, user: User) -> str:
    response = login_as(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def _group(page: str, key: str) -> str:
    """The HTML of one group of the list, or "" when the page does not show it."""
    marker = f'data-testid="needs-{key}"'
    if marker not in page:
        return ""
    return page.split(marker, 1)[1].split("</section>", 1)[0]


def _ready_version(side, clip: Path, title: str, collaboration: Collaboration | None = None) -> Version:
    """An uploaded version whose pre-review finished, so it waits for a decision."""
    submission = reviews.submission_create(
        collaboration=collaboration or side.collaboration, title=title, actor=side.creator
    )
    version = reviews.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=clip,
        original_name="clip.mp4",
        by_creator=side.creator,
    )
    Version.objects.filter(pk=version.pk).update(analysis_status=AnalysisStatus.DONE)
    return version


def _late_collaboration(side, name: str, *, status: str = CollaborationStatus.BRIEFED, days: int = 3):
    creator = creator_create(workspace=side.workspace, display_name=name, tiktok_handle=name.lower())
    collaboration = collaboration_create(campaign=side.campaign, creator=creator, status=status)
    return collaboration_set_due(
        collaboration=collaboration, due_on=timezone.localdate() - datetime.timedelta(days=days)
    )


def _delivered_sample(collaboration: Collaboration, *, days_ago: int) -> SampleShipment:
    shipment = shipment_create(
        collaboration=collaboration, carrier="DHL", tracking_number="00340", status="delivered"
    )
    # The service stamps today's date on delivery; the test needs a delivery some days back.
    SampleShipment.objects.filter(pk=shipment.pk).update(
        delivered_on=timezone.localdate() - datetime.timedelta(days=days_ago)
    )
    return shipment


def _breakout(side) -> ViralAlert:
    """A post far ahead of the creator's three earlier ones raises an alert the real way."""

    def post(views: dict[int, int], days_ago: int):
        posted = timezone.now() - datetime.timedelta(days=days_ago)
        made = post_create(
            collaboration=side.collaboration,
            platform="tiktok",
            external_id=f"74{side.workspace.pk}{days_ago:03d}{sum(views.values())}",
            posted_at=posted,
        )
        rows = [
            (made, Snapshot(taken_at=posted + datetime.timedelta(days=d), views=v)) for d, v in views.items()
        ]
        snapshots_record(rows=rows, check_viral=False)
        return made

    for days_ago, views in ((30, 9000), (20, 10000), (10, 12000)):
        post({1: views, 3: views * 2}, days_ago)
    hot = post({}, 2)
    snapshots_record(
        rows=[(hot, Snapshot(taken_at=hot.posted_at + datetime.timedelta(hours=24), views=55000))]
    )
    return ViralAlert.objects.get(post=hot)


# Reviews


def test_a_review_waiting_shows_for_owner_and_reviewer_but_not_viewer(side_a, login_as, claim_clip) -> None:
    _ready_version(side_a, claim_clip, "Serum morning routine")
    for user in (side_a.owner, side_a.manager, side_a.reviewer):
        reviews_group = _group(_home(login_as, user), "reviews")
        assert "Serum morning routine (v1)" in reviews_group and "Stage: Review" in reviews_group
        assert f'href="/reviews/{Version.objects.get().submission_id}/"' in reviews_group
    viewer_page = _home(login_as, side_a.viewer)
    assert "Serum morning routine" not in viewer_page and not _group(viewer_page, "reviews")


def test_a_reviewer_sees_only_stages_they_may_decide(side_a, login_as, claim_clip) -> None:
    legal = _member(side_a, Role.REVIEWER, "legal")
    stages_configure(
        campaign_id=side_a.campaign.pk,
        workspace_id=side_a.workspace.pk,
        stages=[StageConfig(name="Legal", position=1, members=(legal,))],
        actor="test",
    )
    _ready_version(side_a, claim_clip, "Serum claims check")
    assert "Serum claims check" in _group(_home(login_as, legal), "reviews")
    assert "Serum claims check" not in _home(login_as, side_a.reviewer)
    # Owners and managers see every waiting review, whoever decides it.
    assert "Serum claims check" in _group(_home(login_as, side_a.owner), "reviews")


def test_who_decided_the_first_stage_does_not_see_the_second(side_a, login_as, claim_clip) -> None:
    second = _member(side_a, Role.REVIEWER, "second")
    stages_configure(
        campaign_id=side_a.campaign.pk,
        workspace_id=side_a.workspace.pk,
        stages=[
            StageConfig(name="Brand", position=1, roles=(Role.REVIEWER,)),
            StageConfig(name="Legal", position=2, roles=(Role.REVIEWER,)),
        ],
        actor="test",
    )
    version = _ready_version(side_a, claim_clip, "Two stage video")
    assert "Stage: Brand" in _group(_home(login_as, side_a.reviewer), "reviews")
    reviews.decision_record(
        version=version, stage_name="Brand", reviewer=side_a.reviewer, outcome="approved", note=""
    )
    assert "Two stage video" not in _home(login_as, side_a.reviewer)
    assert "Stage: Legal" in _group(_home(login_as, second), "reviews")


def test_a_version_still_in_pre_review_or_decided_is_not_listed(side_a, login_as, claim_clip) -> None:
    submission = reviews.submission_create(collaboration=side_a.collaboration, title="Analysing", actor="t")
    reviews.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="c.mp4",
        by_user=side_a.owner,
    )
    decided = _ready_version(side_a, claim_clip, "Already approved")
    reviews.decision_record(
        version=decided, stage_name="Review", reviewer=side_a.reviewer, outcome="approved", note=""
    )
    group = _group(_home(login_as, side_a.owner), "reviews")
    assert "Analysing" not in group and "Already approved" not in group
    assert 'data-testid="needs-reviews-empty"' in group


# Overdue drafts and posts


def test_an_overdue_draft_shows_for_managers_with_how_late_and_not_for_reviewers(side_a, login_as) -> None:
    _late_collaboration(side_a, "Late Lena", days=3)
    group = _group(_home(login_as, side_a.manager), "overdue")
    assert "Late Lena" in group and "Draft" in group and "3 days overdue" in group
    assert f'href="/campaigns/{side_a.campaign.pk}/board/"' in group
    assert "Late Lena" not in _home(login_as, side_a.reviewer)


def test_the_briefs_post_deadline_counts_for_approved_and_stops_once_posted(side_a, login_as) -> None:
    brief_save(campaign=side_a.campaign, post_due_on=timezone.localdate() - datetime.timedelta(days=1))
    creator = creator_create(workspace=side_a.workspace, display_name="Approved Anna", tiktok_handle="anna")
    collaboration_create(campaign=side_a.campaign, creator=creator, status=CollaborationStatus.APPROVED)
    posted = creator_create(workspace=side_a.workspace, display_name="Posted Paula", tiktok_handle="paula")
    collaboration_create(campaign=side_a.campaign, creator=posted, status=CollaborationStatus.POSTED)
    group = _group(_home(login_as, side_a.owner), "overdue")
    assert "Approved Anna" in group and "Post" in group and "1 day overdue" in group
    assert "Posted Paula" not in group


def test_a_due_date_of_today_is_not_overdue(side_a, login_as) -> None:
    _late_collaboration(side_a, "Today Tom", days=0)
    assert "Today Tom" not in _home(login_as, side_a.owner)


# Content overdue after a sample


def test_a_sample_past_its_content_deadline_without_a_video_shows_days_late_for_managers(
    side_a, login_as, claim_clip
) -> None:
    waiting = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    _delivered_sample(waiting, days_ago=CONTENT_DAYS + 2)
    _delivered_sample(side_a.collaboration, days_ago=CONTENT_DAYS + 2)
    _ready_version(side_a, claim_clip, "Video after the sample")  # side_a.creator did send content
    page = _home(login_as, side_a.manager)
    group = _group(page, "samples")
    assert "Second alpha" in group and "2 days overdue" in group and "Content overdue" in group
    assert "No reminder: no email address" in group
    assert "Creator alpha" not in group
    assert "Second alpha" not in _home(login_as, side_a.reviewer)


def test_a_sample_whose_content_deadline_has_not_passed_is_not_listed_yet(side_a, login_as) -> None:
    _delivered_sample(side_a.collaboration, days_ago=CONTENT_DAYS)
    group = _group(_home(login_as, side_a.owner), "samples")
    assert ROW not in group
    assert f"{CONTENT_DAYS} days after delivery" in group


def test_the_shipments_own_content_date_decides_when_it_is_late(side_a, login_as) -> None:
    shipment = _delivered_sample(side_a.collaboration, days_ago=2)
    SampleShipment.objects.filter(pk=shipment.pk).update(
        content_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    group = _group(_home(login_as, side_a.owner), "samples")
    assert "Creator alpha" in group and "1 day overdue" in group


# Breakout alerts


def test_a_new_breakout_alert_shows_for_performance_until_snoozed(side_a, login_as) -> None:
    performance = _member(side_a, Role.PERFORMANCE, "perf")
    alert = _breakout(side_a)
    group = _group(_home(login_as, performance), "alerts")
    assert (
        "Breakout on TikTok" in group
        and "Creator alpha" in group
        and 'href="/performance/#alerts-title"' in group
    )
    assert not _group(_home(login_as, side_a.reviewer), "alerts")
    assert not _group(_home(login_as, side_a.viewer), "alerts")
    alert_snooze(alert=alert)
    assert ROW not in _group(_home(login_as, performance), "alerts")


# Viewers


def test_a_viewer_gets_a_read_only_list_of_approved_videos(side_a, login_as, claim_clip) -> None:
    page = _home(login_as, side_a.viewer)
    assert 'data-testid="needs-approved-empty"' in page
    version = _ready_version(side_a, claim_clip, "Approved glow video")
    reviews.decision_record(
        version=version, stage_name="Review", reviewer=side_a.reviewer, outcome="approved", note=""
    )
    group = _group(_home(login_as, side_a.viewer), "approved")
    assert "Approved glow video (v1)" in group and "today" in group
    # The decision-makers get their work list instead.
    assert not _group(_home(login_as, side_a.owner), "approved")


# Workspaces and empty states


def test_nothing_from_another_workspace_appears(side_a, side_b, login_as, claim_clip) -> None:
    _ready_version(side_b, claim_clip, "Beta waiting video")
    _late_collaboration(side_b, "Beta Late")
    _delivered_sample(side_b.collaboration, days_ago=CONTENT_DAYS + 1)
    _breakout(side_b)
    page = _home(login_as, side_a.owner)
    assert ROW not in page
    for text in ("Beta waiting video", "Beta Late", "Creator beta", "Campaign beta"):
        assert text not in page
    for key in ("reviews", "overdue", "samples", "alerts"):
        assert f'data-testid="needs-{key}-empty"' in _group(page, key)


def test_every_group_says_what_it_would_show_when_empty(side_a, login_as) -> None:
    page = _home(login_as, side_a.owner)
    for key in ("reviews", "overdue", "samples", "alerts"):
        assert f'data-testid="needs-{key}-empty"' in _group(page, key)
    assert "wait for a stage you may decide" in page
    assert "draft or post deadline has passed" in page
    assert f"video deadline ({CONTENT_DAYS} days after delivery" in page
    assert "until someone snoozes the alert" in page
    # The counters and the approval speed stay on the page.
    assert 'data-testid="counters"' in page and "Approval speed" in page


def test_the_list_is_in_german_for_a_german_reader(side_a, login_as) -> None:
    _late_collaboration(side_a, "Late Lena", days=2)
    client = login_as(side_a.manager)
    client.cookies["django_language"] = "de"
    side_a.manager.language = "de"
    side_a.manager.save(update_fields=["language"])
    page = client.get("/").content.decode()
    assert '<html lang="de">' in page and "Creator:innen" in page and "Late Lena" in page


# Query count


def _rows(side, clip: Path, n: int) -> None:
    for i in range(n):
        collaboration = _late_collaboration(
            side, f"Late {i}", status=CollaborationStatus.ACCEPTED, days=i + 1
        )
        _delivered_sample(collaboration, days_ago=CONTENT_DAYS + 1 + i)
        other = creator_create(workspace=side.workspace, display_name=f"Drafting {i}", tiktok_handle=f"d{i}")
        _ready_version(
            side, clip, f"Waiting {i}", collaboration_create(campaign=side.campaign, creator=other)
        )


HOME_QUERIES = 17


@pytest.mark.parametrize("rows", [1, 5])
def test_home_page_query_count_does_not_grow_with_rows(
    side_a, login_as, claim_clip, django_assert_num_queries, rows
) -> None:
    stages_configure(
        campaign_id=side_a.campaign.pk,
        workspace_id=side_a.workspace.pk,
        stages=[StageConfig(name="Brand", position=1, members=(side_a.reviewer,))],
        actor="test",
    )
    _rows(side_a, claim_clip, rows)
    _breakout(side_a)
    client = login_as(side_a.owner)
    with django_assert_num_queries(HOME_QUERIES):
        page = client.get("/").content.decode()
    assert page.count(ROW) == 3 * rows + 1


# The workspace navigation


def _nav(user: User, path: str) -> str:
    membership = Membership.objects.select_related("workspace").get(user=user)
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)
    context = {
        "user": user,
        "current_workspace": membership.workspace,
        "current_membership": membership,
    }
    return render_to_string("_workspace_nav.html", context, request=request)


def test_workspace_nav_links_everything_a_manager_may_use_and_marks_the_current_page(side_a) -> None:
    nav = _nav(side_a.manager, "/campaigns/products/")
    for href in (
        "/accounts/members/",
        "/accounts/api-tokens/",
        "/notifications/",
        "/campaigns/products/",
        "/creators/segments/",
    ):
        assert f'href="{href}"' in nav
    assert nav.count('aria-current="page"') == 1
    assert 'href="/campaigns/products/" aria-current="page"' in nav


def test_workspace_nav_hides_notifications_from_those_who_may_not_open_them(side_a) -> None:
    nav = _nav(side_a.viewer, "/accounts/members/")
    assert 'href="/notifications/"' not in nav
    assert 'href="/accounts/members/" aria-current="page"' in nav
    assert 'href="/accounts/api-tokens/"' in nav and 'href="/creators/segments/"' in nav


def test_profile_keeps_only_the_password_link(side_a, login_as) -> None:
    page = login_as(side_a.viewer).get("/accounts/profile/").content.decode()
    assert 'href="/accounts/password-reset/"' in page
