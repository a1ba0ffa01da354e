"""A performance marketer's walk through paid placements in German: a German Ads Manager export checked
and imported, the placement audit read per campaign and per ad set (with what the rows cannot say about
an ad set's placement choice entered by hand), a Threads exclusion test planned from a campaign's own
figures, and the test's two campaigns analysed.

The marketer has a workspace of their own, so the export's rows are new and nothing is known of its ad
sets. Everything in the database is set up before the browser opens (see conftest.py).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

EMAIL = "paula@serumwerk.example"
PASSWORD = "a-long-test-password-9"
START = date(2026, 9, 1)
ALWAYS_ON_AD_SET = "920001"  # the always-on campaign's ad set, on Threads from its tenth day
CELL_A = "Test A: mit Threads (910002)"
CELL_B = "Test B: ohne Threads (910003)"
WITHOUT_CHOICE, UNKNOWN = "threads_without_placement_choice", "threads_placement_choice_unknown"
VERDICTS = ("Mit diesem Budget nicht erkennbar", "Test lohnt sich")


@pytest.fixture
def base_url(transactional_db, live_server) -> str:
    """A live test server without the demo: the walk sets up its own workspace, in the test database."""
    from django.urls import reverse

    # The first request imports every app's URLs, which on a busy machine can outlast a page's timeout.
    reverse("placements:audit")
    return live_server.url


@pytest.fixture
def placements_walk(base_url: str, tmp_path: Path) -> dict[str, Any]:
    """A German performance marketer in a workspace without placement rows, and four weeks exported."""
    from django.utils import timezone

    from creatordesk.accounts.models import Role
    from creatordesk.accounts.services import membership_set, user_create, user_set_language, workspace_create
    from creatordesk.placements.demo import demo_rows
    from creatordesk.placements.tests.exports import write_export

    owner = user_create(email="inhaberin@serumwerk.example", password=PASSWORD)
    workspace = workspace_create(name="Serumwerk", owner=owner)
    marketer = user_create(email=EMAIL, password=PASSWORD, first_name="Paula")
    membership_set(workspace=workspace, user=marketer, role=Role.PERFORMANCE)
    user_set_language(user=marketer, language="de")
    rows = demo_rows(start=START, days=28)
    export = write_export(rows, tmp_path / "Platzierungen_September.csv", language="de")
    return {"base": base_url, "export": export, "rows": len(rows), "today": timezone.localdate()}


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.locator("html").get_attribute("lang") == "de"


def _scope(page, key: str) -> Any:
    return page.locator(f'[data-testid="audit-scope"][data-key="{key}"]')


def _flag_codes(page, key: str) -> list[str]:
    flags = _scope(page, key).get_by_test_id("audit-flags").locator("li")
    return list(flags.evaluate_all("items => items.map(item => item.dataset.code)"))


def _show_per(page, level: str) -> None:
    period = page.get_by_test_id("audit-period")
    period.get_by_label("Je").select_option(label=level)
    with page.expect_navigation():
        period.get_by_role("button", name="Anzeigen").click()


def _import(page, walk: dict[str, Any]) -> None:
    nav = page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Bezahlte Platzierungen"
    )
    nav.click()
    page.wait_for_url("**/placements/")
    assert page.locator("h1").inner_text() == "Platzierungs-Audit"
    page.get_by_test_id("placements-nav").get_by_role(
        "link", name="Werbeanzeigenmanager-Exporte importieren"
    ).click()
    page.wait_for_url("**/placements/import/")
    page.get_by_label("Werbeanzeigenmanager-Export mit Aufschlüsselung nach Platzierung").set_input_files(
        str(walk["export"])
    )
    page.get_by_role("button", name="Prüfen (Probelauf)").click()

    report = page.get_by_test_id("import-report")
    assert "Platzierungen_September.csv" in report.get_by_role("heading", level=2).inner_text()
    counts = report.get_by_test_id("import-counts").inner_text()
    assert f"{walk['rows']} Zeilen gelesen" in counts and f"{walk['rows']} neu" in counts, counts
    summary = report.get_by_test_id("import-summary").inner_text()
    assert "Deutsches Zahlenformat" in summary and "eine Zeile pro Tag" in summary, summary
    assert "Währung: EUR" in summary, summary
    report.get_by_role("button", name="Geprüfte Datei importieren").click()

    page.wait_for_url("**/placements/")
    assert page.locator(".messages li").first.inner_text().startswith(f"{walk['rows']} Zeilen importiert")


def _audit(page) -> None:
    assert page.locator("h1").inner_text() == "Platzierungs-Audit"
    assert page.get_by_test_id("descriptive-label").locator("strong").inner_text() == (
        "Beschreibend, nicht kausal."
    )
    keys = page.get_by_test_id("audit-scope").evaluate_all("sections => sections.map(s => s.dataset.key)")
    assert sorted(keys) == ["910001", "910002", "910003"], keys
    for key, name in (("910001", "Immer an: Serum"), ("910002", "Test A: mit Threads")):
        assert name in _scope(page, key).get_by_role("heading", level=2).inner_text()
        share = _scope(page, key).get_by_test_id("threads-share").inner_text()
        assert re.fullmatch(r"Threads: \d+,\d\s%\sder Ausgaben", share), share
    no_threads = _scope(page, "910003").get_by_test_id("threads-share").inner_text()
    assert re.fullmatch(r"Threads: 0,0\s%\sder Ausgaben", no_threads), no_threads

    # An export says nothing of how an ad set's placements were set: the audit asks instead of accusing.
    _show_per(page, "Anzeigengruppe")
    ad_set = _scope(page, ALWAYS_ON_AD_SET)
    flags = ad_set.get_by_test_id("audit-flags").inner_text()
    assert "Platzierungswahl unbekannt" in flags and "Threads ohne Platzierungswahl" not in flags, flags
    codes = _flag_codes(page, ALWAYS_ON_AD_SET)
    assert UNKNOWN in codes and WITHOUT_CHOICE not in codes, codes

    form = ad_set.get_by_test_id("ad-set-setting")
    form.get_by_label("Platzierungen").select_option(label="automatisch (Advantage+ oder nicht festgelegt)")
    with page.expect_navigation():
        form.get_by_role("button", name="Speichern").click()
    assert (
        page.locator(".messages li").first.inner_text()
        == "Gespeichert, was du über die Anzeigengruppe weißt."
    )
    assert page.get_by_test_id("audit-period").get_by_label("Je").input_value() == "ad_set"
    flags = _scope(page, ALWAYS_ON_AD_SET).get_by_test_id("audit-flags").inner_text()
    assert "Threads ohne Platzierungswahl" in flags and "Platzierungswahl unbekannt" not in flags, flags
    codes = _flag_codes(page, ALWAYS_ON_AD_SET)
    assert WITHOUT_CHOICE in codes and UNKNOWN not in codes, codes
    assert (
        _scope(page, ALWAYS_ON_AD_SET)
        .get_by_test_id("ad-set-setting")
        .get_by_label("Platzierungen")
        .input_value()
        == "automatic"
    )


def _plan_form(page, today: date) -> Any:
    """The planner's form, starting today: a date input shows (and submits) only an ISO date."""
    form = page.get_by_test_id("plan-form")
    start = form.get_by_label("Startdatum")
    assert start.input_value() == today.isoformat(), start.evaluate("input => input.outerHTML")
    return form


