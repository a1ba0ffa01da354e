"""The brief builder: what a manager types is what creators read and what the pre-review checks."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import include, path
from django.utils import translation
from PIL import Image

from creatordesk.accounts.services import api_token_create, user_set_language
from creatordesk.campaigns.briefs import brief_save, brief_yaml, engine_brief_for, local_engine_brief
from creatordesk.campaigns.models import Brief
from creatordesk.campaigns.products import campaign_update, product_create, product_image_add
from creatordesk.creators.portal import portal_token_for
from creatordesk.engine.brief import load_brief
from creatordesk.reviews.tests.clips import CLEAN, make_clip
from creatordesk.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db

# Where the project mounts the portal's product images, for rendering the brief with a creator's link.
urlpatterns = [
    path("creators/portal/<str:token>/", include("creatordesk.campaigns.portal_urls")),
    *project_urlpatterns,
]

# Said in the clip and recognised word for word by the tiny English speech model.
VITAMIN_C = "It is packed with vitamin C."


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def builder_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "goal": "Show the evening routine",
        "must_mentions": "Vitamin C\r\n\r\n   24h Pflege  \r\n",
        "dos": "Natural light",
        "donts": "No filters",
        "banned_terms": "billig",
        "competitors": "CeraVe\nThe Ordinary",
        "disclosure_required": "on",
        "video_format": "9:16",
        "min_duration_s": "5",
        "max_duration_s": "60",
        "hook_ideas": "My skin after 7 days",
        "example_videos": "https://www.tiktok.com/@brand/video/1",
        "caption": "Werbung | My evening routine #skincare",
        "draft_due_on": "2026-06-10",
        "post_due_on": "2026-06-20",
        "language": "en",
    }
    data.update(changes)
    return data


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 120), (240, 240, 240)).save(buffer, "PNG")
    return SimpleUploadedFile("front.png", buffer.getvalue())


# The header line the export gives per reference image: the file name to save it as, and its link.
IMAGE_LINE = re.compile(r"^#   (\S+)  (\S+)$", re.MULTILINE)


def save_with_images(text: str, folder: Path, client) -> Path:
    """The exported brief as a reader saves it: the YAML, and each listed reference image beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, url in IMAGE_LINE.findall(text):
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        (folder / name).write_bytes(b"".join(response.streaming_content))
    brief_file = folder / "brief.yaml"
    brief_file.write_text(text)
    return brief_file


@pytest.fixture
def serum_campaign(side_a):
    serum = product_create(workspace=side_a.workspace, name="Hydra Serum")
    image = product_image_add(product=serum, upload=png())
    campaign_update(campaign=side_a.campaign, name=side_a.campaign.name, products=[serum])
    return side_a.campaign, image


def review(clip: Path, brief_file: Path) -> dict:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "creatordesk.cli",
            "review",
            str(clip),
            "--brief",
            str(brief_file),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.media
def test_brief_built_in_the_ui_is_what_the_cli_checks(side_a, serum_campaign, login_as, tmp_path) -> None:
    campaign, image = serum_campaign
    client = login_as(side_a.manager)
    response = client.post(f"/campaigns/{campaign.pk}/brief/", builder_data())
    assert response.status_code == 302

    exported = client.get(f"/campaigns/{campaign.pk}/brief.yaml")
    assert exported["Content-Disposition"] == 'attachment; filename="brief-campaign-alpha.yaml"'
    brief_file = save_with_images(exported.content.decode(), tmp_path / "exported", client)
    brief = load_brief(brief_file)
    assert dataclasses.replace(brief, reference_images=()) == dataclasses.replace(
        engine_brief_for(campaign), reference_images=()
    )
    assert brief.must_mentions == ("Vitamin C", "24h Pflege")
    assert brief.competitors == ("CeraVe", "The Ordinary")
    (saved,) = brief.reference_images
    assert saved.read_bytes() == Path(image.image.path).read_bytes()
    assert (brief.product_name, brief.language, brief.min_duration_s) == ("Hydra Serum", "en", 5.0)

    without = review(make_clip(tmp_path / "without.mp4", CLEAN), brief_file)
    with_it = review(make_clip(tmp_path / "with.mp4", VITAMIN_C), brief_file)
    missing = {f["evidence"] for f in without["findings"] if f["category"] == "must_mention_missing"}
    assert "Vitamin C" in missing
    assert "vitamin C" in with_it["transcript"][0]["text"]
    missing = {f["evidence"] for f in with_it["findings"] if f["category"] == "must_mention_missing"}
    assert "Vitamin C" not in missing
    assert "24h Pflege" in missing


