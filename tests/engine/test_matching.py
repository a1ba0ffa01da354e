"""Posted-as-approved: real clips made with ffmpeg, fingerprinted and compared as a reviewer would.

The approved clip is 16 s of four moving scenes (0-4, 4-8, 8-12, 12-16 s) with a spoken track. Every
posted version is re-encoded at 720x1280, CRF 35, 25 fps, with the top 8 % cropped away, a caption
bar over the bottom 15 % and music 12 dB under the voice, unless a test says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from creatordesk.engine.matching import (
    MatchResult,
    PrintFormatError,
    UnreadableVideoError,
    VideoPrint,
    compare,
    fingerprint_video,
)
from tests.engine.matching_clips import APPROVED, OTHER, Posted, render_posted, render_source

pytestmark = pytest.mark.media

WHOLE = ((0.0, 16.0),)
POSTS = {
    "reencoded": (APPROVED, Posted(parts=WHOLE)),
    "late-start": (APPROVED, Posted(parts=((0.5, 16.0),))),
    "without-6-9": (APPROVED, Posted(parts=((0.0, 6.0), (9.0, 16.0)))),
    "reordered": (APPROVED, Posted(parts=((0.0, 4.0), (8.0, 12.0), (4.0, 8.0), (12.0, 16.0)))),
    "replaced-4-8": (APPROVED, Posted(parts=((0.0, 4.0), (4.0, 8.0), (8.0, 16.0)), from_other=(1,))),
    "with-intro": (APPROVED, Posted(parts=((0.0, 2.0), (0.0, 16.0)), from_other=(0,))),
    "music-only": (APPROVED, Posted(parts=WHOLE, sound="music")),
    "unrelated": (OTHER, Posted(parts=((0.0, 12.0),))),
}


@pytest.fixture(scope="module")
def approved() -> VideoPrint:
    return fingerprint_video(render_source(APPROVED, "approved"))


@pytest.fixture(scope="module")
def posted(approved: VideoPrint) -> Callable[[str], MatchResult]:
    """Compare the approved print with a posted version from POSTS, fingerprinting each once."""
    results: dict[str, MatchResult] = {}

    def result(name: str) -> MatchResult:
        if name not in results:
            source, recipe = POSTS[name]
            clip = render_posted(source, recipe, "approved" if source is APPROVED else "other")
            results[name] = compare(approved, fingerprint_video(clip))
        return results[name]

    return result


def _near(ranges: tuple[tuple[float, float], ...], expected: tuple[float, float], slack: float = 0.5) -> bool:
    return any(abs(a - expected[0]) <= slack and abs(b - expected[1]) <= slack for a, b in ranges)


def test_a_reencoded_copy_with_music_and_a_caption_bar_counts_as_the_approved_cut(
    posted: Callable[[str], MatchResult],
) -> None:
    result = posted("reencoded")
    assert result.verdict == "same", result.reason
    assert result.video_similarity >= 0.95
    assert result.audio_similarity is not None and result.audio_similarity >= 0.4
    assert not result.audio_replaced
    assert (result.missing, result.changed, result.extra) == ((), (), ())
    assert abs(result.offset_s) <= 0.1
    assert result.reason.startswith("The posted video shows the approved cut")


def test_a_post_that_starts_half_a_second_late_is_the_same_cut_at_its_offset(
    posted: Callable[[str], MatchResult],
) -> None:
    result = posted("late-start")
    assert result.verdict == "same", result.reason
    assert result.offset_s == pytest.approx(-0.5, abs=0.1)
    assert not result.audio_replaced
    assert result.missing == ()


def test_a_cut_without_three_seconds_of_the_middle_names_the_missing_range(
    posted: Callable[[str], MatchResult],
) -> None:
    result = posted("without-6-9")
    assert result.verdict == "different_cut"
    assert len(result.missing) == 1 and _near(result.missing, (6.0, 9.0)), result.missing
    assert result.changed == () and result.extra == ()
    assert 0.7 <= result.video_similarity <= 0.9
    assert "missing from the approved video: 6.0-9.0 s" in result.reason


def test_reordered_scenes_make_a_different_cut_with_the_moved_scene_changed(
    posted: Callable[[str], MatchResult],
) -> None:
    result = posted("reordered")
    assert result.verdict == "different_cut"
    # One of the two swapped scenes is found in order, the other one moved.
    assert _near(result.changed, (8.0, 12.0)) or _near(result.changed, (4.0, 8.0)), result.changed
    assert result.missing == ()
    assert "moved" in result.reason


def test_a_scene_replaced_by_other_footage_is_changed_and_the_new_footage_extra(
    posted: Callable[[str], MatchResult],
) -> None:
    result = posted("replaced-4-8")
    assert result.verdict == "different_cut"
    assert _near(result.changed, (4.0, 8.0)), result.changed
    assert _near(result.extra, (4.0, 8.0)), result.extra
    assert result.missing == ()


def test_an_added_intro_is_found_at_its_offset_and_reported_as_extra(
    posted: Callable[[str], MatchResult],
) -> None:
    result = posted("with-intro")
    assert result.offset_s == pytest.approx(2.0, abs=0.1)
    assert result.verdict == "different_cut"
    assert _near(result.extra, (0.0, 2.0)), result.extra
    assert result.missing == () and result.changed == ()
    assert result.video_similarity >= 0.95


def test_an_unrelated_video_is_a_different_video(posted: Callable[[str], MatchResult]) -> None:
    result = posted("unrelated")
    assert result.verdict == "different_video"
    assert result.video_similarity <= 0.1
    assert result.audio_similarity is not None and result.audio_similarity <= 0.05
    assert not result.audio_replaced
    assert result.reason.startswith("A different video")


def test_music_instead_of_the_voice_keeps_the_cut_and_flags_the_sound(
    posted: Callable[[str], MatchResult],
) -> None:
    result = posted("music-only")
    assert result.verdict == "same", result.reason
    assert result.audio_replaced
    assert result.audio_similarity is not None and result.audio_similarity <= 0.1
    assert "sound is not the approved one" in result.reason


def test_a_print_stored_as_json_compares_like_the_original(approved: VideoPrint) -> None:
    clip = render_posted(*POSTS["without-6-9"], "approved")
    posted_print = fingerprint_video(clip)
    stored = VideoPrint.from_json(approved.to_json())
    assert stored.to_json() == approved.to_json()
    assert compare(stored, VideoPrint.from_json(posted_print.to_json())) == compare(approved, posted_print)
    # Small enough for a database column: well under 1 kB a second.
    assert len(approved.to_json()) < 16 * 1000


def test_a_broken_stored_print_raises_a_clear_error(approved: VideoPrint) -> None:
    with pytest.raises(PrintFormatError, match=re.escape("not a creatordesk.videoprint/1")):
        VideoPrint.from_json('{"schema": "something else"}')
    truncated = approved.to_json().replace('"frames":"', '"frames":"!', 1)
    with pytest.raises(PrintFormatError, match="broken video print"):
        VideoPrint.from_json(truncated)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"This is a caption draft, not a video.\n", "not a video")],
    ids=["empty", "text"],
)
def test_a_file_that_is_not_a_video_raises_a_clear_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "upload.mp4"
    path.write_bytes(content)
    with pytest.raises(UnreadableVideoError, match=message) as raised:
        fingerprint_video(path, timeout_s=30)
    assert isinstance(raised.value, ValueError)
    assert "upload.mp4" in str(raised.value)
