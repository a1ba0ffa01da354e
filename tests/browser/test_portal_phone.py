"""The creator portal on a phone (390 × 844): nothing wider than the screen, and uploads show progress.

Skin by Mehmet writes in German, so the portal pages answer in German whatever the browser asks for.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.media]

PHONE = {"width": 390, "height": 844}
HASHTAGS = "#lumenhautvitamincserumglowroutinemorgenroutineherbstlaunch" * 4
LONG_CAPTION = (
    f"Werbung | Mein neues Vitamin-C-Serum von Lumenhaut\n{HASHTAGS}\nhttps://shop.example/{'x' * 120}"
)
LONG_POST_URL = (
    "https://www.tiktok.com/@skinbymehmet/video/7449000000000000001?is_from_webapp=1&sender_device=pc"
)

# Every <progress> value the upload form shows, and whether the bar was visible then. Recorded in the
# tab's sessionStorage because the page changes to the server's answer when the upload is done.
RECORD_PROGRESS = """
new MutationObserver(function (records) {
  records.forEach(function (record) {
    if (!record.target.matches || !record.target.matches("[data-testid=upload-progress]")) return;
    const seen = JSON.parse(sessionStorage.getItem("uploadProgress") || "[]");
    seen.push([record.target.value, record.target.closest("[hidden]") === null]);
    sessionStorage.setItem("uploadProgress", JSON.stringify(seen));
  });
}).observe(document, { attributes: true, attributeFilter: ["value"], subtree: true });
"""

# Elements wider than the phone's screen, except inside a box that scrolls sideways by itself.
TOO_WIDE = """(width) => {
  function scrollsItself(element) {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  }
  const wide = [];
  document.body.querySelectorAll("*").forEach(function (element) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return;
    if ((box.left < -0.5 || box.right > width + 0.5) && !scrollsItself(element)) {
      wide.push(element.tagName.toLowerCase() + "." + element.className + " " + Math.round(box.left) + "–" + Math.round(box.right));
    }
  });
  return wide;
}"""


def _clip(path: Path, seconds: int = 4) -> Path:
    """A 720×1280 test pattern, under a megabyte a second, so a throttled upload takes a few seconds."""
    subprocess.run(
        ["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", f"testsrc2=s=720x1280:d={seconds}:r=25",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         str(path)],
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture
def portal(base_url: str, settings, tmp_path: Path) -> dict[str, str]:
    """Skin by Mehmet's portal with everything that tends to be wide: a brief with a long caption
    template, a submission in two versions with findings and comments, and a Spark Ads request for a
    post with a long link. Returns the portal's addresses."""
    from creatordesk.accounts.models import User
    from creatordesk.campaigns.briefs import brief_save
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.creators.portal import portal_token_for
    from creatordesk.performance.services import amplify_task_request, post_create
    from creatordesk.reviews.models import Finding
    from creatordesk.reviews.services import (
        comment_add,
        decision_record,
        finding_set_state,
        submission_submit,
    )

    settings.MEDIA_ROOT = str(tmp_path / "media")
    collaboration = Collaboration.objects.select_related("creator", "campaign").get(
        creator__tiktok_handle="skinbymehmet"
    )
    creator = collaboration.creator
    brief_save(
        campaign=collaboration.campaign,
        goal="Das neue Vitamin-C-Serum im TikTok Shop bekannt machen und verkaufen.",
        must_mentions=["Vitamin C", "Lumenhaut"],
        dos=["Zeige das Serum in den ersten 3 Sekunden"],
        donts=["Keine Heilversprechen"],
        video_format="9:16",
        min_duration_s=15,
        max_duration_s=60,
        example_videos=[f"https://www.tiktok.com/@lumenhaut/video/7440000000000000001?{'ref=' * 30}"],
        caption=LONG_CAPTION,
    )
    clip = _clip(tmp_path / "draft.mp4", seconds=1)
    submission = submission_submit(collaboration=collaboration, title="Morgenroutine mit Vitamin C", source=clip, original_name="draft.mp4", caption=LONG_CAPTION, by_creator=creator).submission  # fmt: skip
    reviewer = User.objects.get(email="reviewer@lumenhaut.example")
    decision_record(
        version=submission.versions.get(), stage_name="Creator-Management", reviewer=reviewer,
        outcome="changes_required", note=f"Bitte ohne Heilversprechen und kürzer: {HASHTAGS}",
    )  # fmt: skip
    version = submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=clip,
        original_name="draft-v2.mp4",
        caption=HASHTAGS,
        by_creator=creator,
    )
    finding = Finding.objects.create(
        workspace_id=version.workspace_id, version=version, rule="claims.cure", category="medical_claim",
        severity="block", source="speech", start_s=1, end_s=2, evidence=HASHTAGS,
        explanation="Heilversprechen sind in Werbung für Kosmetik verboten.", citation="HWG § 3",
    )  # fmt: skip
    finding_set_state(finding=finding, state="confirmed", reason=HASHTAGS, user=reviewer)
    comment_add(
        version=version, body=f"Bitte den Link kürzen: {LONG_POST_URL}", start_s=1.0, author_creator=creator
    )
    post = post_create(collaboration=collaboration, platform="tiktok", url=LONG_POST_URL)
    task = amplify_task_request(post=post)
    root = f"{base_url}/creators/portal/{portal_token_for(creator)}/"
    return {
        "home": root,
        "collaboration": f"{root}collaborations/{collaboration.pk}/",
        "submission": f"{root}submissions/{submission.pk}/",
        "amplify": f"{root}amplify/",
        "amplify_task": f"{root}amplify/{task.pk}/",
    }


