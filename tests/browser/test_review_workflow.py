"""The whole review loop in Chromium: creator uploads, pre-review flags, reviewer decides, creator fixes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from creatordesk.dashboard.demo import DEMO_PASSWORD
from creatordesk.reviews.tests.clips import CLAIM, CLAIM_AT_S, CLEAN, make_clip

pytestmark = [pytest.mark.browser, pytest.mark.media]


@pytest.fixture
def clips(tmp_path: Path) -> tuple[Path, Path]:
    return make_clip(tmp_path / "v1.mp4", CLAIM), make_clip(tmp_path / "v2.mp4", CLEAN)


@pytest.fixture
def portal_url(base_url: str, settings, tmp_path: Path) -> str:
    from creatordesk.creators.models import Creator
    from creatordesk.creators.portal import portal_token_for

    settings.MEDIA_ROOT = str(tmp_path / "media")
    creator = Creator.objects.get(tiktok_handle="skinbymehmet")
    return f"{base_url}/creators/portal/{portal_token_for(creator)}/"


def _wait_for_pre_review(page) -> None:
    page.wait_for_selector("[data-testid=analysis-status][data-status=done]", timeout=90_000)


def _login(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")


def _decide(page, stage: str, outcome: str) -> None:
    page.locator(f"form.decision-form:has(input[name=stage][value='{stage}'])").wait_for()
    page.select_option("select[name=outcome]", outcome)
    page.get_by_role("button", name="Save decision").click()


def test_creator_uploads_reviewer_requests_changes_creator_fixes_and_gets_approved(
    base_url, portal_url, clips, task_worker, page
) -> None:
    claim_clip, clean_clip = clips
    creator = page

    # The creator opens their link, picks the campaign and uploads a draft with a cure claim. The
    # portal speaks German, the language the brand writes to this creator in.
    creator.goto(portal_url)
    creator.get_by_role("link", name="Vitamin-C-Serum Herbst-Launch").click()
    form = creator.get_by_test_id("portal-upload")
    form.locator("input[name=title]").fill("Serum first try")
    form.locator("input[name=file]").set_input_files(str(claim_clip))
    form.locator("input[name=caption]").fill("Werbung | Mein Serum") if form.locator(
        "input[name=caption]"
    ).count() else form.locator("textarea[name=caption]").fill("Werbung | Mein Serum")
    form.get_by_role("button", name="Hochladen").click()
    _wait_for_pre_review(creator)
    submission_id = re.search(r"/submissions/(\d+)/", creator.url).group(1)  # type: ignore[union-attr]

    # The reviewer opens the review page; clicking the finding moves the player to it.
    reviewer = creator.context.browser.new_context(locale="en-US").new_page()
    _login(reviewer, base_url, "reviewer@lumenhaut.example")
    reviewer.goto(f"{base_url}/reviews/{submission_id}/")
    finding = reviewer.locator("[data-testid=finding][data-category=medical_claim]").first
    finding_at = float(finding.get_by_test_id("finding-seek").get_attribute("data-seek"))
    assert abs(finding_at - CLAIM_AT_S) <= 1.5
    reviewer.wait_for_function("() => document.querySelector('video').readyState >= 1")
    finding.get_by_test_id("finding-seek").click()
    reviewer.wait_for_function("() => !document.querySelector('video').seeking")
    current = reviewer.evaluate("document.querySelector('video').currentTime")
    assert abs(current - finding_at) < 1.0

    reviewer.fill("textarea[name=body]", "Please drop the cure claim here.")
    reviewer.get_by_role("button", name="Add comment").click()
    reviewer.select_option("select[name=outcome]", "changes_required")
    reviewer.fill("textarea[name=note]", "Medical claims are not allowed.")
    reviewer.get_by_role("button", name="Save decision").click()
    assert reviewer.get_by_test_id("outcome").inner_text() == "Changes required"

    # The creator sees the comment and uploads version 2 without the claim.
    creator.reload()
    assert "Please drop the cure claim here." in creator.get_by_test_id("comments").inner_text()
    new_version = creator.get_by_test_id("portal-new-version")
    new_version.locator("input[name=file]").set_input_files(str(clean_clip))
    new_version.get_by_role("button", name="Hochladen").click()
    # The chunked upload reloads the page with the new version once the last chunk is in.
    creator.locator("h1", has_text="v2").wait_for(timeout=60_000)
    _wait_for_pre_review(creator)
    assert "v2" in creator.locator("h1").inner_text()

    # The compare view shows the claim as fixed; the reviewer approves.
    reviewer.goto(f"{base_url}/reviews/{submission_id}/compare/")
    assert "Medical or health claim" in reviewer.get_by_test_id("fixed").inner_text()
    assert "Medical or health claim" not in reviewer.get_by_test_id("new").inner_text()
    reviewer.goto(f"{base_url}/reviews/{submission_id}/")
    _decide(reviewer, "Creator-Management", "approved")
    # The demo campaign's second stage belongs to the legal reviewer, never to whoever decided the first.
    reviewer.goto(f"{base_url}/reviews/{submission_id}/")
    assert reviewer.locator("form.decision-form").count() == 0
    legal = creator.context.browser.new_context(locale="en-US").new_page()
    _login(legal, base_url, "legal@lumenhaut.example")
    legal.goto(f"{base_url}/reviews/{submission_id}/")
    _decide(legal, "Legal", "approved")
    assert legal.get_by_test_id("outcome").inner_text() == "Approved"

    creator.reload()
    assert creator.get_by_test_id("portal-status").inner_text() == "Freigegeben"
