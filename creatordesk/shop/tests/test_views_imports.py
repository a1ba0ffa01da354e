"""The Seller Center import pages: upload and dry run, commit of the staged file, who may use them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from creatordesk.campaigns.models import Product, SampleShipment
from creatordesk.shop.models import AffiliateOrder

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "seller_center"
INDEX = "/shop/import/"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def shop(side_a):
    for shop_id in ("1729", "4711"):
        product = Product.objects.create(
            workspace=side_a.workspace, name=shop_id, shop_product_id=shop_id, unit_cost_eur=Decimal(3)
        )
        side_a.campaign.products.add(product)
    return side_a


def upload(client: Any, name: str, data: bytes | None = None, kind: str = "auto") -> Any:
    content = data if data is not None else (FIXTURES / name).read_bytes()
    return client.post(INDEX, {"file": SimpleUploadedFile(name, content), "kind": kind})


def token_of(response: Any) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the page offers the checked file for import"
    return match.group(1)


def counts_of(response: Any) -> str:
    html = response.content.decode()
    start = html.index('data-testid="import-counts"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html[start : html.index("</p>", start)]))


def test_the_import_page_is_for_managers_and_performance_staff_only(shop, login_as) -> None:
    assert reverse("shop:imports_index") == INDEX
    assert login_as(shop.manager).get(INDEX).status_code == 200
    assert login_as(shop.owner).get(INDEX).status_code == 200
    assert login_as(shop.viewer).get(INDEX).status_code == 403
    assert login_as(shop.reviewer).get(INDEX).status_code == 403
    assert upload(login_as(shop.viewer), "samples_en.csv").status_code == 403


def test_an_english_sample_export_shows_its_mapping_and_dry_run_then_imports(shop, login_as) -> None:
    client = login_as(shop.manager)

    checked = upload(client, "samples_en.csv")

    assert checked.status_code == 200
    html = checked.content.decode()
    assert "<td>Content deadline</td><td>Content due on</td>" in html
    assert '<td>Product name</td><td><span class="muted">not imported</span></td>' in html
    assert "4 rows read: 3 new · 0 updated · 0 unchanged · 1 unmatched · 0 with errors" in counts_of(checked)
    assert "No campaign holds the product 9999." in html
    assert SampleShipment.objects.count() == 0

    done = client.post(reverse("shop:imports_commit"), {"token": token_of(checked)}, follow=True)

    assert done.redirect_chain[-1][0] == INDEX
    assert "3 new, 0 updated, 0 unchanged, 1 left out" in done.content.decode()
    assert SampleShipment.objects.filter(workspace=shop.workspace).count() == 3


def test_a_german_order_export_imports_once_and_a_second_time_changes_nothing(shop, login_as) -> None:
    client = login_as(shop.manager)
    client.post(reverse("shop:imports_commit"), {"token": token_of(upload(client, "orders_de.csv"))})
    stored = list(AffiliateOrder.objects.order_by("pk").values())
    assert len(stored) == 3

    again = upload(client, "orders_de.csv")

    assert "3 rows read: 0 new · 0 updated · 3 unchanged · 0 unmatched · 0 with errors" in counts_of(again)
    assert "<td>Geschätzte Provision</td><td>Estimated commission</td>" in again.content.decode()
    client.post(reverse("shop:imports_commit"), {"token": token_of(again)})
    assert list(AffiliateOrder.objects.order_by("pk").values()) == stored


def test_a_broken_file_names_row_and_column_and_imports_nothing_unless_told_to_skip(shop, login_as) -> None:
    client = login_as(shop.manager)
    text = (FIXTURES / "orders_de.csv").read_bytes().decode("utf-8-sig").replace("39,80 €", "39,8,0 €")

    checked = upload(client, "bestellungen.csv", text.encode("utf-8-sig"))

    assert checked.status_code == 400
    html = checked.content.decode()
    assert re.search(r'data-testid="row-error"><td>2</td><td>Zahlungsbetrag</td><td>“39,8,0 €” is not', html)
    token = token_of(checked)
    refused = client.post(reverse("shop:imports_commit"), {"token": token})
    assert refused.status_code == 400 and AffiliateOrder.objects.count() == 0

    client.post(reverse("shop:imports_commit"), {"token": token, "skip_errors": "on"})
    assert AffiliateOrder.objects.count() == 2


def test_a_file_that_is_no_export_gets_a_clear_message(shop, login_as) -> None:
    response = upload(login_as(shop.manager), "notes.csv", b"hello,world\n1,2\n")

    assert response.status_code == 400
    assert "No recognised column names found in the first 10 rows." in response.content.decode()


def test_another_workspaces_staged_token_is_not_found(shop, side_b, login_as) -> None:
    token = token_of(upload(login_as(shop.manager), "samples_en.csv"))

    response = login_as(side_b.manager).post(reverse("shop:imports_commit"), {"token": token})

    assert response.status_code == 404
    assert SampleShipment.objects.count() == 0
    assert login_as(shop.manager).post(reverse("shop:imports_commit"), {"token": "x" * 24}).status_code == 404
