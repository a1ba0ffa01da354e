"""A German creator's whole loop on a phone (390 × 844): link from the email, brief, upload, change
request, second version, approval; and an upload that survives a dropped connection byte for byte.

The team's side happens through the JSON API with a token made before the browser opens, so no ORM
call runs while the page is open.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.test_portal_phone import PHONE, RECORD_PROGRESS, TOO_WIDE, _clip

pytestmark = [pytest.mark.browser, pytest.mark.media]

# Every text the progress box showed, kept in the tab's sessionStorage across the page change.
RECORD_TEXTS = """
new MutationObserver(function () {
  const text = document.querySelector("[data-testid=upload-progress-text]");
  if (!text || !text.textContent) return;
  const seen = JSON.parse(sessionStorage.getItem("uploadTexts") || "[]");
  if (seen[seen.length - 1] !== text.textContent) seen.push(text.textContent);
  sessionStorage.setItem("uploadTexts", JSON.stringify(seen));
}).observe(document, { childList: true, characterData: true, subtree: true });
"""

GOAL = "Zeig, wie leicht sich das Serum am Morgen anfühlt."
NOTE = "Bitte zeig die Flasche in den ersten drei Sekunden."
COMMENT = "Hier bitte „Werbung“ einblenden."


@pytest.fixture
def walk(base_url: str, settings, tmp_path: Path) -> dict[str, object]:
    """Skin by Mehmet (German) in a briefed collaboration, two clips, and an API token of the owner."""
    from creatordesk.accounts.models import User
    from creatordesk.accounts.services import api_token_create
    from creatordesk.campaigns.briefs import brief_save
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.creators.portal import portal_language
    from creatordesk.creators.services import creator_portal_url
    from creatordesk.reviews.services import campaign_stages

    settings.MEDIA_ROOT = str(tmp_path / "media")
    collaboration = Collaboration.objects.select_related("creator", "campaign").get(
        creator__tiktok_handle="skinbymehmet", campaign__name="Vitamin-C-Serum Herbst-Launch"
    )
    assert portal_language(collaboration.creator) == "de"
    brief_save(
        campaign=collaboration.campaign, goal=GOAL, must_mentions=["Vitamin C"], dos=["Serum zeigen"],
        donts=["Keine Heilversprechen"], video_format="9:16", min_duration_s=1, max_duration_s=60,
        example_videos=[], caption="Werbung | Mein Serum",
    )  # fmt: skip
    # Each stage has its own deciders (creator management, legal); the team acts with their tokens.
    tokens = [
        api_token_create(workspace=collaboration.workspace, user=User.objects.get(email=email), name="walk")[
            1
        ]
        for email in ("reviewer@lumenhaut.example", "legal@lumenhaut.example", "manager@lumenhaut.example")
    ]
    # The same link the creator's email carries, on the address this test server answers at.
    link = base_url + urlsplit(creator_portal_url(creator=collaboration.creator)).path
    return {
        "link": link,
        "base": base_url,
        "tokens": tokens,
        "stages": [name for name, _position in campaign_stages(collaboration.campaign_id)],
        "v1": _clip(tmp_path / "morgen-v1.mp4", seconds=3),
        "v2": _clip(tmp_path / "morgen-v2.mp4", seconds=2),
    }


def _api(
    walk: dict[str, object], method: str, path: str, payload: dict | None = None, *, who: int = 0
) -> object:
    request = urllib.request.Request(
        f"{walk['base']}/api{path}",
        method=method,
        data=json.dumps(payload).encode() if payload is not None else None,
        headers={"Authorization": f"Bearer {walk['tokens'][who]}", "Content-Type": "application/json"},  # type: ignore[index]
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{method} {path}: {exc.code} {exc.read().decode()}") from None


def _latest_version_id(walk: dict[str, object], submission_id: str) -> int:
    versions = _api(walk, "GET", f"/submissions/{submission_id}/versions")
    return max(versions["items"], key=lambda v: v["number"])["id"]  # type: ignore[index]


def _decide(walk: dict[str, object], version_id: int, outcome: str, note: str = "") -> None:
    for stage in walk["stages"] or ["Review"]:  # type: ignore[attr-defined]
        payload = {"stage": stage, "outcome": outcome, "note": note, "confirm_open_blocks": True}
        refusals = []
        for who in range(len(walk["tokens"])):  # type: ignore[arg-type]
            try:
                _api(walk, "POST", f"/versions/{version_id}/decisions", payload, who=who)
                break
            except AssertionError as exc:  # not this person's stage
                refusals.append(str(exc))
        else:
            raise AssertionError(refusals)
        if outcome != "approved":
            return  # one stage asking for changes decides the version


def _phone(page):
    # An English phone: the portal still speaks the creator's German.
    phone = page.context.browser.new_context(
        locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3
    ).new_page()
    phone.set_default_timeout(20_000)
    phone.add_init_script(RECORD_PROGRESS)
    return phone


def _fits(phone) -> None:
    where = phone.url
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), where
    assert phone.evaluate(TOO_WIDE, PHONE["width"]) == [], where


def _upload(phone, form, clip: Path) -> None:
    phone.evaluate("() => sessionStorage.removeItem('uploadProgress')")
    form.locator("input[name=file]").set_input_files(str(clip))
    form.get_by_role("button", name="Hochladen").click()
    phone.get_by_test_id("upload-progress").wait_for(state="visible")


def _reached_full_bar(phone) -> None:
    seen = phone.evaluate("() => JSON.parse(sessionStorage.getItem('uploadProgress') || '[]')")
    assert [value for value, visible in seen if visible][-1] == 100, seen


def test_a_german_creator_walks_from_the_email_link_to_approval_on_a_phone(walk, page) -> None:
    phone = _phone(page)
    phone.goto(str(walk["link"]))
    assert phone.locator("html").get_attribute("lang") == "de"
    assert "Deine Kooperationen" in phone.content()
    _fits(phone)

    phone.get_by_role("link", name="Vitamin-C-Serum Herbst-Launch").click()
    brief = phone.get_by_test_id("brief")
    assert GOAL in brief.inner_text()
    assert phone.get_by_role("heading", name="Briefing").is_visible()
    _fits(phone)

    form = phone.get_by_test_id("portal-upload")
    form.locator("input[name=title]").fill("Morgenroutine")
    _upload(phone, form, walk["v1"])
    phone.wait_for_url("**/submissions/*/")
    _reached_full_bar(phone)
    assert phone.locator("h1").inner_text().startswith("Morgenroutine")
    _fits(phone)
    submission_id = phone.url.rstrip("/").rsplit("/", 1)[1]

    # The team reviews: a creator-visible comment at 0:02 and a change request with a note.
    v1 = _latest_version_id(walk, submission_id)
    _api(walk, "POST", f"/versions/{v1}/comments", {"body": COMMENT, "start_s": 2})
    _decide(walk, v1, "changes_required", NOTE)

    phone.reload()
    assert NOTE in phone.get_by_test_id("portal-decision-note").inner_text()
    assert "Änderungen nötig" in phone.get_by_test_id("portal-decision").inner_text()
    comments = phone.locator("#comments, .comments").first.inner_text()
    assert COMMENT in comments and "0:02" in comments
    assert phone.get_by_test_id("portal-status").inner_text() == "Änderungen nötig"
    _fits(phone)

    _upload(phone, phone.get_by_test_id("portal-new-version"), walk["v2"])
    phone.wait_for_function("() => document.querySelector('h1').textContent.includes('v2')")
    _reached_full_bar(phone)
    assert phone.get_by_text("Danke! Deine neue Version wird geprüft.").is_visible()
    _fits(phone)

    _decide(walk, _latest_version_id(walk, submission_id), "approved")
    phone.reload()
    assert phone.get_by_test_id("portal-status").inner_text() == "Freigegeben"
    assert phone.get_by_test_id("portal-new-version").count() == 0
    _fits(phone)
    phone.context.close()


def test_an_upload_whose_connection_drops_once_resumes_and_arrives_byte_for_byte(
    walk, page, monkeypatch: pytest.MonkeyPatch
) -> None:
    from creatordesk.reviews import chunked_uploads

    # Small chunks, so the drop falls between chunks of a small clip, as it would in a large one.
    monkeypatch.setattr(chunked_uploads, "CHUNK_BYTES", 64 * 1024)
    clip: Path = walk["v1"]
    assert clip.stat().st_size > 3 * 64 * 1024
    phone = _phone(page)
    phone.add_init_script(RECORD_TEXTS)
    dropped: list[str] = []

    def drop_second_chunk(route) -> None:
        request = route.request
        if request.method == "PATCH" and request.headers.get("upload-offset") != "0" and not dropped:
            dropped.append(request.headers["upload-offset"])
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route("**/uploads/*/", drop_second_chunk)
    phone.goto(str(walk["link"]))
    phone.get_by_role("link", name="Vitamin-C-Serum Herbst-Launch").click()
    form = phone.get_by_test_id("portal-upload")
    form.locator("input[name=title]").fill("Im Funkloch")
    _upload(phone, form, clip)
    phone.wait_for_url("**/submissions/*/", timeout=60_000)
    assert dropped == [str(64 * 1024)]
    texts = phone.evaluate("() => JSON.parse(sessionStorage.getItem('uploadTexts') || '[]')")
    assert "Verbindung unterbrochen – es geht gleich weiter…" in texts, texts
    _reached_full_bar(phone)
    assert phone.locator("h1").inner_text().startswith("Im Funkloch")
    _fits(phone)

    media = phone.get_by_test_id("player").get_attribute("src")
    assert media
    stored = phone.context.request.get(walk["base"] + media).body()
    assert hashlib.sha256(stored).hexdigest() == hashlib.sha256(clip.read_bytes()).hexdigest()
    phone.context.close()