def _phone(page):
    return page.context.browser.new_context(
        locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3
    ).new_page()


def _assert_fits_the_phone(phone) -> None:
    assert phone.evaluate("() => window.innerWidth") == PHONE["width"]
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.evaluate(TOO_WIDE, PHONE["width"]) == []


def test_every_portal_page_fits_a_phone_screen_and_keeps_its_buttons_in_reach(portal, page) -> None:
    phone = _phone(page)
    for name, url in portal.items():
        phone.goto(url)
        try:
            _assert_fits_the_phone(phone)
        except AssertionError as exc:
            raise AssertionError(f"{name} page: {exc}") from exc

    phone.goto(portal["collaboration"])
    assert LONG_CAPTION.splitlines()[1][:40] in phone.get_by_test_id("brief").inner_text()
    upload = phone.get_by_test_id("portal-upload").get_by_role("button", name="Hochladen")
    upload.scroll_into_view_if_needed()
    box = upload.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    phone.goto(portal["submission"])
    assert phone.get_by_test_id("portal-decision-note").is_visible()
    assert phone.get_by_test_id("portal-to-fix-item").is_visible()

    phone.goto(portal["amplify"])
    enter = phone.get_by_test_id("amplify-task").get_by_role("link", name="Code eingeben")
    box = enter.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    enter.click()
    send = phone.get_by_role("button", name="Code senden")
    box = send.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    phone.context.close()


