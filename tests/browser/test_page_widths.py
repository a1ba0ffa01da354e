"""No page of the demo workspace is wider than a 1366×768 laptop screen, in English or in German.

The pages are the isolation test's: every route of the URL resolver, each object id filled with an
object of the demo workspace. A Django test client asks for each address first (the browser must not
share the database connection, see conftest.py), which also sorts out what is not a page of its own:
downloads, media, HTMX fragments and POST-only endpoints.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import get_resolver

from creatordesk.dashboard.demo import DEMO_PASSWORD
from tests.test_workspace_isolation import NOT_OBJECT_IDS, SKIP_PREFIXES, _walk, object_url_templates

if TYPE_CHECKING:
    from creatordesk.accounts.models import User, Workspace
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.reviews.models import Comment, Finding, Submission, Version

pytestmark = [pytest.mark.browser]

LAPTOP = {"width": 1366, "height": 768}
OWNER = "owner@lumenhaut.example"
# Text that tends to be wide: one hashtag run without a break, and a link with a long query.
HASHTAGS = "#lumenhautvitamincserumglowroutinemorgenroutineherbstlaunch" * 3
LONG_URL = "https://www.tiktok.com/@skinbymehmet/video/7449000000000000001?is_from_webapp=1&" + "ref=x&" * 20

# Elements that reach past the right edge of the screen, except inside a box that scrolls by itself.
TOO_WIDE = """(width) => {
  function scrollsItself(element) {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
    }
    return false;
  }
  const wide = [];
  document.body.querySelectorAll("*").forEach(function (element) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return;
    if (box.right > width + 0.5 && !scrollsItself(element)) {
      wide.push(element.tagName.toLowerCase() + "." + element.className + " " + Math.round(box.right));
    }
  });
  return wide.slice(0, 5);
}"""
# Arguments of endpoints that are no page whatever they hold: the resumable upload protocol.
NOT_PAGE_ARGUMENTS = {"upload_id": "00000000-0000-4000-8000-000000000000"}
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@dataclass
class DemoObjects:
    """Objects of the demo workspace that fill the URL arguments, and the tokens a URL may carry."""

    ids: dict[str, int] = field(default_factory=dict)
    portal_token: str = ""  # the creator with the submissions
    amplify_portal_token: str = ""  # the creator whose posts have Spark Ads requests
    import_token: str = ""
    invitation_token: str = ""
    reset: tuple[str, str] = ("", "")


def make_clip(path: Path, seconds: int = 1) -> Path:
    subprocess.run(
        ["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", f"testsrc2=s=720x1280:d={seconds}:r=25",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )  # fmt: skip
    return path


@dataclass
class ReviewData:
    collaboration: Collaboration
    submission: Submission
    version: Version
    finding: Finding
    comment: Comment


def build_review_data(tmp_path: Path) -> ReviewData:
    """Skin by Mehmet's submission in two versions: v1 sent back with a note, v2 waiting for a decision
    with an open blocking finding and a comment holding a long link."""
    from creatordesk.accounts.models import User
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.reviews.models import Finding
    from creatordesk.reviews.services import (
        comment_add,
        decision_record,
        submission_submit,
    )

    collaboration = Collaboration.objects.select_related("creator", "campaign").get(
        creator__tiktok_handle="skinbymehmet"
    )
    creator = collaboration.creator
    clip = make_clip(tmp_path / "draft.mp4")
    submission = submission_submit(collaboration=collaboration, title="Morgenroutine mit Vitamin C", source=clip, original_name="draft.mp4", caption=f"Werbung | Mein Serum {HASHTAGS}", by_creator=creator).submission  # fmt: skip
    reviewer = User.objects.get(email="reviewer@lumenhaut.example")
    decision_record(
        version=submission.versions.get(), stage_name="Creator-Management", reviewer=reviewer,
        outcome="changes_required", note=f"Bitte ohne Heilversprechen: {HASHTAGS}",
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
        severity="block", source="speech", start_s=0.2, end_s=0.8, evidence=HASHTAGS,
        explanation="Heilversprechen sind in Werbung für Kosmetik verboten.", citation="HWG § 3",
    )  # fmt: skip
    comment = comment_add(
        version=version, body=f"Bitte den Link kürzen: {LONG_URL}", start_s=0.5, author=reviewer
    )
    return ReviewData(collaboration, submission, version, finding, comment)


def _png() -> io.BytesIO:
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (64, 64), (220, 120, 40)).save(data, format="PNG")
    data.seek(0)
    return data


def _paid_and_visual_objects(workspace: Workspace, owner: User) -> dict[str, int]:
    """A test plan and its analysis over the demo's placement rows, a finished Insights read, and the
    demo's key visual with its check, template and a reference image."""
    import datetime
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from creatordesk.placements.models import InsightsRun
    from creatordesk.placements.services import exclusion_analysis_create, exclusion_plan_create
    from creatordesk.visuals.models import PromptTemplate
    from creatordesk.visuals.services import asset_create, reference_add

    start = datetime.date(2026, 10, 5)
    plan = exclusion_plan_create(
        workspace=workspace, actor=owner, name="Threads-Ausschlusstest Frühling", campaign_key="910002",
        daily_budget=Decimal(300), weeks=4, results_per_euro=Decimal("0.05"), placement_share=Decimal("0.1"),
        dispersion=Decimal("1.5"), start=start,
    )  # fmt: skip
    analysis = exclusion_analysis_create(
        workspace=workspace,
        actor=owner,
        name="Frühling A/B",
        cell_a_key="910002",
        cell_b_key="910003",
        plan=plan,
    )
    run = InsightsRun.objects.create(workspace=workspace, since=start, until=start, status="done", rows=12)
    # A new image: the demo's was stored before this test moved MEDIA_ROOT.
    asset = asset_create(
        workspace=workspace, actor=owner, upload=SimpleUploadedFile("plakat.png", _png().read()),
        title="Herbst-Plakat mit sehr langem Titel für die Kampagne", declared="generated",
    )  # fmt: skip
    reference = reference_add(
        workspace=workspace,
        kind="competitor",
        upload=SimpleUploadedFile("rival.png", _png().read()),
        name="Rivale",
    )
    ids = {
        "asset_id": asset.pk,
        "visual_check_id": asset.checks.get().pk,
        "index": 0,
        "template_id": PromptTemplate.objects.for_workspace(workspace).get().pk,
        "reference_id": reference.pk,
    }
    return {**ids, "plan_id": plan.pk, "analysis_id": analysis.pk, "insights_run_id": run.pk}


