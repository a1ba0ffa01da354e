"""The flat fee of a collaboration: set on the campaign page, counted against its profit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from creatordesk.creators.models import ActivityEvent

pytestmark = pytest.mark.django_db


def test_a_manager_sets_a_flat_fee_with_a_decimal_comma_and_it_lands_in_the_timeline(
    side_a, login_as
) -> None:
    client = login_as(side_a.manager)
    url = f"/campaigns/collaborations/{side_a.collaboration.pk}/fee/"

    client.post(url, {"flat_fee_eur": "249,50"})

    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.flat_fee_eur == Decimal("249.50")
    assert ActivityEvent.objects.filter(collaboration=side_a.collaboration, verb="fee_set").exists()
    page = client.get(f"/campaigns/{side_a.campaign.pk}/").content.decode()
    assert 'value="249.50"' in page


def test_a_fee_that_is_not_a_number_or_negative_changes_nothing(side_a, login_as) -> None:
    client = login_as(side_a.manager)
    url = f"/campaigns/collaborations/{side_a.collaboration.pk}/fee/"
    for wrong in ("zweihundert", "-5"):
        page = client.post(url, {"flat_fee_eur": wrong}, follow=True).content.decode()
        assert "error" in page or "Enter" in page
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.flat_fee_eur is None


def test_a_reviewer_cannot_set_a_fee(side_a, login_as) -> None:
    response = login_as(side_a.reviewer).post(
        f"/campaigns/collaborations/{side_a.collaboration.pk}/fee/", {"flat_fee_eur": "10"}
    )
    assert response.status_code == 403
    side_a.collaboration.refresh_from_db()
    assert side_a.collaboration.flat_fee_eur is None
