"""Find creators: adding creators to the campaign from the ranking, and who is marked as in it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from creatordesk.campaigns import fit
from creatordesk.campaigns.fit_services import collaborations_add
from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.creators.models import ActivityEvent, Creator
from creatordesk.creators.services import creator_create

pytestmark = pytest.mark.django_db


def _url(side, suffix: str = "") -> str:
    return f"/campaigns/{side.campaign.pk}/fit/{suffix}"


def _rows(page: str) -> dict[str, str]:
    """The ranking's rows by creator name."""
    body = page.split('data-testid="fit-ranking"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in body.split("<tr data-creator=")[1:]:
        name = row.split("</a>", 1)[0].rsplit(">", 1)[1]
        rows[name] = row
    return rows


def test_a_creator_in_the_campaign_shows_its_status_and_the_others_an_add_button(side_a, login_as) -> None:
    rows = _rows(login_as(side_a.manager).get(_url(side_a)).content.decode())
    member = rows[side_a.creator.display_name]
    assert "In campaign · Prospect" in member
    assert f'href="/campaigns/{side_a.campaign.pk}/board/"' in member
    assert "Add to campaign" not in member
    assert "Add to campaign" in rows[side_a.other_creator.display_name]


def test_adding_one_creator_creates_a_prospect_once_and_says_so(side_a, login_as) -> None:
    client = login_as(side_a.manager)
    other = side_a.other_creator
    response = client.post(_url(side_a, "add/"), {"creator": other.pk, "page": "1"}, follow=True)
    assert "1 creator added to the campaign." in response.content.decode()
    collaboration = Collaboration.objects.get(campaign=side_a.campaign, creator=other)
    assert collaboration.status == "prospect"
    assert ActivityEvent.objects.filter(creator=other, verb="collaboration_created").count() == 1
    assert "In campaign · Prospect" in _rows(response.content.decode())[other.display_name]

    again = client.post(_url(side_a, "add/"), {"creator": other.pk}, follow=True).content.decode()
    assert "0 creators added to the campaign. 1 was in it already." in again
    assert Collaboration.objects.filter(campaign=side_a.campaign, creator=other).count() == 1


def test_several_creators_are_added_at_once_and_those_in_it_are_counted(side_a, login_as) -> None:
    third = creator_create(workspace=side_a.workspace, display_name="Third alpha")
    picked = [side_a.creator.pk, side_a.other_creator.pk, third.pk]
    page = login_as(side_a.owner).post(_url(side_a, "add/"), {"creator": picked}, follow=True)
    assert "2 creators added to the campaign. 1 was in it already." in page.content.decode()
    members = Collaboration.objects.filter(campaign=side_a.campaign)
    assert sorted(members.values_list("creator_id", flat=True)) == sorted(picked)


def test_the_row_action_answers_htmx_with_the_new_state_of_the_row(side_a, login_as) -> None:
    response = login_as(side_a.manager).post(
        _url(side_a, "add/"), {"creator": side_a.other_creator.pk}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Added" in html and "In campaign · Prospect" in html


def test_hiding_creators_already_in_leaves_only_the_others(side_a, login_as) -> None:
    rows = _rows(login_as(side_a.viewer).get(_url(side_a), {"hide_in": "1"}).content.decode())
    assert list(rows) == [side_a.other_creator.display_name]


def test_only_managers_see_and_use_the_add_buttons(side_a, login_as) -> None:
    for user in (side_a.viewer, side_a.reviewer):
        client = login_as(user)
        assert "Add to campaign" not in client.get(_url(side_a)).content.decode()
        assert client.post(_url(side_a, "add/"), {"creator": side_a.other_creator.pk}).status_code == 403
    assert not Collaboration.objects.filter(creator=side_a.other_creator).exists()


def test_a_creator_of_another_workspace_is_never_added(side_a, side_b, login_as) -> None:
    client = login_as(side_a.manager)
    client.post(_url(side_a, "add/"), {"creator": side_b.other_creator.pk})
    assert not Collaboration.objects.filter(creator=side_b.other_creator, campaign=side_a.campaign).exists()
    assert client.post(_url(side_b, "add/"), {"creator": side_b.other_creator.pk}).status_code == 404
    with pytest.raises(ValidationError):
        collaborations_add(campaign=side_a.campaign, creators=[side_b.other_creator], actor=None)


def test_a_long_ranking_is_shown_a_page_at_a_time(side_a, login_as) -> None:
    Creator.objects.bulk_create(
        Creator(workspace=side_a.workspace, display_name=f"Bulk {n:03}") for n in range(60)
    )
    client = login_as(side_a.manager)
    first = client.get(_url(side_a)).content.decode()
    second = client.get(_url(side_a), {"page": "2"}).content.decode()
    assert len(_rows(first)) == 50 and len(_rows(second)) == 12
    assert "Page 1 of 2" in first and not set(_rows(first)) & set(_rows(second))


def test_an_affiliate_center_category_matches_the_campaign_target() -> None:
    campaign = Campaign(name="K", target_categories="beauty, skincare")
    imported = Creator(
        display_name="C", categories="Beauty & Personal Care, Beauty and Personal Care > Skincare"
    )
    part = fit.category_part(imported, campaign)
    assert part.points == 20
    assert "beauty, skincare" in part.detail
    german = Creator(display_name="D", categories="Beauty & Körperpflege")
    assert fit.category_part(german, Campaign(name="K", target_categories="Beauty")).points == 20
    other = Creator(display_name="E", categories="Phones & Electronics")
    assert fit.category_part(other, campaign).points == 0


def test_the_ranking_explains_each_creators_past_profit_with_the_workspace(side_a, login_as) -> None:
    from decimal import Decimal

    from creatordesk.campaigns.models import Product
    from creatordesk.campaigns.products import product_create
    from creatordesk.shop.models import Source
    from creatordesk.shop.records import OrderRecord, orders_write

    product = product_create(workspace=side_a.workspace, name="Serum")
    Product.objects.filter(pk=product.pk).update(shop_product_id="P1")
    side_a.campaign.products.add(product)
    # 1,500.00 GMV − 266.00 paid commission = 1,234.00 over the one collaboration of the cast.
    orders_write(
        workspace=side_a.workspace,
        records=[
            OrderRecord(
                "O1", "S", "P1", side_a.creator.tiktok_handle, gmv=Decimal(1500), commission_paid=Decimal(266)
            )
        ],
        source=Source.TIKTOK_API,
    )
    rows = _rows(login_as(side_a.viewer).get(_url(side_a)).content.decode())
    assert (
        'title="Past profit with you: 1,234 € over 1 collaboration" data-part="past_profit"'
        in rows[side_a.creator.display_name]
    )
    assert 'title="no past orders" data-part="past_profit"' in rows[side_a.other_creator.display_name]
    assert "Past profit 6/6" in rows[side_a.creator.display_name]
