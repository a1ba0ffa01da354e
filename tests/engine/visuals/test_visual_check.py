"""`creatordesk visual-check` end to end: every step on real images built here, the JSON schema, and
hostile files that end with one line and exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import jsonschema
import pytest
import yaml
from PIL import Image, ImageDraw, ImageFont

from creatordesk.engine.schema import visual_schema
from creatordesk.engine.visuals.brief import load_visual_brief
from creatordesk.engine.visuals.check import check_image
from tests.engine.visuals.brand_images import BRAND_RED, INK, WHITE, edited_copy, off_palette_image

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _ad(path: Path, headline: str = "Glow Serum", size: tuple[int, int] = (1080, 1350)) -> Path:
    """An on-brand feed ad: white, a brand-red block, the product name large and dark body text."""
    width, height = size
    image = Image.new("RGB", size, WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, int(height * 0.42)), fill=BRAND_RED)
    draw.text((70, 180), headline, font=ImageFont.truetype(FONT, 120), fill=WHITE)
    draw.text(
        (70, int(height * 0.5)), "Die Pflege für jeden Tag", font=ImageFont.truetype(FONT, 64), fill=INK
    )
    draw.rounded_rectangle((70, height - 260, 560, height - 130), radius=24, fill=BRAND_RED)
    draw.text((110, height - 232), "Jetzt kaufen", font=ImageFont.truetype(FONT, 56), fill=WHITE)
    image.save(path)
    return path


def _brief(tmp_path: Path, **extra: object) -> Path:
    data = {
        "is_ad": True,
        "declared": "none",
        "realistic_person": False,
        "uses": ["instagram_feed"],
        "expected_text": ["Glow Serum"],
        "brand_colours": [
            {"name": "Rot", "hex": BRAND_RED},
            {"name": "Weiß", "hex": WHITE},
            {"name": "Tinte", "hex": INK},
        ],
        **extra,
    }
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "creatordesk.cli", "visual-check", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **(env or {})},
    )


def test_a_clean_on_brand_image_gets_no_finding_and_its_json_follows_the_schema(tmp_path: Path) -> None:
    image = _ad(tmp_path / "ad.png")
    done = _cli(str(image), "--brief", str(_brief(tmp_path)), "--channel", "meta", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    jsonschema.validate(report, visual_schema())
    assert report["findings"] == [], report["findings"]
    assert "failed" not in {s["status"] for s in report["steps"]}
    assert report["brand"]["brand_share"] >= 0.15
    assert [d["required"] for d in report["label_decisions"]] and not any(
        d["required"] for d in report["label_decisions"]
    )


def test_misspelt_packaging_text_is_caught_where_it_is(tmp_path: Path) -> None:
    image = _ad(tmp_path / "ad.png", headline="Glow Serun")
    report = check_image(image, brief=load_visual_brief(_brief(tmp_path)), channels=["meta"]).as_dict()
    (finding,) = [f for f in report["findings"] if f["rule"] == "quality.text_misspelt"]
    assert "Glow Serum" in finding["evidence"] and finding["severity"] == "block"
    assert finding["region"] is not None and finding["region"]["y"] < 0.42  # in the red headline block


def test_an_off_palette_image_is_caught(tmp_path: Path) -> None:
    image = off_palette_image(tmp_path / "forest.png")
    brief = load_visual_brief(_brief(tmp_path, uses=[], expected_text=[]))
    rules = {f["rule"] for f in check_image(image, brief=brief, channels=["web"]).as_dict()["findings"]}
    assert "brand.off_palette" in rules


def test_a_near_duplicate_of_a_rejected_image_is_caught(tmp_path: Path) -> None:
    rejected = _ad(tmp_path / "rejected.png", headline="Alter Claim")
    resubmitted = edited_copy(rejected, tmp_path / "again.jpg")
    brief = load_visual_brief(_brief(tmp_path, rejected_images=["rejected.png"], expected_text=[], uses=[]))
    rules = {f["rule"] for f in check_image(resubmitted, brief=brief, channels=["web"]).as_dict()["findings"]}
    assert "brand.near_duplicate_rejected" in rules


def _bomb_png(side: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "content", "env", "says"),
    [
        ("empty.png", b"", {}, "empty"),
        ("notes.png", b"these are notes, not pixels\n" * 30, {}, "not an image"),
        ("cut.png", None, {}, "broken or truncated"),
        ("bomb.png", _bomb_png(12_000), {}, "decompression bomb"),
        ("large.png", _bomb_png(8_000), {}, "pixel limit"),
        ("big.png", None, {"CREATORDESK_VISUAL_MAX_BYTES": "2000"}, "limit"),
    ],
    ids=["empty", "not-an-image", "truncated", "decompression-bomb", "over-pixel-limit", "over-size-limit"],
)
def test_hostile_files_end_with_one_line_and_exit_status_2(
    tmp_path: Path, name: str, content: bytes | None, env: dict[str, str], says: str
) -> None:
    path = tmp_path / name
    if content is None:
        whole = _ad(tmp_path / "whole.png", size=(400, 500)).read_bytes()
        content = whole[: len(whole) // 2] if name == "cut.png" else whole
    path.write_bytes(content)
    done = _cli(str(path), "--format", "json", env=env)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("creatordesk visual-check: error:") and says in lines[0]


def test_a_bad_brief_or_channel_is_one_line_too(tmp_path: Path) -> None:
    image = _ad(tmp_path / "ad.png", size=(400, 500))
    bad = tmp_path / "bad.yaml"
    bad.write_text("brand_colours: [{name: Rot, hex: red}]\n")
    for args in ((str(image), "--brief", str(bad)), (str(image), "--channel", "myspace")):
        done = _cli(*args)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
