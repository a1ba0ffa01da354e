"""A TikTok Shop seller's loop in German on a 1366×768 laptop: a target collaboration made from a campaign
through the (recorded) Affiliate Partner API, the free sample shipped and overdue, the creator reminded,
the posted video checked against the approved cut, and the creator's profit. After every step the page
is no wider than the window.

Playwright runs an event loop in the test thread, where Django would give the ORM a connection of its
own (see conftest.py); what happens outside the browser between the steps (time passing, the reminder
run, the post and the orders arriving from TikTok) runs in a worker thread with its own connection.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from creatordesk.shop.samples import CONTENT_DAYS
from creatordesk.shop.tests.recorded_shop import APP_KEY, APP_SECRET, CIPHER, TOKEN, RecordedShop, serve
from tests.browser.test_page_widths import LAPTOP, log_in, too_wide

pytestmark = [pytest.mark.browser, pytest.mark.media]


@pytest.fixture
def recorded_shop() -> Iterator[RecordedShop]:
    """The shop's recorded TikTok Shop API (creatordesk/shop/tests/recorded_shop.py)."""
    with serve() as state:
        yield state


MANAGER = "manager@lumenhaut.example"
OWNER = "owner@lumenhaut.example"
DEMO_CAMPAIGN = "Vitamin-C-Serum Herbst-Launch"  # the manager's brand is the one that runs it
CAMPAIGN = "Nachtcreme-Launch"
CREATOR = "Nora Nachtpflege"
HANDLE = "nora.nachtpflege"
OPEN_ID = "NNN-open-nora"
PRODUCT_ID = "1729384756000000777"
COLLABORATION_ID = "7441800000000000001"  # what the recorded answer calls the new target collaboration
ACCEPTANCE_LINK = "https://affiliate.tiktok.com/api/v1/share/AJx7Qm0Lb2"
MESSAGE = "Hallo Nora, magst du unsere Nachtcreme testen?"
TRACKING = "00340434161234567890"
LATE = 3  # days past the content deadline when the walk looks at the dashboard
POST_ID = "7449000000000000777"
CAPTION = f"Werbung | Meine Abendroutine mit der Nachtcreme 🛒 shop.tiktok.com/view/product/{PRODUCT_ID}"
# Thirty orders of 39.90 €, two refunded; 12.5 % commission settled and 2.00 € Shop Ads commission each.
ORDERS, PRICE, COMMISSION, ADS, REFUNDED = 30, Decimal("39.90"), Decimal("4.99"), Decimal("2.00"), 2
FLAT_FEE = Decimal("250.00")


def _days_ago(days: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=days)