def test_builder_keeps_no_empty_lines(side_a, login_as) -> None:
    login_as(side_a.manager).post(f"/campaigns/{side_a.campaign.pk}/brief/", builder_data())
    brief = Brief.objects.get(campaign=side_a.campaign)
    assert brief.must_mentions == "Vitamin C\n24h Pflege"
    assert brief.competitors == "CeraVe\nThe Ordinary"


def test_builder_opens_with_the_saved_brief(side_a, login_as) -> None:
    brief_save(campaign=side_a.campaign, must_mentions="Vitamin C\n24h Pflege", language="en")
    page = login_as(side_a.manager).get(f"/campaigns/{side_a.campaign.pk}/brief/")
    assert page.status_code == 200
    assert "Vitamin C\n24h Pflege</textarea>" in page.content.decode()
    assert '<option value="en" selected>' in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_duration_s": "30", "max_duration_s": "10"}, b"cannot be shorter than the minimum"),
        ({"example_videos": "https://ok.example/v\nnot a link"}, b"is not a web address"),
        ({"example_videos": "javascript:alert(1)"}, b"is not a web address"),
        ({"min_duration_s": "0"}, b"greater than or equal to 1"),
        ({"language": "fr"}, b"Select a valid choice"),
        ({"draft_due_on": "2026-06-20", "post_due_on": "2026-06-10"}, b"cannot be before the draft deadline"),
    ],
)
def test_builder_refuses_a_brief_that_cannot_be_checked(changes, message, side_a, login_as) -> None:
    response = login_as(side_a.manager).post(
        f"/campaigns/{side_a.campaign.pk}/brief/", builder_data(**changes)
    )
    assert response.status_code == 400
    assert message in response.content
    assert not Brief.objects.exists()


def test_second_save_updates_the_same_brief(side_a) -> None:
    first = brief_save(campaign=side_a.campaign, must_mentions="A")
    second = brief_save(campaign=side_a.campaign, must_mentions=["B", " ", "C"])
    assert first.pk == second.pk
    assert Brief.objects.get().must_mentions == "B\nC"


def test_campaign_without_a_brief_exports_a_loadable_file(side_a, serum_campaign, login_as, tmp_path) -> None:
    brief_file = save_with_images(brief_yaml(side_a.campaign), tmp_path, login_as(side_a.manager))
    brief = load_brief(brief_file)
    assert brief.product_name == "Hydra Serum"
    assert brief.disclosure_required is True
    assert brief.must_mentions == ()


def test_missing_image_file_is_left_out_of_the_export(side_a, serum_campaign, tmp_path) -> None:
    _campaign, image = serum_campaign
    Path(image.image.path).unlink()
    brief_file = tmp_path / "brief.yaml"
    brief_file.write_text(brief_yaml(side_a.campaign))
    assert load_brief(brief_file).reference_images == ()
    assert "1 reference image is missing from the file store" in brief_file.read_text()


def test_images_in_object_storage_are_copied_only_for_the_review(side_a, settings, tmp_path) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.storages.ObjectStorage"}}
    serum = product_create(workspace=side_a.workspace, name="Hydra Serum")
    product_image_add(product=serum, upload=png())
    campaign_update(campaign=side_a.campaign, name=side_a.campaign.name, products=[serum])

    assert engine_brief_for(side_a.campaign).reference_images == ()
    assert "reference_images:\n- hydra-serum-" in brief_yaml(side_a.campaign)
    with local_engine_brief(side_a.campaign, tmp_path / "scratch") as brief:
        (copy,) = brief.reference_images
        assert Image.open(copy).size == (80, 120)
    assert not copy.exists()


def test_brief_download_names_reference_images_by_file_and_link_not_by_server_path(
    side_a, serum_campaign, login_as, settings
) -> None:
    campaign, image = serum_campaign
    client = login_as(side_a.viewer)
    exported = client.get(f"/campaigns/{campaign.pk}/brief.yaml").content.decode()
    name, link = f"hydra-serum-{image.pk}.png", f"http://testserver/campaigns/products/images/{image.pk}/"
    assert f"#   {name}  {link}\n" in exported
    assert f"reference_images:\n- {name}\n" in exported
    for server_side in (settings.MEDIA_ROOT, image.image.name, str(Path(image.image.path).parent)):
        assert server_side not in exported
    assert client.get(urlsplit(link).path).status_code == 200

    settings.SITE_URL = "https://desk.example.com"
    api = client.get(
        f"/api/campaigns/{campaign.pk}/brief.yaml", HTTP_AUTHORIZATION=f"Bearer {side_a.token}"
    ).content.decode()
    assert f"#   {name}  https://desk.example.com/campaigns/products/images/{image.pk}/\n" in api
    assert settings.MEDIA_ROOT not in api


