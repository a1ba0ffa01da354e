"""Uploading, checking, reviewing and downloading campaign images, with real files and real exiftool."""

from __future__ import annotations

import io
import re
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from creatordesk.engine.tools import exiftool
from creatordesk.visuals import services
from creatordesk.visuals.models import AssetStatus, BrandReference, VisualAsset, VisualCheck
from creatordesk.visuals.tasks import visuals_check_asset

SD_PARAMETERS = "a glass serum bottle on wet stone, golden hour\nNegative prompt: blurry\nSteps: 30, Sampler: DPM++ 2M, CFG scale: 7, Seed: 1234, Size: 1024x1024, Model: sdxl_base"


def _photo(width: int = 1080, height: int = 1350, seed: int = 3) -> Image.Image:
    generator = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([(x * 255 // width), (y * 255 // height), ((x + y) * 127 // (width + height))], axis=-1)
    noise = generator.normal(0, 12, size=(height, width, 3))
    return Image.fromarray(np.clip(base + noise, 0, 255).astype("uint8"))


def _png_bytes(image: Image.Image, parameters: str = "") -> bytes:
    info = PngImagePlugin.PngInfo()
    if parameters:
        info.add_text("parameters", parameters)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def _jpeg_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _upload(content: bytes, name: str = "serum.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _bomb_png(side: int = 30_000) -> bytes:
    """A valid PNG header claiming side x side pixels, with a few compressed bytes of data."""
    raw = zlib.compress(b"\x00" * (side + 1) * 4, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"just some text, not an image\n" * 20, "not an image"),
        (_jpeg_bytes(_photo(400, 400))[:3000], "broken or truncated"),
        (_bomb_png(), "decompression bomb"),
    ],
    ids=["empty", "text", "truncated", "bomb"],
)
def test_hostile_uploads_are_refused_and_nothing_is_stored(
    side_a, content, message, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with pytest.raises(Exception) as refused:
        services.asset_create(
            workspace=side_a.workspace, actor=side_a.manager, upload=_upload(content), title="x"
        )
    assert message in " ".join(getattr(refused.value, "messages", [str(refused.value)]))
    assert not VisualAsset.objects.exists() and not VisualCheck.objects.exists()
    assert not list((tmp_path / "media").rglob("*.*"))


def test_an_upload_is_checked_in_the_background_and_reviewed_through_the_campaign_stages(
    side_a, login_as, django_capture_on_commit_callbacks, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = login_as(side_a.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/visuals/upload/",
            {"file": _upload(_png_bytes(_photo(), SD_PARAMETERS)), "title": "Serum key visual",
             "campaign": side_a.campaign.pk, "is_ad": "on", "uses": ["instagram_feed"], "realistic_product": "on"},
        )  # fmt: skip
    asset = VisualAsset.objects.get()
    assert response.status_code == 302 and asset.status == AssetStatus.CHECKING
    check = asset.checks.get()
    assert visuals_check_asset.call(check_id=check.pk) == "done"
    check.refresh_from_db()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_REVIEW
    report = check.report or {}
    assert report["schema"] == "creatordesk.visual/1"
    assert report["provenance"]["generator"] == "a1111" and report["provenance"]["ai_signal"] == "generated"
    assert {d["channel"] for d in report["label_decisions"]} == {"tiktok", "meta", "web"}
    page = client.get(f"/visuals/{asset.pk}/").content.decode()
    assert 'data-testid="label-channel"' in page and 'data-required="yes"' in page

    reviewer = login_as(side_a.reviewer)
    reviewer.post(f"/visuals/{asset.pk}/decide/", {"stage": "Review", "outcome": "rejected"})
    asset.refresh_from_db()
    assert asset.status == AssetStatus.REJECTED
    assert BrandReference.objects.filter(workspace=side_a.workspace, kind="rejected").count() == 1


def test_a_viewer_may_look_but_not_decide(side_a, login_as, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    asset = services.asset_create(
        workspace=side_a.workspace,
        actor=side_a.manager,
        upload=_upload(_png_bytes(_photo(300, 300))),
        title="x",
    )
    viewer = login_as(side_a.viewer)
    assert viewer.get(f"/visuals/{asset.pk}/").status_code == 200
    assert (
        viewer.post(f"/visuals/{asset.pk}/decide/", {"stage": "Review", "outcome": "approved"}).status_code
        == 403
    )
    assert viewer.post("/visuals/upload/", {"file": _upload(_png_bytes(_photo(300, 300)))}).status_code == 403


def test_another_workspaces_image_looks_missing(side_a, side_b, login_as, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    asset = services.asset_create(
        workspace=side_b.workspace,
        actor=side_b.manager,
        upload=_upload(_png_bytes(_photo(300, 300))),
        title="B secret",
    )
    client = login_as(side_a.owner)
    for path in ("", "image/", "download/", "progress/"):
        response = client.get(f"/visuals/{asset.pk}/{path}")
        assert response.status_code == 404 and b"B secret" not in response.content, path


def test_a_download_carries_the_declared_source_type_read_back_by_exiftool(
    side_a, login_as, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with django_capture_on_commit_callbacks(execute=True):
        asset = services.asset_create(
            workspace=side_a.workspace, actor=side_a.manager, upload=_upload(_jpeg_bytes(_photo()), "shot.jpg"),
            title="Shot", declared="generated",
        )  # fmt: skip
    visuals_check_asset.call(check_id=asset.checks.get().pk)
    response = login_as(side_a.manager).get(f"/visuals/{asset.pk}/download/")
    assert response.status_code == 200 and response["X-Digital-Source-Type"] == "trainedAlgorithmicMedia"
    assert re.search(r'filename="shot\.jpg"', response["Content-Disposition"])
    downloaded = tmp_path / "downloaded.jpg"
    downloaded.write_bytes(response.content)
    assert exiftool.read_digital_source_type(downloaded) == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    )
    # The stored original is left as it came.
    with asset.file.open("rb") as handle:
        stored = Path(tmp_path / "stored.jpg")
        stored.write_bytes(handle.read())
    assert exiftool.read_digital_source_type(stored) == ""
    assert subprocess.run(["exiftool", "-ver"], capture_output=True).returncode == 0
