"""The profit page: every member reads it, in English and German, and it holds only the own workspace."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from creatordesk.campaigns.models import Collaboration, Product
from creatordesk.campaigns.products import product_create
from creatordesk.shop.models import Source
from creatordesk.shop.records import OrderRecord, orders_write

pytestmark = pytest.mark.django_db

URL = "/shop/profit/"


@pytest.fixture
def sales(side_a, side_b):
    for side, gmv in ((side_a, "1234.00"), (side_b, "777.00")):
        product = product_create(workspace=side.workspace, name="Serum")
        Product.objects.filter(pk=product.pk).update(shop_product_id="P1")
        side.campaign.products.add(product)
        handle = side.creator.tiktok_handle
        orders_write(
            workspace=side.workspace,
            records=[
                OrderRecord("O1", "S", "P1", handle, gmv=Decimal(gmv), commission_estimated=Decimal("100")),
                OrderRecord("O2", "S", "P1", handle, currency="USD", gmv=Decimal("20.00")),
            ],
            source=Source.TIKTOK_API,
        )
    # A creator who costs more than they sold: a bar to the left.
    Collaboration.objects.filter(pk=side_a.collaboration.pk).update(flat_fee_eur=Decimal("1500.00"))


def test_every_member_reads_the_tables_chart_formula_and_tiers(side_a, login_as, sales) -> None:
    for user in (side_a.owner, side_a.manager, side_a.reviewer, side_a.viewer):
        response = login_as(user).get(URL)
        assert response.status_code == 200
    page = response.content.decode()
    assert "GMV − refunds − commission − Shop Ads commission − samples − flat fee" in page
    by_creator = page.split('data-testid="profit-by-creator"', 1)[1].split("</table>", 1)[0]
    # 1,234.00 − 100.00 estimated commission − 1,500.00 flat fee
    assert f'href="/creators/{side_a.creator.pk}/"' in by_creator and "-366.00" in by_creator
    assert "commission estimated" in by_creator
    assert "1 order line in USD left out (20.00 USD)" in by_creator
    assert 'data-sign="negative"' in page.split('data-testid="profit-chart"', 1)[1]
    by_campaign = page.split('data-testid="profit-by-campaign"', 1)[1].split("</table>", 1)[0]
    assert f'href="/campaigns/{side_a.campaign.pk}/"' in by_campaign
    tier_rows = page.split('data-testid="profit-tiers"', 1)[1].split("</table>", 1)[0]
    assert 'data-tier="trial"' in tier_rows and "10.00 %" in tier_rows


def test_another_workspace_sees_none_of_it(side_a, side_b, login_as, sales) -> None:
    page = login_as(side_b.viewer).get(URL).content.decode()
    assert side_a.creator.display_name not in page and side_a.campaign.name not in page
    assert "777.00" in page and "1,234.00" not in page


def test_the_page_renders_in_german(side_a, login_as, sales, settings) -> None:
    settings.LANGUAGE_CODE = "de"
    client = login_as(side_a.viewer)
    # A signed-in member reads the page in the language of their profile.
    client.post("/accounts/language/", {"language": "de", "next": "/"})
    with translation.override("de"):
        response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200 and '<html lang="de">' in page
    assert "Kampagne" in page and "Bestellungen" in page
    # German number format: -366,00 with a comma.
    assert "-366,00" in page


def test_an_empty_workspace_says_where_the_figures_come_from(side_a, login_as) -> None:
    page = login_as(side_a.viewer).get(URL).content.decode()
    assert "Affiliate orders, samples and flat fees appear here" in page
    assert 'data-testid="profit-chart"' not in page


def test_a_period_that_ends_before_it_starts_is_refused_in_words(side_a, login_as, sales) -> None:
    response = login_as(side_a.viewer).get(URL, {"start": "2026-03-10", "end": "2026-03-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The period ends before it starts." in page
    # Nothing is filtered by a period that was refused.
    assert "1,234.00" in page


def test_the_page_needs_as_many_queries_for_five_creators_as_for_one(side_a, login_as, sales) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from creatordesk.campaigns.services import collaboration_create
    from creatordesk.creators.services import creator_create

    client = login_as(side_a.viewer)
    client.get(URL)  # the session and the workspace settle on the first request

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    one = queries()
    for n in range(4):
        creator = creator_create(
            workspace=side_a.workspace, display_name=f"More {n}", tiktok_handle=f"more_{n}"
        )
        collaboration_create(campaign=side_a.campaign, creator=creator)
        orders_write(
            workspace=side_a.workspace,
            records=[OrderRecord(f"M{n}", "S", "P1", f"more_{n}", gmv=Decimal(10))],
            source=Source.TIKTOK_API,
        )
    page = client.get(URL).content.decode()
    assert page.count('data-testid="tier-row"') == 5
    assert queries() == one
