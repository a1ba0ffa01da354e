from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from creatordesk.campaigns.models import Collaboration, SampleShipment
from creatordesk.campaigns.services import collaboration_move, shipment_create, shipment_set_status
from creatordesk.creators.models import ActivityEvent

pytestmark = pytest.mark.django_db


def test_moving_a_collaboration_records_it_in_the_creators_timeline(side_a, login_as) -> None:
    response = login_as(side_a.manager).post(
        f"/campaigns/collaborations/{side_a.collaboration.pk}/move/", {"status": "invited"}
    )
    assert response.status_code == 302
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == "invited"
    texts = list(ActivityEvent.objects.filter(creator=side_a.creator).values_list("text", flat=True))
    assert any("Prospect → Invited" in t for t in texts)


def test_board_move_over_htmx_returns_the_updated_board(side_a, login_as) -> None:
    response = login_as(side_a.manager).post(
        f"/campaigns/collaborations/{side_a.collaboration.pk}/move/",
        {"status": "invited"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="board"' in html
    assert "<html" not in html
    invited_column = html.split('data-testid="column-invited"')[1].split("</section>")[0]
    assert 'data-testid="card-alpha_one"' in invited_column


def test_viewer_cannot_move_collaborations(side_a, login_as) -> None:
    url = f"/campaigns/collaborations/{side_a.collaboration.pk}/move/"
    assert login_as(side_a.viewer).post(url, {"status": "paid"}).status_code == 403
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == "prospect"


def test_bulk_move_and_due_date_only_touch_the_chosen_collaborations_of_this_campaign(
    side_a, side_b, login_as
) -> None:
    from creatordesk.campaigns.services import collaboration_create

    second = collaboration_create(campaign=side_a.campaign, creator=side_a.other_creator)
    response = login_as(side_a.manager).post(
        f"/campaigns/{side_a.campaign.pk}/board/bulk/",
        {
            "collaboration": [side_a.collaboration.pk, side_b.collaboration.pk],
            "status": "invited",
            "due_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    statuses = dict(Collaboration.objects.values_list("pk", "status"))
    assert statuses[side_a.collaboration.pk] == "invited"
    assert statuses[second.pk] == "prospect"
    assert statuses[side_b.collaboration.pk] == "prospect"
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.due_on == datetime.date(2026, 12, 1)


def test_overdue_collaborations_are_highlighted_on_the_board(side_a, login_as) -> None:
    Collaboration.objects.filter(pk=side_a.collaboration.pk).update(due_on=datetime.date(2020, 1, 1))
    page = login_as(side_a.viewer).get(f"/campaigns/{side_a.campaign.pk}/board/").content.decode()
    assert "overdue-card" in page


def test_shipping_and_delivering_a_sample_moves_the_collaboration_forward_only(side_a) -> None:
    collaboration_move(collaboration=side_a.collaboration, status="accepted")
    shipment = shipment_create(
        collaboration=side_a.collaboration, carrier="DHL", tracking_number="00340434", status="shipped"
    )
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == "sample_sent"
    assert shipment.shipped_on == timezone.localdate()
    shipment_set_status(shipment=shipment, status=SampleShipment.Status.DELIVERED)
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == "sample_delivered"
    collaboration_move(collaboration=side_a.collaboration, status="approved")
    shipment_set_status(shipment=shipment, status=SampleShipment.Status.DELIVERED)
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == "approved"


def test_a_review_decision_moves_the_collaboration(side_a) -> None:
    from creatordesk.reviews.models import Submission, Version
    from creatordesk.reviews.services import decision_record

    submission = Submission.objects.create(
        workspace=side_a.workspace, collaboration=side_a.collaboration, title="t"
    )
    version = Version.objects.create(
        workspace=side_a.workspace, submission=submission, number=1, file="x.mp4", original_name="x.mp4",
        size_bytes=1, duration_s=5, width=720, height=1280,
    )  # fmt: skip
    decision_record(
        version=version, stage_name="Review", reviewer=side_a.reviewer, outcome="changes_required", note="x"
    )
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.status == "changes_requested"


def test_fit_ranking_page_lists_the_workspace_creators_only(side_a, side_b, login_as) -> None:
    page = login_as(side_a.viewer).get(f"/campaigns/{side_a.campaign.pk}/fit/").content.decode()
    assert side_a.creator.display_name in page
    assert side_b.creator.display_name not in page
