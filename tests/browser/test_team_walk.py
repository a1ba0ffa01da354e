"""A creator manager's day on a 1366×768 laptop, in German and in English: the review queue and its
filters, a decision over an open blocking finding, a profile edit, and a creator import that adds to
a creator's categories. After every step the page is no wider than the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_page_widths import LAPTOP, build_review_data, log_in, make_clip, too_wide

pytestmark = [pytest.mark.browser]

MANAGER = "manager@lumenhaut.example"
OPEN_TITLE = "Morgenroutine mit Vitamin C"
DONE_TITLE = "Herbst-Look mit Serum"
IMPORT_CSV = (
    b"Handle,Name,Categories\nskinbymehmet,Skin by Mehmet,beauty\nglow.mit.gesa,Glow mit Gesa,skincare\n"
)

# What the manager reads at each step, in the language they chose.
TEXT = {
    "de": {
        "reviews": "Freigaben",
        "open": "Offen",
        "done": "Fertig",
        "approved": "Freigegeben",
        "waiting": "Wartet auf Vorprüfung",
        "filter": "Filtern",
        "choose": "Entscheidung wählen",
        "save_decision": "Entscheidung speichern",
        "blocks_open": "1 blockierender Befund ist offen; bestätige, dass du ihn geprüft hast, um trotzdem "
        "freizugeben.",
        "confirm": "Ich habe den blockierenden Befund geprüft und gebe trotzdem frei",
        "decision_saved": "Entscheidung gespeichert.",
        "stage_approved": "Creator-Management: Freigegeben",
        "override_logged": "Creator-Management: trotz 1 offener blockierender Befunde freigegeben (Version 2)",
        "edit": "Bearbeiten",
        "edit_title": "Lisa Liebt Pflege bearbeiten",
        "save": "Speichern",
        "profile_saved": "Profil gespeichert.",
        "import": "Creator:innen importieren",
        "upload": "Hochladen und weiter",
        "mapping_title": "Was bedeuten die Spalten?",
        "add_to_list": "Zur Liste hinzufügen",
        "show_preview": "Vorschau zeigen",
        "preview_title": "Vorschau des Imports",
        "change": "Kategorien: skincare, men → skincare, men, beauty",
        "do_import": "Importieren",
        "finished": (
            "Import abgeschlossen.",
            "Neue Creator:innen: 1.",
            "Aktualisierte Creator:innen: 1.",
            "Übersprungene Zeilen: 0.",
        ),
    },
    "en": {
        "reviews": "Reviews",
        "open": "Open",
        "done": "Done",
        "approved": "Approved",
        "waiting": "Waiting for pre-review",
        "filter": "Filter",
        "choose": "Choose a decision",
        "save_decision": "Save decision",
        "blocks_open": "1 blocking finding is open; confirm that you checked it to approve anyway.",
        "confirm": "I have checked the blocking finding and approve anyway",
        "decision_saved": "Decision saved.",
        "stage_approved": "Creator-Management: Approved",
        "override_logged": "Creator-Management: approved despite 1 open blocking findings (version 2)",
        "edit": "Edit",
        "edit_title": "Edit Lisa Liebt Pflege",
        "save": "Save",
        "profile_saved": "Profile saved.",
        "import": "Import creators",
        "upload": "Upload and continue",
        "mapping_title": "What do the columns mean?",
        "add_to_list": "Add to the list",
        "show_preview": "Show preview",
        "preview_title": "Preview of the import",
        "change": "Categories: skincare, men → skincare, men, beauty",
        "do_import": "Import",
        "finished": ("Import finished.", "New creators: 1.", "Updated creators: 1.", "Rows skipped: 0."),
    },
}


@pytest.fixture
def walk_data(base_url: str, settings, tmp_path: Path) -> dict[str, int]:
    """Mehmet's v2 waits with an open blocking finding; Jana's video went through both stages."""
    from creatordesk.accounts.models import User
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.creators.models import Creator
    from creatordesk.reviews.services import decision_record, submission_submit

    settings.MEDIA_ROOT = str(tmp_path / "media")
    review = build_review_data(tmp_path)
    jana = Collaboration.objects.select_related("creator").get(creator__tiktok_handle="jana.glow")
    done = submission_submit(collaboration=jana, title=DONE_TITLE, source=make_clip(tmp_path / "done.mp4"), original_name="done.mp4", by_creator=jana.creator).submission  # fmt: skip
    version = done.versions.get()
    for stage, email in (
        ("Creator-Management", "reviewer@lumenhaut.example"),
        ("Legal", "legal@lumenhaut.example"),
    ):
        decision_record(
            version=version, stage_name=stage, reviewer=User.objects.get(email=email), outcome="approved"
        )
    return {
        "submission": review.submission.pk,
        "lisa": Creator.objects.get(tiktok_handle="lisaliebtpflege").pk,
    }


def _fits(page, step: str) -> None:
    assert too_wide(page) == [], f"{step} is wider than the window: {too_wide(page)}"


def _queue_titles(page) -> str:
    rows = page.get_by_test_id("queue")
    return rows.inner_text() if rows.count() else ""


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_manager_walks_queue_decision_edit_and_import(
    walk_data, base_url, page, tmp_path, language
) -> None:
    text = TEXT[language]
    page.set_viewport_size(LAPTOP)
    log_in(page, base_url, MANAGER, language)
    _fits(page, "the dashboard")

    # The queue: open work on the Open tab, finished work on the Done tab, and a status filter.
    page.get_by_role(
        "navigation", name="Hauptnavigation" if language == "de" else "Main navigation"
    ).get_by_role("link", name=text["reviews"]).click()
    assert page.locator("h1").inner_text() == text["reviews"]
    tabs = page.get_by_test_id("queue-tabs")
    assert tabs.get_by_role("link", name=text["open"]).get_attribute("aria-current") == "page"
    assert OPEN_TITLE in _queue_titles(page) and DONE_TITLE not in _queue_titles(page)
    _fits(page, "the open tab")
    tabs.get_by_role("link", name=text["done"]).click()
    assert (
        page.get_by_test_id("queue-tabs").get_by_role("link", name=text["done"]).get_attribute("aria-current")
        == "page"
    )
    assert DONE_TITLE in _queue_titles(page) and OPEN_TITLE not in _queue_titles(page)
    assert page.get_by_test_id("queue-outcome").inner_text() == text["approved"]
    _fits(page, "the done tab")
    page.get_by_label("Status").select_option(label=text["waiting"])
    page.get_by_role("button", name=text["filter"]).click()
    assert "status=waiting" in page.url
    assert OPEN_TITLE in _queue_titles(page) and DONE_TITLE not in _queue_titles(page)
    _fits(page, "the status filter")

    # A decision: with a blocking finding open, approving needs the explicit confirmation.
    page.get_by_role("link", name=OPEN_TITLE).click()
    form = page.locator("form.decision-form")
    outcome = form.locator("select[name=outcome]")
    assert outcome.input_value() == ""  # no decision is preselected while a block is open
    assert outcome.locator("option").first.inner_text() == text["choose"]
    assert form.get_by_test_id("confirm-open-blocks").inner_text().strip() == text["confirm"]
    _fits(page, "the review page")
    outcome.select_option("approved")
    form.get_by_role("button", name=text["save_decision"]).click()
    assert page.locator(".messages li.error").inner_text() == text["blocks_open"]
    _fits(page, "the refused decision")
    form = page.locator("form.decision-form")
    form.locator("select[name=outcome]").select_option("approved")
    form.get_by_test_id("confirm-open-blocks").locator("input").check()
    form.get_by_role("button", name=text["save_decision"]).click()
    assert page.locator(".messages li").inner_text() == text["decision_saved"]
    assert text["stage_approved"] in page.locator("ul.stages").inner_text()
    assert text["override_logged"] in page.locator("ol.history").inner_text()
    _fits(page, "the decided review")

    # The creator edit form.
    page.goto(f"{base_url}/creators/{walk_data['lisa']}/")
    page.get_by_role("link", name=text["edit"], exact=True).click()
    assert page.locator("h1").inner_text() == text["edit_title"]
    _fits(page, "the edit form")
    page.locator("input[name=categories]").fill("skincare, vegan")
    page.get_by_role("button", name=text["save"], exact=True).click()
    assert page.locator(".messages li").inner_text() == text["profile_saved"]
    assert "skincare, vegan" in page.locator("main").inner_text()
    _fits(page, "the edited profile")

    # The import: one creator's categories grow, one creator is new.
    page.goto(f"{base_url}/creators/")
    page.get_by_test_id("import-link").click()
    assert page.locator("h1").inner_text() == text["import"]
    _fits(page, "the import upload")
    upload = page.get_by_test_id("import-upload")
    upload.locator("input[type=file]").set_input_files(
        {"name": "creators.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV}
    )
    upload.get_by_role("button", name=text["upload"]).click()
    assert page.locator("h1").inner_text() == text["mapping_title"]
    _fits(page, "the column mapping")
    modes = page.get_by_test_id("import-list-modes")
    modes.locator("select[name=list_mode_categories]").select_option(label=text["add_to_list"])
    page.get_by_role("button", name=text["show_preview"]).click()
    assert page.locator("h1").inner_text() == text["preview_title"]
    assert page.get_by_test_id("new-count").inner_text() == "1"
    assert page.get_by_test_id("updated-count").inner_text() == "1"
    assert text["change"] in page.get_by_test_id("import-changes").inner_text()
    _fits(page, "the import preview")
    page.get_by_test_id("import-commit").get_by_role("button", name=text["do_import"], exact=True).click()
    finished = page.locator(".messages li").inner_text()
    assert all(part in finished for part in text["finished"]), finished
    assert "Glow mit Gesa" in page.locator("#creator-rows").inner_text()
    _fits(page, "the creator list after the import")
    if language == "de":
        page.get_by_test_id("language-select").select_option("en")  # leave the demo user as it was