def _plan(page, today: date) -> None:
    _show_per(page, "Kampagne")
    with page.expect_navigation():
        _scope(page, "910002").get_by_role(
            "link", name="Threads-Ausschlusstest für diese Kampagne planen"
        ).click()
    assert page.locator("h1").inner_text() == "Ausschlusstest planen"
    form = _plan_form(page, today)
    assert form.get_by_label("Name:", exact=True).input_value() == "Threads-Ausschlusstest: 910002"
    budget = form.get_by_label("Tagesbudget beider Zellen")
    assert 130 <= float(budget.input_value()) <= 170, budget.input_value()
    assert form.get_by_label("Kampagne:", exact=True).input_value() == "910002"
    share = float(form.get_by_label("Anteil von Threads an den Ausgaben (%)").input_value())
    assert 5 <= share <= 15, share

    form.get_by_label("Name:", exact=True).fill("Frühling: Threads weglassen?")
    budget.fill("300")
    with page.expect_navigation():
        form.get_by_role("button", name="Test planen").click()
    assert page.locator("h1").inner_text() == "Frühling: Threads weglassen?"
    verdict = page.get_by_test_id("plan-verdict").inner_text()
    assert verdict.startswith(VERDICTS), verdict
    ceiling = page.get_by_test_id("effect-ceiling").inner_text()
    assert re.fullmatch(r"\d+,\d\s%", ceiling), ceiling

    # A budget large enough to see a change of the ceiling's size, for a campaign with more on Threads.
    page.get_by_test_id("placements-nav").get_by_role("link", name="Ausschlusstests").click()
    page.wait_for_url("**/placements/tests/")
    page.get_by_test_id("plan-new").click()
    page.wait_for_url("**/placements/tests/plans/new/")
    with page.expect_navigation():
        page.get_by_label("Aus den Zahlen einer Kampagne ausfüllen").select_option(label=CELL_A)
    form = _plan_form(page, today)
    form.get_by_label("Name:", exact=True).fill("Threads-Test mit großem Budget")
    form.get_by_label("Tagesbudget beider Zellen").fill("20000")
    form.get_by_label("Anteil von Threads an den Ausgaben (%)").fill("25")
    with page.expect_navigation():
        form.get_by_role("button", name="Test planen").click()
    verdict = page.get_by_test_id("plan-verdict").inner_text()
    assert verdict.startswith("Test lohnt sich"), verdict
    assert page.get_by_test_id("effect-ceiling").inner_text().replace("\xa0", " ") == "33,3 %"
    assert page.get_by_role("heading", name="So richtest du ihn ein").is_visible()
    assert page.get_by_test_id("plan-setup").locator("li").count() == 5
    assert page.get_by_test_id("plan-looks").locator("li").count() >= 1


