"""Under the Content-Security-Policy the pages still work in Chromium and nothing is blocked.

Every `securitypolicyviolation` event and every CSP console error is collected while the main pages,
the review page and the creator portal are opened and their scripts (HTMX, the switchers, the
review player, the charts) are used.
"""

from __future__ import annotations

import subprocess

import pytest

from creatordesk.dashboard.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def review_paths(base_url: str, settings, tmp_path) -> dict[str, str]:
    """A submission with a version and findings in the demo workspace, and its creator's portal link."""
    from django.core.files.base import ContentFile

    from creatordesk.campaigns.models import Collaboration
    from creatordesk.creators.portal import portal_token_for
    from creatordesk.reviews.models import Finding, Submission, Version

    settings.MEDIA_ROOT = str(tmp_path / "media")
    collaboration = Collaboration.objects.select_related("creator").order_by("pk").first()
    assert collaboration is not None
    ws = collaboration.workspace
    submission = Submission.objects.create(workspace=ws, collaboration=collaboration, title="CSP check")
    version = Version(
        workspace=ws, submission=submission, number=1, original_name="v.mp4", size_bytes=4,
        duration_s=10, width=720, height=1280, analysis_status="done",
    )  # fmt: skip
    clip = tmp_path / "v.mp4"
    subprocess.run(
        ["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=0x335577:s=180x320:d=10:r=10",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(clip)],
        check=True,
    )  # fmt: skip
    version.file.save("v.mp4", ContentFile(clip.read_bytes()), save=False)
    version.size_bytes = clip.stat().st_size
    version.save()
    Finding.objects.create(
        workspace=ws, version=version, rule="r", category="medical_claim", severity="block", source="speech",
        start_s=3, end_s=4, evidence="heilt", explanation="x", citation="y",
    )  # fmt: skip
    token = portal_token_for(collaboration.creator)
    return {
        "review": f"/reviews/{submission.pk}/",
        "portal": f"/creators/portal/{token}/",
        "portal_submission": f"/creators/portal/{token}/submissions/{submission.pk}/",
    }


def test_no_csp_violation_on_the_main_pages_the_review_page_and_the_portal(
    base_url: str, review_paths: dict[str, str], page
) -> None:
    console_errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            console_errors.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    violations: list[str] = []

    def visit(path: str) -> None:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        page.wait_for_load_state("networkidle")
        violations.extend(f"{path}: {v}" for v in page.evaluate("() => window.__cspViolations"))

    visit("/accounts/login/")
    page.fill("input[name=username]", "manager@lumenhaut.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    for path in ("/", "/creators/", "/campaigns/", "/reviews/", "/performance/", "/accounts/members/",
                 "/accounts/api-tokens/", "/accounts/profile/", "/api/docs"):  # fmt: skip
        visit(path)

    # HTMX still swaps content: the creator search filters the rows as one types.
    visit("/creators/")
    rows_before = page.locator("#creator-rows tr").count()
    page.locator("input[name=q]").fill("zzzz-nobody")
    page.wait_for_function(f"() => document.querySelectorAll('#creator-rows tr').length !== {rows_before}")

    # The review player runs: a finding's time code seeks the video (the comment form follows it).
    visit(review_paths["review"])
    assert page.locator("[data-review-player] .marker").count() >= 1
    page.wait_for_function("() => document.querySelector('[data-review-player] video').readyState >= 1")
    page.get_by_test_id("finding-seek").first.click()
    page.wait_for_function("() => document.querySelector('[data-start-input]').value === '3.0'")

    # The performance charts were drawn (Chart.js sets the canvas size from script).
    visit("/performance/")

    # The workspace switcher submits by script, not by an inline handler.
    visit("/")
    with page.expect_navigation():
        page.get_by_test_id("workspace-switch").select_option(index=1)

    for path in (review_paths["portal"], review_paths["portal_submission"]):
        visit(path)

    assert violations == []
    assert console_errors == []

    # The collector itself works: an injected inline script is blocked and reported.
    page.evaluate("""() => {
        const probe = document.createElement("script");
        probe.textContent = "window.__inlineRan = true;";
        document.body.appendChild(probe);
    }""")
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.__inlineRan === undefined")
