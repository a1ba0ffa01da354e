"""Posted as approved: real clips compared with the approved version, the caption's disclosure, the product
link, failures, and the loop that finds posts to check.

The approved clip is 16 s of four moving scenes (tests/engine/matching_clips.py); posted versions are
re-encoded at 720x1280, CRF 35, 25 fps, with the top cropped, a caption bar over the bottom and music
under the voice.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from conftest import Side
from creatordesk.campaigns.briefs import brief_save
from creatordesk.campaigns.models import Product
from creatordesk.performance.models import Post
from creatordesk.performance.services import post_create
from creatordesk.reviews.models import Outcome, Submission, Version
from creatordesk.reviews.services import decision_record, submission_submit
from creatordesk.shop.check_tasks import post_checks_queue
from creatordesk.shop.models import AffiliateOrder, PostCheck, Source
from creatordesk.shop.post_checks import (
    post_check_attach_video,
    post_check_create,
    post_check_problems,
    post_check_run,
)
from tests.engine.matching_clips import APPROVED, Posted, render_posted, render_source

SERUM_ID = "1729384756102938475"
CREAM_ID = "1729384756102938999"
DISCLOSED = f"Werbung | Mein Morgenritual mit dem Serum 🛒 shop.tiktok.com/view/product/{SERUM_ID}"


@pytest.fixture
def products(side_a: Side) -> tuple[Product, Product]:
    """The campaign's serum and a cream of the same brand that belongs to no campaign of this check."""
    ws = side_a.workspace
    serum = Product.objects.create(
        workspace=ws, name="Glow Serum", shop_product_id=SERUM_ID, shop_url="https://shop.example/serum"
    )
    cream = Product.objects.create(
        workspace=ws,
        name="Night Cream",
        shop_product_id=CREAM_ID,
        shop_url="https://shop.example/night-cream",
    )
    side_a.campaign.products.add(serum)
    return serum, cream


def _post(side: Side, caption: str, external_id: str = "7301000000000000001") -> Post:
    return post_create(
        collaboration=side.collaboration, platform="tiktok", external_id=external_id, caption=caption
    )


def _approve_clip(side: Side) -> Version:
    version = submission_submit(
        collaboration=side.collaboration,
        source=render_source(APPROVED, "approved"),
        original_name="serum.mp4",
        title="Serum video",
        by_creator=side.creator,
    )
    decision_record(
        version=version,
        stage_name="Review",
        reviewer=side.reviewer,
        outcome="approved",
        confirm_open_blocks=True,
    )
    version.refresh_from_db()
    assert version.outcome == Outcome.APPROVED
    return version


def _approved_without_file(side: Side) -> Version:
    """An approved version whose file is never read: the checks without a posted video need none."""
    submission = Submission.objects.create(
        workspace=side.workspace, collaboration=side.collaboration, title="V"
    )
    version = Version(
        workspace=side.workspace, submission=submission, number=1, original_name="v.mp4", size_bytes=4,
        duration_s=16, width=540, height=960, outcome=Outcome.APPROVED, decided_at=timezone.now(),
    )  # fmt: skip
    version.file.save("v.mp4", ContentFile(b"data"), save=False)
    version.save()
    return version


def _codes(check: PostCheck, *severities: str) -> list[str]:
    return [f["code"] for f in check.findings if not severities or f["severity"] in severities]


