"""The pages of the posted-as-approved checks: the list, one check, adding the posted video, checking again."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import Side
from creatordesk.performance.models import Post
from creatordesk.performance.services import post_create
from creatordesk.shop.models import PostCheck
from creatordesk.shop.post_checks import post_check_create, post_check_run
from tests.engine.matching_clips import APPROVED, Posted, render_posted


def _post(side: Side, caption: str) -> Post:
    return post_create(
        collaboration=side.collaboration,
        platform="tiktok",
        external_id=f"73010000000000{side.workspace.pk:05d}",
        url="https://www.tiktok.com/@alpha_one/video/7301000000000000001",
        caption=caption,
    )


@pytest.fixture
def media_settings(settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    return settings


def test_the_list_shows_each_checked_post_with_its_result_and_problem_count(side_a: Side, login_as) -> None:
    check = post_check_run(check=post_check_create(post=_post(side_a, "Mein Morgenritual mit dem Serum")))

    page = login_as(side_a.viewer).get("/shop/checks/")

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="check-row"') == 1
    assert f'href="/shop/checks/{check.pk}/"' in html
    assert "Creator alpha" in html and "Campaign alpha" in html
    assert "Not compared" in html


def test_a_check_page_shows_its_findings_and_the_upload_form(side_a: Side, login_as) -> None:
    check = post_check_run(check=post_check_create(post=_post(side_a, "Mein Morgenritual mit dem Serum")))

    html = login_as(side_a.reviewer).get(f"/shop/checks/{check.pk}/").content.decode()

    assert 'data-code="disclosure_missing"' in html and "Ad disclosure missing" in html
    assert "Check again" in html
    # No approved version yet: there is nothing to compare a posted video with.
    assert "Add the posted video" not in html


def test_another_workspaces_check_is_not_found(side_a: Side, side_b: Side, login_as) -> None:
    theirs = post_check_create(post=_post(side_b, "Werbung | B secret caption"))
    client = login_as(side_a.owner)

    assert client.get(f"/shop/checks/{theirs.pk}/").status_code == 404
    assert client.post(f"/shop/checks/{theirs.pk}/again/").status_code == 404
    upload = SimpleUploadedFile("x.mp4", b"data", content_type="video/mp4")
    assert client.post(f"/shop/checks/{theirs.pk}/video/", {"file": upload}).status_code == 404
    assert "B secret" not in client.get("/shop/checks/").content.decode()


def test_a_viewer_may_look_but_not_run_a_check_again(side_a: Side, login_as) -> None:
    check = post_check_run(check=post_check_create(post=_post(side_a, "Werbung | Morgenritual")))
    client = login_as(side_a.viewer)

    assert "Check again" not in client.get(f"/shop/checks/{check.pk}/").content.decode()
    assert client.post(f"/shop/checks/{check.pk}/again/").status_code == 403
    check.refresh_from_db()
    assert check.status == PostCheck.Status.DONE


def test_check_again_queues_the_check(side_a: Side, login_as) -> None:
    check = post_check_run(check=post_check_create(post=_post(side_a, "Werbung | Morgenritual")))

    response = login_as(side_a.reviewer).post(f"/shop/checks/{check.pk}/again/", follow=True)

    check.refresh_from_db()
    assert check.status == PostCheck.Status.QUEUED
    assert "The check runs again." in response.content.decode()


def test_an_uploaded_text_file_is_refused_with_a_message(side_a: Side, login_as, media_settings) -> None:
    check = post_check_create(post=_post(side_a, "Werbung | Morgenritual"))
    upload = SimpleUploadedFile("my-post.mp4", b"just some text\n", content_type="video/mp4")

    response = login_as(side_a.reviewer).post(
        f"/shop/checks/{check.pk}/video/", {"file": upload}, follow=True
    )

    check.refresh_from_db()
    assert not check.posted_file
    assert "my-post.mp4" in response.content.decode()


@pytest.mark.media
def test_an_uploaded_posted_video_is_stored_and_the_check_queued(
    side_a: Side, login_as, media_settings
) -> None:
    check = post_check_run(check=post_check_create(post=_post(side_a, "Werbung | Morgenritual")))
    clip = render_posted(APPROVED, Posted(parts=((0.0, 16.0),)), "approved")
    upload = SimpleUploadedFile("from-tiktok.mp4", clip.read_bytes(), content_type="video/mp4")

    response = login_as(side_a.reviewer).post(
        f"/shop/checks/{check.pk}/video/", {"file": upload}, follow=True
    )

    check.refresh_from_db()
    assert check.status == PostCheck.Status.QUEUED
    assert (check.posted_file.name or "").startswith(f"posted/{side_a.workspace.pk}/")
    assert Path(check.posted_file.path).read_bytes() == clip.read_bytes()
    assert "Posted video added" in response.content.decode()
