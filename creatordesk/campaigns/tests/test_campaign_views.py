"""Campaign settings: products of the own workspace only, budget, commission, dates, and who may edit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from creatordesk.campaigns.models import Campaign
from creatordesk.campaigns.products import product_create

pytestmark = pytest.mark.django_db


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Summer Glow",
        "description": "Launch of the SPF line",
        "starts_on": "2026-06-01",
        "ends_on": "2026-07-31",
        "budget_eur": "12500.00",
        "commission_rate": "15",
        "target_countries": "DE, AT",
        "target_languages": "de",
        "target_categories": "",
    }
    data.update(changes)
    return data


def test_campaign_form_offers_only_products_of_the_own_workspace(side_a, side_b, login_as) -> None:
    own = product_create(workspace=side_a.workspace, name="Sun Fluid SPF 50")
    foreign = product_create(workspace=side_b.workspace, name="B secret product")
    client = login_as(side_a.manager)

    page = client.get("/campaigns/new/")
    assert b"Sun Fluid SPF 50" in page.content
    assert b"B secret product" not in page.content

    response = client.post("/campaigns/new/", form_data(products=[own.pk, foreign.pk]))
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not Campaign.objects.filter(name="Summer Glow").exists()


def test_manager_creates_a_campaign_with_products_budget_and_commission(side_a, login_as) -> None:
    serum = product_create(workspace=side_a.workspace, name="Sun Fluid SPF 50")
    client = login_as(side_a.manager)
    response = client.post("/campaigns/new/", form_data(products=[serum.pk]))
    campaign = Campaign.objects.get(name="Summer Glow")
    assert response.status_code == 302
    assert list(campaign.products.all()) == [serum]
    assert campaign.budget_eur == Decimal("12500.00")
    assert campaign.commission_rate == Decimal("15")
    assert (campaign.target_countries, campaign.target_languages) == ("DE, AT", "de")

    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "Sun Fluid SPF 50" in page
    assert "12500.00 €" in page
    assert "15.0%" in page
    for name in ("campaigns:board", "campaigns:brief_edit", "campaigns:brief_preview", "reviews:stages"):
        assert f'href="{reverse(name, args=[campaign.pk])}"' in page, name


def test_manager_edits_settings_and_removes_a_product(side_a, login_as) -> None:
    keep = product_create(workspace=side_a.workspace, name="Keep")
    drop = product_create(workspace=side_a.workspace, name="Drop")
    side_a.campaign.products.set([keep, drop])
    response = login_as(side_a.manager).post(
        f"/campaigns/{side_a.campaign.pk}/edit/",
        form_data(name="Renamed", products=[keep.pk], budget_eur="", commission_rate="7.5"),
    )
    assert response.status_code == 302
    side_a.campaign.refresh_from_db()
    assert side_a.campaign.name == "Renamed"
    assert list(side_a.campaign.products.all()) == [keep]
    assert side_a.campaign.budget_eur is None
    assert side_a.campaign.commission_rate == Decimal("7.5")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_on": "2026-07-01", "ends_on": "2026-06-30"}, b"cannot end before it starts"),
        ({"commission_rate": "120"}, b"less than or equal to 100"),
        ({"budget_eur": "-5"}, b"greater than or equal to 0"),
    ],
)
def test_campaign_settings_that_make_no_sense_are_refused(changes, message, side_a, login_as) -> None:
    response = login_as(side_a.manager).post(f"/campaigns/{side_a.campaign.pk}/edit/", form_data(**changes))
    assert response.status_code == 400
    assert message in response.content
    side_a.campaign.refresh_from_db()
    assert side_a.campaign.name == "Campaign alpha"


def test_viewer_sees_the_campaign_but_cannot_create_or_edit(side_a, login_as) -> None:
    client = login_as(side_a.viewer)
    page = client.get(f"/campaigns/{side_a.campaign.pk}/")
    assert page.status_code == 200
    assert f"/campaigns/{side_a.campaign.pk}/edit/".encode() not in page.content
    assert f"/campaigns/{side_a.campaign.pk}/brief/preview/".encode() in page.content
    assert client.get("/campaigns/new/").status_code == 403
    assert client.post("/campaigns/new/", form_data()).status_code == 403
    assert client.get(f"/campaigns/{side_a.campaign.pk}/edit/").status_code == 403
    assert client.post(f"/campaigns/{side_a.campaign.pk}/edit/", form_data()).status_code == 403
    side_a.campaign.refresh_from_db()
    assert side_a.campaign.name == "Campaign alpha"


def test_member_of_another_workspace_cannot_edit_the_campaign(side_a, side_b, login_as) -> None:
    client = login_as(side_b.manager)
    assert client.get(f"/campaigns/{side_a.campaign.pk}/edit/").status_code == 404
    assert client.post(f"/campaigns/{side_a.campaign.pk}/edit/", form_data()).status_code == 404
    side_a.campaign.refresh_from_db()
    assert side_a.campaign.name == "Campaign alpha"