@pytest.fixture
def media_settings(settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    return settings


@pytest.mark.media
def test_a_reencoded_copy_with_music_and_a_cropped_caption_bar_passes_as_the_approved_version(
    side_a: Side, products, media_settings
) -> None:
    approved = _approve_clip(side_a)
    check = post_check_create(post=_post(side_a, DISCLOSED))
    posted = render_posted(APPROVED, Posted(parts=((0.0, 16.0),)), "approved")
    post_check_attach_video(check=check, source=posted, original_name="from-tiktok.mp4")

    check = post_check_run(check=check)

    assert check.status == PostCheck.Status.DONE, check.error
    assert check.verdict == PostCheck.Verdict.SAME
    assert check.approved_version == approved
    assert check.video_similarity is not None and check.video_similarity >= 0.95
    assert check.audio_similarity is not None and check.audio_similarity >= 0.4
    assert _codes(check, "block", "warn") == []
    assert post_check_problems(workspace=side_a.workspace) == []


@pytest.mark.media
def test_a_different_cut_is_flagged_with_the_range_missing_from_the_posted_video(
    side_a: Side, products, media_settings
) -> None:
    _approve_clip(side_a)
    check = post_check_create(post=_post(side_a, DISCLOSED))
    cut = render_posted(APPROVED, Posted(parts=((0.0, 6.0), (9.0, 16.0))), "approved")
    post_check_attach_video(check=check, source=cut, original_name="cut.mp4")

    check = post_check_run(check=check)

    assert check.status == PostCheck.Status.DONE, check.error
    assert check.verdict == PostCheck.Verdict.DIFFERENT_CUT
    cuts = [f for f in check.findings if f["code"] == "different_cut"]
    assert len(cuts) == 1 and cuts[0]["severity"] == "block"
    assert abs(cuts[0]["start_s"] - 6.0) <= 0.5 and abs(cuts[0]["end_s"] - 9.0) <= 0.5
    assert "6.0–9.0 s" in cuts[0]["detail"]
    [problem] = post_check_problems(workspace=side_a.workspace)
    assert (problem.creator, problem.campaign) == ("Creator alpha", "Campaign alpha")
    assert problem.what == "Different cut" and problem.url == f"/shop/checks/{check.pk}/"


@pytest.mark.media
def test_a_broken_posted_file_ends_the_check_as_failed_with_a_message(
    side_a: Side, products, media_settings
) -> None:
    _approve_clip(side_a)
    check = post_check_create(post=_post(side_a, DISCLOSED))
    whole = render_posted(APPROVED, Posted(parts=((0.0, 16.0),)), "approved").read_bytes()
    # A file fetched by link that broke off half way: stored without the upload's checks.
    check.posted_file.save("posted.mp4", ContentFile(whole[: len(whole) // 2]), save=True)

    check = post_check_run(check=check)

    assert check.status == PostCheck.Status.FAILED
    assert check.error.startswith("The posted video cannot be read:")
    assert "not a readable video" in check.error
    assert check.finished_at is not None
    [problem] = post_check_problems(workspace=side_a.workspace)
    assert problem.what.startswith("The check failed:")


def test_an_upload_that_is_not_a_video_is_refused_and_the_check_keeps_no_file(
    side_a: Side, tmp_path: Path, media_settings
) -> None:
    check = post_check_create(post=_post(side_a, DISCLOSED))
    notes = tmp_path / "notes.mp4"
    notes.write_text("just some text\n")

    with pytest.raises(ValidationError) as caught:
        post_check_attach_video(check=check, source=notes, original_name="my-post.mp4")

    assert "my-post.mp4" in " ".join(caught.value.messages)
    check.refresh_from_db()
    assert not check.posted_file
    stored = media_settings.MEDIA_ROOT / "posted"
    assert not stored.exists() or not any(stored.rglob("*"))


def test_a_caption_without_the_disclosure_is_flagged_when_the_brief_requires_it(
    side_a: Side, products
) -> None:
    _approved_without_file(side_a)
    brief_save(campaign=side_a.campaign, disclosure_required=True)
    check = post_check_run(check=post_check_create(post=_post(side_a, f"Mein Morgenritual 🛒 {SERUM_ID}")))

    assert check.status == PostCheck.Status.DONE, check.error
    missing = [f for f in check.findings if f["code"] == "disclosure_missing"]
    assert len(missing) == 1 and missing[0]["severity"] == "block"
    assert "UWG" in missing[0]["detail"]
    assert check.verdict == PostCheck.Verdict.NOT_CHECKED
    assert "posted_video_missing" in _codes(check, "info")


def test_a_caption_without_the_disclosure_passes_when_the_brief_does_not_ask_for_one(
    side_a: Side, products
) -> None:
    _approved_without_file(side_a)
    brief_save(campaign=side_a.campaign, disclosure_required=False)
    check = post_check_run(check=post_check_create(post=_post(side_a, f"Mein Morgenritual 🛒 {SERUM_ID}")))

    assert _codes(check, "block", "warn") == []


def test_an_english_ad_hashtag_is_flagged_as_an_unclear_disclosure(side_a: Side, products) -> None:
    check = post_check_run(check=post_check_create(post=_post(side_a, f"#ad my morning routine {SERUM_ID}")))

    assert _codes(check, "block", "warn") == ["disclosure_weak"]


def test_a_product_link_of_another_product_is_flagged(side_a: Side, products) -> None:
    caption = "Werbung | Meine Nachtpflege, Link: https://www.shop.example/night-cream?utm=tt"
    check = post_check_run(check=post_check_create(post=_post(side_a, caption)))

    [finding] = [f for f in check.findings if f["code"] == "product_link_mismatch"]
    assert finding["severity"] == "block"
    assert "Night Cream" in finding["detail"] and "caption" in finding["detail"]


def test_a_shop_link_with_an_unknown_product_id_is_flagged(side_a: Side, products) -> None:
    caption = "Werbung | Mein Lieblingsserum shop.tiktok.com/view/product/1111222233334444555"
    check = post_check_run(check=post_check_create(post=_post(side_a, caption)))

    [finding] = [f for f in check.findings if f["code"] == "product_link_mismatch"]
    assert "1111222233334444555" in finding["detail"]


def test_orders_credited_to_the_video_for_another_product_flag_its_link(side_a: Side, products) -> None:
    post = _post(side_a, "Werbung | Mein Morgenritual")
    AffiliateOrder.objects.create(
        workspace=side_a.workspace, order_id="O1", sku_id="S1", shop_product_id=CREAM_ID,
        content_id=post.external_id, gmv=Decimal("19.90"), source=Source.TIKTOK_API,
    )  # fmt: skip
    check = post_check_run(check=post_check_create(post=post))

    [finding] = [f for f in check.findings if f["code"] == "product_link_mismatch"]
    assert CREAM_ID in finding["detail"] and finding["severity"] == "block"


def test_the_campaigns_product_in_the_caption_raises_no_link_finding(side_a: Side, products) -> None:
    check = post_check_run(check=post_check_create(post=_post(side_a, DISCLOSED)))

    assert not [code for code in _codes(check) if code.startswith("product_link")]


def test_the_queue_checks_each_post_of_an_approved_collaboration_once(side_a: Side, side_b: Side) -> None:
    _approved_without_file(side_a)
    approved_post = _post(side_a, "Werbung | Morgenritual")
    _post(side_b, "Werbung | not approved yet", external_id="7301000000000000002")

    first = post_checks_queue.call(reschedule=False)
    second = post_checks_queue.call(reschedule=False)

    assert (first, second) == ({"queued": 1}, {"queued": 0})
    [check] = PostCheck.objects.all()
    assert check.post == approved_post and check.status == PostCheck.Status.QUEUED