def _german(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


def _outside_the_browser[T](work: Callable[[], T]) -> T:
    """Run database work on a thread of its own, away from Playwright's event loop."""
    from django.db import connections

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def shop_walk(base_url: str, recorded_shop: RecordedShop, settings, tmp_path: Path) -> dict[str, Any]:
    """The demo brand connected to the recorded TikTok Shop, with a night-cream campaign and Nora in it."""
    from creatordesk.accounts.models import User
    from creatordesk.campaigns.models import Campaign
    from creatordesk.campaigns.products import product_create
    from creatordesk.campaigns.services import campaign_create, collaboration_create
    from creatordesk.creators.models import Platform
    from creatordesk.creators.services import account_upsert, creator_create
    from creatordesk.performance.connections import connection_save

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.VAR_DIR = tmp_path / "var"
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    # The installation's endpoint is the recorded shop; the brand's own credentials sign the requests.
    settings.PLATFORM_CONNECTORS = {"tiktok_shop": {"base_url": recorded_shop.url}}
    settings.CONNECTOR_RETRY_ATTEMPTS = 2
    settings.CONNECTOR_RETRY_DELAY_S = 0.05
    recorded_shop.on("POST", "/202508/target_collaborations", "target_collaboration_created.json")
    recorded_shop.on(
        "POST", f"/202509/target_collaboration/{COLLABORATION_ID}/link", "target_collaboration_link.json"
    )
    owner = User.objects.get(email=OWNER)
    workspace = Campaign.objects.get(name=DEMO_CAMPAIGN).workspace
    connection_save(
        workspace=workspace,
        kind="tiktok_shop",
        values={"app_key": APP_KEY, "app_secret": APP_SECRET, "access_token": TOKEN, "shop_cipher": CIPHER},
        user=owner,
    )
    cream = product_create(
        workspace=workspace,
        name="Retinol-Nachtcreme",
        shop_product_id=PRODUCT_ID,
        unit_cost_eur=Decimal("7.20"),
    )
    campaign = campaign_create(workspace=workspace, name=CAMPAIGN, products=[cream])
    nora = creator_create(
        workspace=workspace,
        display_name=CREATOR,
        email="nora@creator.example",
        tiktok_handle=HANDLE,
        languages="de",
    )
    account_upsert(creator=nora, platform=Platform.TIKTOK, handle=HANDLE, open_id=OPEN_ID)
    collaboration = collaboration_create(campaign=campaign, creator=nora)
    return {
        "shop": recorded_shop,
        "base": base_url,
        "campaign": campaign.pk,
        "creator": nora.pk,
        "collaboration": collaboration.pk,
        "owner": owner.pk,
    }


def _fits(page, step: str) -> None:
    assert too_wide(page) == [], f"{step} is wider than the window: {too_wide(page)}"


def _collaboration_row(page) -> Any:
    return page.locator("tr", has=page.get_by_role("link", name=CREATOR, exact=True))


def _needs_samples_row(page) -> str:
    row = page.get_by_test_id("needs-samples").get_by_test_id("needs-row").filter(has_text=CREATOR)
    return str(row.inner_text())


# --- What happens outside the browser --------------------------------------------------------------


def _reminders_run() -> dict[str, int]:
    from creatordesk.shop.reminders import samples_remind

    return samples_remind()


def _portal_owner(token: str) -> int | None:
    from creatordesk.creators.portal import creator_from_portal_token

    creator = creator_from_portal_token(token)
    return creator.pk if creator else None


def _approved_post_checked(walk: dict[str, Any]) -> int:
    """Nora's cut is approved in every review stage, the post appears, and the check loop finds it."""
    from creatordesk.accounts.models import User
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.performance.services import post_create
    from creatordesk.reviews.services import campaign_stages, decision_record, submission_submit
    from creatordesk.shop.check_tasks import post_checks_queue
    from creatordesk.shop.models import PostCheck
    from creatordesk.shop.post_checks import post_check_run
    from tests.engine.matching_clips import APPROVED, render_source

    collaboration = Collaboration.objects.select_related("creator").get(pk=walk["collaboration"])
    version = submission_submit(
        collaboration=collaboration,
        source=render_source(APPROVED, "approved"),
        original_name="nachtcreme.mp4",
        title="Abendroutine mit der Nachtcreme",
        by_creator=collaboration.creator,
    )
    owner = User.objects.get(pk=walk["owner"])
    for stage, _position in campaign_stages(walk["campaign"]):
        decision_record(
            version=version, stage_name=stage, reviewer=owner, outcome="approved", confirm_open_blocks=True
        )
    post = post_create(
        collaboration=collaboration,
        platform="tiktok",
        external_id=POST_ID,
        url=f"https://www.tiktok.com/@{HANDLE}/video/{POST_ID}",
        caption=CAPTION,
        posted_at=datetime.datetime.now(tz=datetime.UTC),
    )
    assert post_checks_queue.call(reschedule=False)["queued"] >= 1
    check = PostCheck.objects.get(post=post)
    post_check_run(check=check)
    return check.pk


def _check_runs(check_id: int) -> str:
    from creatordesk.shop.models import PostCheck
    from creatordesk.shop.post_checks import post_check_run

    check = PostCheck.objects.get(pk=check_id)
    assert check.status == PostCheck.Status.QUEUED and check.posted_file
    return str(post_check_run(check=check).status)


def _orders_arrive(walk: dict[str, Any]) -> None:
    from django.utils import timezone

    from creatordesk.campaigns.models import Campaign
    from creatordesk.shop.models import Source
    from creatordesk.shop.records import OrderRecord, orders_write

    workspace = Campaign.objects.select_related("workspace").get(pk=walk["campaign"]).workspace
    records = [
        OrderRecord(
            order_id=f"5770000000{number:04d}",
            sku_id=f"{PRODUCT_ID}-50ml",
            product_id=PRODUCT_ID,
            creator_username=HANDLE,
            creator_open_id=OPEN_ID,
            content_id=POST_ID,
            content_type="VIDEO",
            status="COMPLETED",
            ordered_at=timezone.now() - datetime.timedelta(hours=1 + number),
            gmv=PRICE,
            commission_paid=COMMISSION,
            shop_ads_commission=ADS,
            refunded_units=1 if number < REFUNDED else 0,
            refund_amount=PRICE if number < REFUNDED else Decimal(0),
        )
        for number in range(ORDERS)
    ]
    written = orders_write(workspace=workspace, records=records, source=Source.TIKTOK_API)
    assert written.created == ORDERS and not written.unmatched


# --- The walk --------------------------------------------------------------------------------------


def _create_target_collaboration(page, walk: dict[str, Any]) -> None:
    base = walk["base"]
    page.goto(f"{base}/campaigns/{walk['campaign']}/")
    assert page.locator("h1").inner_text() == CAMPAIGN
    _fits(page, "the campaign page")
    page.get_by_role("navigation", name="Seiten der Kampagne").get_by_role(
        "link", name="Zielkooperation anlegen"
    ).click()
    assert page.locator("h1").inner_text() == "Neue Zielkooperation"
    _fits(page, "the target collaboration form")
    page.get_by_label(CREATOR).check()
    page.get_by_role("spinbutton", name="Provision (%):", exact=True).fill("12.5")
    page.get_by_label("Gratisprobe").check()
    page.get_by_label("Nachricht an die Creator:innen").fill(MESSAGE)
    page.get_by_label("Endet am").fill((_days_ago(-60)).isoformat())
    assert page.get_by_label("Deine Kontakt-E-Mail für Creator:innen").input_value() == MANAGER
    page.get_by_role("button", name="In TikTok Shop anlegen").click()

    assert (
        page.locator(".messages li").first.inner_text()
        == "Die Zielkooperation wurde in TikTok Shop angelegt."
    )
    row = page.get_by_test_id("target-collaborations").locator("tr", has_text=CAMPAIGN)
    assert "12,50 %" in row.inner_text()
    assert row.get_by_role("link", name="Link für Creator:innen").get_attribute("href") == ACCEPTANCE_LINK
    _fits(page, "the created target collaboration")

    shop: RecordedShop = walk["shop"]
    assert shop.refused == []
    (created,) = shop.to("/202508/target_collaborations")
    assert created.method == "POST" and created.query["app_key"] == APP_KEY and created.query["sign"]
    body = created.json()
    assert body["creator_user_open_ids"] == [OPEN_ID] and body["message"] == MESSAGE
    assert body["products"] == [{"id": PRODUCT_ID, "target_commission_rate": 1250}]
    assert body["free_sample_rule"] == {"has_free_sample": True, "is_sample_approval_exempt": False}


def _ship_the_sample(page, walk: dict[str, Any]) -> None:
    page.goto(f"{walk['base']}/campaigns/{walk['campaign']}/")
    page.get_by_role("navigation", name="Seiten der Kampagne").get_by_role("link", name="Board").click()
    card = page.get_by_test_id(f"card-{HANDLE}")
    card.locator("summary", has_text="Produktprobe").click()
    new_sample = card.locator("form", has=page.get_by_label("Versanddienst"))
    assert (
        new_sample.get_by_label("Produkt", exact=True).locator("option:checked").inner_text()
        == "Retinol-Nachtcreme"
    )
    new_sample.get_by_label("Stück").fill("2")
    new_sample.get_by_label("Versanddienst").fill("DHL")
    new_sample.get_by_label("Sendungsnummer").fill(TRACKING)
    assert new_sample.get_by_label("Versandstatus").locator("option:checked").inner_text() == "Versendet"
    new_sample.get_by_label("Am").fill(_days_ago(CONTENT_DAYS + LATE + 3).isoformat())
    new_sample.get_by_role("button", name="Speichern").click()
    page.get_by_test_id(f"sample-path-{walk['collaboration']}").filter(has_text=TRACKING).wait_for()
    _fits(page, "the board with the shipped sample")

    # Time passes: the sample arrived LATE days before the end of the content window.
    card = page.get_by_test_id(f"card-{HANDLE}")
    card.locator("summary", has_text="Produktprobe").click()
    step = card.get_by_test_id(f"sample-step-{HANDLE}")
    assert (
        step.get_by_label("Nächster Schritt der Produktprobe").locator("option:checked").inner_text()
        == "Zugestellt"
    )
    step.get_by_label("Am").fill(_days_ago(CONTENT_DAYS + LATE).isoformat())
    step.get_by_role("button", name="Schritt speichern").click()
    page.get_by_test_id(f"sample-path-{walk['collaboration']}").filter(has_text="Zugestellt").wait_for()

    page.goto(f"{walk['base']}/campaigns/{walk['campaign']}/")
    path = " ".join(page.get_by_test_id(f"sample-path-{walk['collaboration']}").inner_text().split())
    deadline = _days_ago(LATE)
    for step in (
        f"✓ Versendet {_german(_days_ago(CONTENT_DAYS + LATE + 3))} (DHL {TRACKING})",
        f"✓ Zugestellt {_german(_days_ago(CONTENT_DAYS + LATE))}",
        f"Content fällig am {_german(deadline)} (überfällig)",
    ):
        assert step in path, path
    _fits(page, "the campaign page with the sample path")

    page.goto(f"{walk['base']}/")
    row = _needs_samples_row(page)
    assert "Content überfällig" in row and f"{LATE} Tage überfällig" in row, row
    assert "Noch keine Erinnerung gesendet" in row and CAMPAIGN in row
    _fits(page, "the dashboard with the overdue sample")


def _remind(page, walk: dict[str, Any]) -> None:
    from django.core import mail

    counts = _outside_the_browser(_reminders_run)
    assert counts["reminded"] >= 1, counts
    (reminder,) = [m for m in mail.outbox if m.to == ["nora@creator.example"]]
    assert f"Dein Video für „{CAMPAIGN}“ ist fällig" in reminder.subject
    assert f"Hallo {CREATOR}," in reminder.body and "in deinem Creator-Portal hoch" in reminder.body
    found = re.search(r"https?://\S+/creators/portal/([^/\s]+)/", str(reminder.body))
    assert found, reminder.body
    assert _outside_the_browser(lambda: _portal_owner(found.group(1))) == walk["creator"]

    page.reload()
    row = _needs_samples_row(page)
    assert f"Erinnerung gesendet am {_german(_days_ago(0))}" in row, row
    _fits(page, "the dashboard after the reminder")
    # The link in the email opens Nora's portal on this server, in her language.
    page.goto(walk["base"] + urlsplit(found.group(0)).path)
    assert page.locator("html").get_attribute("lang") == "de"
    _fits(page, "the creator's portal from the reminder")


def _check_the_post(page, walk: dict[str, Any]) -> None:
    from tests.engine.matching_clips import APPROVED, Posted, render_posted

    posted = render_posted(APPROVED, Posted(parts=((0.0, 16.0),)), "approved")
    check_id = _outside_the_browser(lambda: _approved_post_checked(walk))
    page.goto(f"{walk['base']}/shop/")
    page.get_by_test_id("shop-nav").get_by_role("link", name="Wie freigegeben gepostet").click()
    page.locator(f'a[href="/shop/checks/{check_id}/"]').first.click()
    assert page.locator("h1").inner_text() == "Wie freigegeben gepostet"
    assert page.get_by_test_id("check-result").inner_text().strip() == "Nicht verglichen"
    _fits(page, "the check before the posted video")
    upload = page.locator("section", has=page.get_by_role("heading", name="Gepostetes Video hinzufügen"))
    upload.get_by_label("Gepostetes Video").set_input_files(str(posted))
    upload.get_by_role("button", name="Hinzufügen und prüfen").click()
    assert (
        page.locator(".messages li").inner_text() == "Gepostetes Video hinzugefügt; die Prüfung läuft erneut."
    )

    assert _outside_the_browser(lambda: _check_runs(check_id)) == "done"
    page.reload()
    assert page.get_by_test_id("check-result").inner_text().strip() == "Die freigegebene Version"
    facts = page.locator("dl.facts").inner_text()
    assert "Freigegebene Version" in facts and "Bild gefunden" in facts and "Ton gefunden" in facts
    assert "Keine Befunde: Der Post ist die freigegebene Version" in page.locator("main").inner_text()
    _fits(page, "the check of the posted video")


def _profit(page, walk: dict[str, Any]) -> None:
    page.goto(f"{walk['base']}/campaigns/{walk['campaign']}/")
    page.get_by_label(f"Pauschale für {CREATOR} (EUR)").fill("250,00")
    _collaboration_row(page).get_by_role("button", name="Speichern").click()
    assert page.locator(".messages li").inner_text() == "Pauschale gespeichert."
    _fits(page, "the campaign page with the flat fee")

    _outside_the_browser(lambda: _orders_arrive(walk))
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="TikTok Shop").click()
    page.get_by_test_id("shop-nav").get_by_role("link", name="Gewinn pro Creator:in").click()
    assert page.locator("h1").inner_text() == "Gewinn pro Creator:in"
    row = page.get_by_test_id("profit-by-creator").get_by_test_id("profit-row").filter(has_text=CREATOR)
    cells = [" ".join(cell.split()) for cell in row.locator("td").all_inner_texts()]
    gmv = PRICE * ORDERS
    samples = 2 * Decimal("7.20")  # two units of the cream at its cost, no shipping cost entered
    net = gmv - PRICE * REFUNDED - COMMISSION * ORDERS - ADS * ORDERS - samples - FLAT_FEE
    assert net == Decimal("643.10")
    # Orders, units, GMV, refunds, commission, Shop Ads commission, samples, flat fee, net profit.
    assert cells[1:] == [
        "30", "30 (2 erstattet, 0 zurückgeschickt)", "1.197,00", "79,80", "149,70", "60,00", "14,40", "250,00",
        "643,10",
    ], cells  # fmt: skip
    assert "Kosten unbekannt" not in cells[0]
    assert Decimal(row.get_attribute("data-net") or "") == net
    _fits(page, "the profit page")


def test_a_german_manager_invites_ships_reminds_checks_the_post_and_reads_the_profit(shop_walk, page) -> None:
    page.set_viewport_size(LAPTOP)
    log_in(page, shop_walk["base"], MANAGER, "de")
    _create_target_collaboration(page, shop_walk)
    _ship_the_sample(page, shop_walk)
    _remind(page, shop_walk)
    _check_the_post(page, shop_walk)
    _profit(page, shop_walk)
    page.get_by_test_id("language-select").select_option("en")  # leave the demo user as it was