def test_a_phone_upload_shows_its_progress_and_lands_on_the_new_video(portal, tmp_path, page) -> None:
    clip = _clip(tmp_path / "upload.mp4")
    phone = _phone(page)
    phone.add_init_script(RECORD_PROGRESS)
    phone.goto(portal["collaboration"])
    # A phone's upload, not a loopback's: slow enough to watch the bar move.
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 1024 * 1024},
    )
    form = phone.get_by_test_id("portal-upload")
    form.locator("input[name=title]").fill("Serum auf dem Handy")
    form.locator("input[name=file]").set_input_files(str(clip))
    form.get_by_role("button", name="Hochladen").click()

    bar = phone.get_by_test_id("upload-progress")
    bar.wait_for(state="visible")
    phone.wait_for_function(
        "() => { const p = document.querySelector('[data-testid=upload-progress]');"
        " return p && p.value > 0 && p.value < 100; }"
    )
    text = phone.get_by_test_id("upload-progress-text").inner_text()
    assert "Wird hochgeladen:" in text and "MB" in text and "%" in text

    phone.wait_for_url("**/submissions/*/")
    assert phone.locator("h1").inner_text().startswith("Serum auf dem Handy")
    assert phone.get_by_test_id("analysis-status").is_visible()
    seen = phone.evaluate("() => JSON.parse(sessionStorage.getItem('uploadProgress') || '[]')")
    values = [value for value, visible in seen if visible]
    assert any(0 < value < 100 for value in values), seen
    assert values[-1] == 100, seen
    assert values == sorted(values), seen
    _assert_fits_the_phone(phone)

    # Back leads to the form's page again, as after a plain post.
    phone.go_back()
    phone.get_by_test_id("portal-upload").wait_for()
    assert phone.url == portal["collaboration"]
    assert "Serum auf dem Handy" in phone.locator("table").inner_text()
    phone.context.close()


def test_without_javascript_the_upload_form_posts_as_usual(portal, tmp_path, page) -> None:
    clip = _clip(tmp_path / "plain.mp4", seconds=1)
    phone = page.context.browser.new_context(
        locale="en-US", viewport=PHONE, java_script_enabled=False
    ).new_page()
    phone.goto(portal["collaboration"])
    form = phone.get_by_test_id("portal-upload")
    assert form.get_by_test_id("upload-progress").is_hidden()
    form.locator("input[name=title]").fill("Ohne Skript")
    form.locator("input[name=file]").set_input_files(str(clip))
    form.get_by_role("button", name="Hochladen").click()
    phone.wait_for_url("**/submissions/*/")
    assert phone.locator("h1").inner_text().startswith("Ohne Skript")
    phone.context.close()


def test_a_new_version_sent_with_progress_still_shows_the_thank_you_message(portal, tmp_path, page) -> None:
    clip = _clip(tmp_path / "v3.mp4", seconds=2)
    phone = _phone(page)
    phone.goto(portal["submission"])
    form = phone.get_by_test_id("portal-new-version")
    form.locator("input[name=file]").set_input_files(str(clip))
    form.get_by_role("button", name="Hochladen").click()
    phone.wait_for_function("() => document.querySelector('h1').textContent.includes('v3')")
    assert phone.get_by_text("Danke! Deine neue Version wird geprüft.").is_visible()
    assert phone.url == portal["submission"]
    _assert_fits_the_phone(phone)
    phone.context.close()


def test_a_dropped_connection_says_so_and_lets_the_creator_upload_again(portal, tmp_path, page) -> None:
    clip = _clip(tmp_path / "dropped.mp4")
    phone = _phone(page)
    phone.goto(portal["collaboration"])
    # The connection breaks as the upload starts: the request never reaches the server. (A break
    # between chunks resumes by itself; see test_creator_walk_phone.)
    phone.route(
        "**/collaborations/*/uploads/",
        lambda route: route.abort("connectionreset") if route.request.method == "POST" else route.continue_(),
    )
    form = phone.get_by_test_id("portal-upload")
    form.locator("input[name=title]").fill("Im Funkloch")
    form.locator("input[name=file]").set_input_files(str(clip))
    upload = form.get_by_role("button", name="Hochladen")
    upload.click()

    phone.wait_for_function("() => document.querySelector('form[data-upload-state=failed]') !== null")
    text = phone.get_by_test_id("upload-progress-text").inner_text()
    assert "Die Verbindung ist vor dem Ende des Uploads abgebrochen" in text
    assert upload.is_enabled()
    assert form.locator("input[name=title]").input_value() == "Im Funkloch"
    assert "/collaborations/" in phone.url
    phone.context.close()