def build_demo_objects(tmp_path: Path) -> DemoObjects:
    """Add to the demo what some pages need to exist at all, through the services where there is one."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from creatordesk.accounts.models import User, Workspace
    from creatordesk.accounts.services import api_token_create, invitation_create
    from creatordesk.campaigns.models import Product, SampleShipment
    from creatordesk.campaigns.products import product_image_add
    from creatordesk.creators import import_jobs, imports
    from creatordesk.creators.community import broadcast_send, segment_save
    from creatordesk.creators.models import ImportJob
    from creatordesk.creators.portal import portal_token_for
    from creatordesk.dashboard.demo import DEMO_WORKSPACE
    from creatordesk.notifications.models import Delivery, Webhook
    from creatordesk.performance.models import AmplifyTask, ViralAlert
    from creatordesk.shop.models import ShopCollaboration
    from creatordesk.shop.post_checks import post_check_create

    workspace = Workspace.objects.get(name=DEMO_WORKSPACE)
    owner = User.objects.get(email=OWNER)
    review = build_review_data(tmp_path)
    product = Product.objects.for_workspace(workspace).first()
    assert product is not None
    image = product_image_add(
        product=product, upload=SimpleUploadedFile("serum.png", _png().read(), content_type="image/png")
    )
    token, _raw = api_token_create(workspace=workspace, user=owner, name="Shop-Sync")
    segment = segment_save(workspace=workspace, name="Skincare DE", filters={"q": "skin"})
    broadcast = broadcast_send(
        segment=segment,
        subject="Neue Produktproben",
        body=f"Hallo! {LONG_URL}",
        show_in_portal=True,
        user=owner,
    )
    # Created as the isolation test does: the service resolves the host, and a test has no network.
    webhook = Webhook.objects.create(workspace=workspace, name="Team-Kanal", url=LONG_URL)
    delivery = Delivery.objects.filter(workspace=workspace).first()
    assert delivery is not None  # the decision above was announced
    alert = ViralAlert.objects.for_workspace(workspace).first()
    task = AmplifyTask.objects.for_workspace(workspace).select_related("post__collaboration__creator").first()
    assert alert is not None and task is not None
    upload = SimpleUploadedFile(
        "creators.csv",
        b"handle,name,categories\nskinbymehmet,Skin by Mehmet,beauty\nneu.hier,Neu Hier,skincare\n",
    )
    stored = imports.import_upload(workspace=workspace, upload=upload)
    imports.import_set_mapping(
        stored=stored, columns=["handle", "display_name", "categories"], default_platform="tiktok",
        decimal_comma=False,
    )  # fmt: skip
    job = import_jobs.job_start(
        workspace=workspace, kind=ImportJob.Kind.CREATORS, token=stored.token, commit=False,
        options={"mapping": import_jobs.mapping_key(stored), "skip_errors": False}, actor=owner, rows_total=2,
    )  # fmt: skip
    invitation = invitation_create(
        workspace=workspace, email="neu@lumenhaut.example", role="viewer", invited_by=owner
    )
    shipment = SampleShipment.objects.for_workspace(workspace).first()
    assert shipment is not None
    check = post_check_create(post=task.post)
    target = ShopCollaboration.objects.create(
        workspace=workspace,
        campaign_id=review.collaboration.campaign_id,
        external_id="7441800000000000009",
        name="Herbst-Launch Zielkooperation",
        commission_rate_bp=1500,
        status="ONGOING",
    )
    return DemoObjects(
        ids={
            **_paid_and_visual_objects(workspace, owner),
            "creator_pk": review.collaboration.creator_id,
            "campaign_pk": review.collaboration.campaign_id,
            "collaboration_pk": review.collaboration.pk,
            "submission_pk": review.submission.pk,
            "version_pk": review.version.pk,
            "comment_pk": review.comment.pk,
            "finding_pk": review.finding.pk,
            "token_pk": token.pk,
            "product_pk": product.pk,
            "image_pk": image.pk,
            "segment_pk": segment.pk,
            "broadcast_pk": broadcast.pk,
            "webhook_pk": webhook.pk,
            "delivery_pk": delivery.pk,
            "alert_pk": alert.pk,
            "amplify_task_pk": task.pk,
            "job_pk": job.pk,
            "shipment_pk": shipment.pk,
            "shipment_id": shipment.pk,
            "check_id": check.pk,
            "shop_collaboration_id": target.pk,
        },
        portal_token=portal_token_for(review.collaboration.creator),
        amplify_portal_token=portal_token_for(task.post.collaboration.creator),
        import_token=stored.token,
        invitation_token=invitation.token,
        reset=(urlsafe_base64_encode(force_bytes(owner.pk)), default_token_generator.make_token(owner)),
    )


def fill(template: str, objects: DemoObjects) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "uidb64":
            return objects.reset[0]
        if name == "token":
            if template.startswith("creators/portal/"):
                amplify = "amplify_task_pk" in template or template.endswith("amplify/")
                return objects.amplify_portal_token if amplify else objects.portal_token
            if template.startswith("creators/import/"):
                return objects.import_token
            if template.startswith("accounts/invitations/"):
                return objects.invitation_token
            return objects.reset[1]
        if name in NOT_PAGE_ARGUMENTS:
            return NOT_PAGE_ARGUMENTS[name]
        if name not in objects.ids:
            pytest.fail(f"URL argument '{name}' in {template!r} has no demo object here")
        return str(objects.ids[name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", sub, template)


def page_templates() -> list[str]:
    """Every route outside the admin and the API: the isolation test's object URLs, and the routes
    it leaves out because they take no object id (lists, forms, token links such as the portal)."""
    others = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
        if not route.startswith(SKIP_PREFIXES) and names <= NOT_OBJECT_IDS - {"path"}:
            others.append(route)
    return sorted(set(others) | set(object_url_templates()))


@dataclass
class PageList:
    pages: list[str]
    skipped: dict[str, str]


def sort_out_pages(client: Client, urls: list[str]) -> PageList:
    """Keep what a browser shows as a page; say why each of the others is left out."""
    pages, skipped = [], {}
    for url in urls:
        if NOT_PAGE_ARGUMENTS["upload_id"] in url:
            skipped[url] = "resumable upload endpoint"
            continue
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        assert response.status_code < 500 and response.status_code != 404, (
            f"GET {url} gave {response.status_code}"
        )
        if response.status_code == 405:
            skipped[url] = "POST only"
        elif response.status_code == 302:
            skipped[url] = f"redirects to {response['Location']}"
        elif not content_type.startswith("text/html"):
            skipped[url] = content_type.split(";")[0] or "no content type"
        elif b"<html" not in response.content[:500].lower():
            skipped[url] = "HTML fragment"
        else:
            pages.append(url)
    return PageList(pages=pages, skipped=skipped)


@pytest.fixture
def page_list(base_url: str, settings, tmp_path: Path) -> PageList:
    from creatordesk.accounts.models import User

    settings.MEDIA_ROOT = str(tmp_path / "media")
    objects = build_demo_objects(tmp_path)
    urls = [fill(template, objects) for template in page_templates()]
    client = Client()
    client.force_login(User.objects.get(email=OWNER))
    return sort_out_pages(client, urls)


def log_in(page, base_url: str, email: str, language: str) -> None:
    """Sign in and pick the language from the top bar, as a user does."""
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    # The login page has a language switch of its own: wait until the signed-in page is there.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    select = page.get_by_test_id("language-select")
    if select.input_value() != language:
        with page.expect_navigation():
            select.select_option(language)
    assert page.locator("html").get_attribute("lang") == language


def too_wide(page) -> list[str]:
    """Empty when the page fits the window; otherwise its width and the widest elements."""
    scroll_width, inner_width = page.evaluate(PAGE_WIDTH)
    if scroll_width <= inner_width:
        return []
    return [f"{scroll_width} px > {inner_width} px", *page.evaluate(TOO_WIDE, inner_width)]


def test_every_page_fits_a_laptop_screen_in_english_and_german(page_list, base_url, page) -> None:
    assert len(page_list.pages) > 40, page_list.pages
    problems = []
    browser = page.context.browser
    for language in ("en", "de"):
        context = browser.new_context(locale="en-US", viewport=LAPTOP)
        laptop = context.new_page()
        log_in(laptop, base_url, OWNER, language)
        for url in page_list.pages:
            response = laptop.goto(base_url + url)
            assert response is not None and response.status < 500, f"{url}: {response and response.status}"
            if not url.startswith("/creators/portal/"):  # the portal speaks the creator's language
                assert laptop.locator("html").get_attribute("lang") == language, url
            if wide := too_wide(laptop):
                problems.append(f"{language} {url}: {'; '.join(wide)}")
        if language == "de":
            laptop.get_by_test_id("language-select").select_option("en")  # leave the demo user as it was
        context.close()
    assert problems == [], "\n".join(problems)