def test_viewer_reads_the_brief_but_cannot_edit_it(side_a, login_as) -> None:
    brief_save(campaign=side_a.campaign, must_mentions="Vitamin C")
    client = login_as(side_a.viewer)
    assert client.get(f"/campaigns/{side_a.campaign.pk}/brief/").status_code == 403
    response = client.post(f"/campaigns/{side_a.campaign.pk}/brief/", builder_data(must_mentions="Hacked"))
    assert response.status_code == 403
    preview = client.get(f"/campaigns/{side_a.campaign.pk}/brief/preview/")
    assert preview.status_code == 200
    assert b"Vitamin C" in preview.content
    assert f'/campaigns/{side_a.campaign.pk}/brief/"'.encode() not in preview.content
    assert client.get(f"/campaigns/{side_a.campaign.pk}/brief.yaml").status_code == 200
    assert Brief.objects.get().must_mentions == "Vitamin C"


def test_member_of_another_workspace_gets_404_for_brief_pages_and_export(side_a, side_b, login_as) -> None:
    brief_save(campaign=side_a.campaign, must_mentions="A secret claim")
    client = login_as(side_b.manager)
    for method, suffix in [
        ("get", "brief/"),
        ("post", "brief/"),
        ("get", "brief/preview/"),
        ("get", "brief.yaml"),
    ]:
        response = getattr(client, method)(f"/campaigns/{side_a.campaign.pk}/{suffix}", builder_data())
        assert response.status_code == 404, suffix
        assert b"A secret claim" not in response.content
    assert Brief.objects.get().must_mentions == "A secret claim"


@pytest.mark.urls(__name__)
def test_creator_facing_brief_renders_in_german(side_a, serum_campaign) -> None:
    campaign, image = serum_campaign
    brief_save(
        campaign=campaign, language="de", must_mentions="Vitamin C", dos="Tageslicht", banned_terms="billig"
    )
    token = portal_token_for(side_a.creator)
    with translation.override("de"):
        html = render_to_string("campaigns/_brief.html", {"campaign": campaign, "token": token})
    for heading in (
        "Pflichtaussagen",
        "Verbotene Begriffe",
        "Werbekennzeichnung",
        "Sprache der Videos",
        "Deutsch",
    ):
        assert heading in html, heading
    assert "Must-mentions" not in html
    assert "Tageslicht" in html
    assert f"/creators/portal/{token}/products/images/{image.pk}/" in html


def test_creator_facing_brief_says_when_there_is_none_yet(side_a) -> None:
    html = render_to_string("campaigns/_brief.html", {"campaign": side_a.campaign})
    assert "The brief follows soon." in html


def test_preview_follows_the_users_language(side_a, login_as) -> None:
    brief_save(campaign=side_a.campaign, must_mentions="Vitamin C")
    user_set_language(user=side_a.manager, language="de")
    page = login_as(side_a.manager).get(f"/campaigns/{side_a.campaign.pk}/brief/preview/")
    assert "Pflichtaussagen" in page.content.decode()


def test_api_reads_and_writes_the_brief(side_a, serum_campaign, client, login_as, tmp_path) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {side_a.token}"}
    url = f"/api/campaigns/{side_a.campaign.pk}/brief"
    assert client.get(url, **auth).json()["must_mentions"] == []
    payload = {"must_mentions": ["Vitamin C", "", "24h"], "min_duration_s": 10, "language": "en"}
    saved = client.put(url, payload, content_type="application/json", **auth)
    assert saved.status_code == 200
    assert saved.json()["must_mentions"] == ["Vitamin C", "24h"]
    assert client.get(url, **auth).json()["min_duration_s"] == 10

    exported = client.get(url + ".yaml", **auth)
    assert exported["Content-Type"].startswith("application/yaml")
    brief_file = save_with_images(exported.content.decode(), tmp_path, login_as(side_a.manager))
    assert load_brief(brief_file).must_mentions == ("Vitamin C", "24h")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"min_duration_s": 30, "max_duration_s": 10}, "max_duration_s"),
        ({"min_duration_s": 99999999999999999999}, "min_duration_s"),
        ({"example_videos": ["ftp://example.com/v"]}, "example_videos"),
        ({"goal": "nul\x00byte"}, "goal"),
        ({"must_mentions": ["fine", "half an emoji \ud83d"]}, "must_mentions"),
    ],
)
def test_api_answers_a_bad_brief_with_422(payload, field, side_a, client) -> None:
    response = client.put(
        f"/api/campaigns/{side_a.campaign.pk}/brief",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {side_a.token}",
    )
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", field]]
    assert not Brief.objects.exists()


def test_api_refuses_brief_changes_to_a_viewer(side_a, client) -> None:
    _token, raw = api_token_create(workspace=side_a.workspace, user=side_a.viewer, name="viewer")
    response = client.put(
        f"/api/campaigns/{side_a.campaign.pk}/brief",
        {"must_mentions": ["x"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert not Brief.objects.exists()
