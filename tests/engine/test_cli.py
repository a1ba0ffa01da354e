"""The `creatordesk review` command as users and other programs call it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from creatordesk.engine.schema import review_schema
from creatordesk.engine.types import CATEGORIES
from tests.engine.conftest import REPO, cli

SCHEMA = review_schema()


@pytest.mark.media
def test_json_output_follows_the_published_schema(violations_json: dict[str, Any]) -> None:
    jsonschema.validate(violations_json, SCHEMA)


def test_schema_lists_exactly_the_engine_categories() -> None:
    listed = SCHEMA["$defs"]["finding"]["properties"]["category"]["enum"]
    assert tuple(listed) == CATEGORIES


@pytest.mark.media
def test_json_reports_media_timings_and_default_packs(violations_json: dict[str, Any]) -> None:
    media = violations_json["media"]
    assert (media["width"], media["height"], media["has_audio"]) == (720, 1280, True)
    assert abs(media["duration_s"] - 10.0) < 0.1
    assert violations_json["packs"] == ["tiktok-shop", "de-law"]
    for step in ("probe", "speech", "frames", "onscreen_text", "visual", "rules", "fit", "total"):
        assert step in violations_json["timings"]


@pytest.mark.media
def test_fit_parts_add_up_to_the_score(violations_json: dict[str, Any]) -> None:
    fit = violations_json["fit"]
    assert sum(part["points"] for part in fit["parts"]) == fit["score"]
    assert sum(part["max"] for part in fit["parts"]) == 100


@pytest.mark.media
def test_text_report_shows_verdict_and_findings_with_mm_ss_times(violations_clip: Path) -> None:
    done = cli(str(violations_clip), "--packs", "tiktok-shop", "--report-language", "en")
    assert done.returncode == 0, done.stderr
    assert "Verdict: BLOCK" in done.stdout
    assert "00:03-00:06 off_platform (onscreen, full match)" in done.stdout
    assert "Evidence: Link in Bio" in done.stdout


@pytest.mark.media
def test_html_report_is_one_self_contained_page_next_to_the_video(
    violations_clip: Path, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    done = cli(str(violations_clip), "--format", "html", "--output", str(page))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    html = page.read_text()
    assert "<video" in html and "off_platform" in html and "Link in Bio" in html
    assert "http://" not in html and "https://" not in html  # nothing fetched from elsewhere
    video_src = html.split('<video id="video" controls preload="metadata" src="')[1].split('"')[0]
    assert (page.parent / video_src).resolve() == violations_clip.resolve()


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, violations_clip: Path) -> dict[str, Path]:
    """Files an upload form will receive sooner or later."""
    folder = tmp_path_factory.mktemp("hostile")
    text = folder / "notes.mp4"
    text.write_text("These are my notes for the shoot, not a video.\n")
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    data = violations_clip.read_bytes()
    truncated = folder / "truncated.mp4"
    truncated.write_bytes(data[: len(data) // 3])
    fast_start = folder / "faststart.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(violations_clip), "-c", "copy", "-movflags", "+faststart",
         str(fast_start)],
        check=True,
    )  # fmt: skip
    fast_start_cut = folder / "faststart-cut.mp4"
    fast_start_cut.write_bytes(fast_start.read_bytes()[: len(data) // 2])
    audio = folder / "voice.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", str(audio)],
        check=True,
    )
    huge = folder / "strip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=red:s=10000x16:d=1", "-c:v", "libx264",
         "-pix_fmt", "yuv420p", str(huge)],
        check=True,
    )  # fmt: skip
    return {
        "text": text,
        "empty": empty,
        "truncated": truncated,
        "faststart-cut": fast_start_cut,
        "audio": audio,
        "huge": huge,
    }


@pytest.mark.media
@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("text", "not a video"),
        ("empty", "empty"),
        ("truncated", "not a readable video"),
        ("faststart-cut", "truncated"),
        ("audio", "audio only"),
        ("huge", "10000x16"),
    ],
)
def test_unusable_upload_is_rejected_with_one_line(hostile: dict[str, Path], kind: str, message: str) -> None:
    line = _one_line_error(cli(str(hostile[kind]), "--format", "json"))
    assert line.startswith("creatordesk review: error: ")
    assert message in line


def test_missing_file_is_rejected_with_one_line(tmp_path: Path) -> None:
    line = _one_line_error(cli(str(tmp_path / "nowhere.mp4")))
    assert "no such file" in line


@pytest.fixture
def some_file(tmp_path: Path) -> Path:
    """Stands in for the video where the command refuses the options before it looks at the file."""
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"\x00" * 64)
    return path


def test_unknown_format_is_rejected_with_one_line(some_file: Path) -> None:
    line = _one_line_error(cli(str(some_file), "--format", "pdf"))
    assert "--format" in line


def test_unknown_pack_is_rejected_with_one_line(some_file: Path) -> None:
    line = _one_line_error(cli(str(some_file), "--packs", "tiktok-shop,no-such-pack"))
    assert "no-such-pack" in line


def test_broken_brief_is_rejected_with_one_line(some_file: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text("must_mentions: [unclosed\n")
    line = _one_line_error(cli(str(some_file), "--brief", str(brief)))
    assert "brief.yaml" in line


def test_review_command_and_the_whole_engine_never_import_django() -> None:
    # The engine is framework-free: importing every module of it (and the command) loads no Django.
    script = (
        "import pkgutil, sys, importlib, creatordesk.engine, creatordesk.cli\n"
        "for m in pkgutil.walk_packages(creatordesk.engine.__path__, 'creatordesk.engine.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "[]"