def _analyse(page) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name="Diesen Test auswerten").click()
    form = page.get_by_test_id("analysis-form")
    assert (
        form.get_by_label("Plan:", exact=True).locator("option:checked").inner_text()
        == "Threads-Test mit großem Budget"
    )
    form.get_by_label("Name:", exact=True).fill("Frühlingstest ausgewertet")
    form.get_by_label("Zelle A (mit Threads)").select_option(label=CELL_A)
    form.get_by_label("Zelle B (ohne Threads)").select_option(label=CELL_B)
    form.get_by_label("Nichtunterlegenheitsgrenze (%, optional)").fill("10")
    with page.expect_navigation():
        form.get_by_role("button", name="Auswerten").click()

    assert page.locator("h1").inner_text() == "Frühlingstest ausgewertet"
    headline = page.get_by_test_id("analysis-headline").inner_text()
    assert "Intervall" in headline and "gültig bei jedem Blick" in headline, headline
    line = page.get_by_test_id("non-inferiority")
    text = line.inner_text()
    assert re.search(r"Nichtunterlegenheit \(Grenze 10,0\s%\):", text), text
    assert "Bei jedem Blick:" in text, text
    assert line.get_attribute("data-verdict") in {"non_inferior", "inferior", "inconclusive"}


def test_a_german_marketer_imports_audits_plans_and_analyses_a_threads_exclusion_test(
    placements_walk, page
) -> None:
    base = placements_walk["base"]
    _log_in(page, base)
    _import(page, placements_walk)
    _audit(page)
    _plan(page, placements_walk["today"])
    _analyse(page)
