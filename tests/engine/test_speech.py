"""Speech: German is heard in German, the language can be fixed, and the brief's names are heard."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from creatordesk.engine.context import ReviewContext
from creatordesk.engine.pipeline import review_video
from creatordesk.engine.rules import DEFAULT_PACKS, check_text, load_packs
from creatordesk.engine.speech_models import BASE_SIZE, join_model, resolve_model
from creatordesk.engine.steps.speech import choose_language
from creatordesk.engine.types import Brief, InputError, TextSpan
from tests.engine.conftest import CLEAN, CLEAN_CAPTION, cli
from tests.engine.media import Clip, render

# espeak-ng's German voice is robotic; Whisper's base model hears these sentences as said. The claim
# "gegen Schmerzen" ends the second sentence, about 1.3 s after it starts.
GERMAN_CLAIM_AT_S = 4.3
GERMAN = Clip(
    duration=7,
    background="color=c=0x335566",
    voice="espeak-de",
    speech=((0.5, "Hallo zusammen."), (3.0, "Wirkt sofort gegen Schmerzen.")),
)
COMPETITOR_AT_S = 0.5
BRAND_NAMES = Clip(
    duration=8,
    background="color=c=0x553366",
    voice="piper-en",
    speech=(
        (COMPETITOR_AT_S, "I switched from CeraVe to this serum last month."),
        (4.0, "Three drops of Lumiva Hydra Serum every morning."),
    ),
)
COMPETITOR_BRIEF = Brief(
    product_name="Lumiva Hydra Serum",
    must_mentions=("Lumiva Hydra Serum",),
    competitors=("CeraVe", "The Ordinary", "Nivea", "La Roche-Posay"),
    banned_terms=("billig", "Anti-Aging"),
    language="en",
    disclosure_required=False,
)


@pytest.fixture(scope="module")
def german_clip() -> Path:
    return render(GERMAN, "german-speech")


@pytest.fixture(scope="module")
def german_json(german_clip: Path) -> dict[str, Any]:
    done = cli(str(german_clip), "--format", "json", "--caption", "Werbung | Mein Alltag")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.media
def test_german_speech_is_heard_in_german_without_any_configuration(german_json: dict[str, Any]) -> None:
    assert german_json["language"] == "de"
    assert {span["lang"] for span in german_json["transcript"]} == {"de"}
    said = " ".join(span["text"] for span in german_json["transcript"]).lower()
    assert "wirkt sofort gegen schmerzen" in said


@pytest.mark.media
def test_a_german_claim_said_aloud_is_found_in_speech_at_its_moment(german_json: dict[str, Any]) -> None:
    [claim] = [f for f in german_json["findings"] if f["category"] == "medical_claim"]
    assert claim["source"] == "speech"
    assert abs(claim["start_s"] - GERMAN_CLAIM_AT_S) <= 1.0
    assert "Akne" not in claim["explanation"]  # the German explanation, not a made-up one
    assert claim["explanation"].startswith("Hier wird")


@pytest.mark.media
def test_the_language_option_fixes_the_spoken_language(german_clip: Path) -> None:
    done = cli(str(german_clip), "--format", "json", "--language", "en", "--packs", "tiktok-shop")
    assert done.returncode == 0, done.stderr
    assert {span["lang"] for span in json.loads(done.stdout)["transcript"]} == {"en"}


def test_an_unknown_language_is_refused_in_one_line(plain_clip: Path) -> None:
    done = cli(str(plain_clip), "--language", "fr")
    assert done.returncode == 2
    assert "--language" in done.stderr and "\n" not in done.stderr.strip()


def test_the_brief_language_breaks_a_near_tie_between_german_and_english() -> None:
    close = [("en", 0.34), ("de", 0.3), ("nl", 0.2)]
    assert choose_language(close, hint="de") == "de"
    assert choose_language(close, hint="en") == "en"
    # A clear lead is not overruled by the brief.
    assert choose_language([("en", 0.7), ("de", 0.1)], hint="de") == "en"


def test_a_language_the_rules_do_not_speak_needs_a_sure_detection() -> None:
    # Robotic or accented German is often scored as some third language with low confidence.
    assert choose_language([("la", 0.3), ("de", 0.2), ("en", 0.1)], hint=None) == "de"
    assert choose_language([("fr", 0.9), ("de", 0.05)], hint="de") == "fr"


@pytest.mark.media
def test_brief_names_are_heard_and_give_their_brief_findings() -> None:
    clip = render(BRAND_NAMES, "brand-names")
    result = review_video(clip, ctx=ReviewContext(), brief=COMPETITOR_BRIEF, packs=[])
    said = " ".join(span.text for span in result.transcript)
    assert "CeraVe" in said and "Lumiva Hydra Serum" in said
    [competitor] = [f for f in result.findings if f.category == "competitor_mention"]
    assert (competitor.source, competitor.severity, competitor.confidence) == ("speech", "block", "full")
    assert abs(competitor.start_s - COMPETITOR_AT_S) <= 1.5
    assert not [f for f in result.findings if f.category == "must_mention_missing"]


def test_a_competitor_only_heard_approximately_is_a_possible_finding_not_a_block() -> None:
    heard = [TextSpan(1.0, 4.0, "I switched from CERA V to the serum last month.", "speech", "en")]
    findings = check_text(heard, packs=[], brief=COMPETITOR_BRIEF, duration_s=5.0)
    [finding] = [f for f in findings if f.category == "competitor_mention"]
    assert (finding.category, finding.severity, finding.confidence) == (
        "competitor_mention",
        "warn",
        "possible",
    )
    assert finding.evidence == "CERA V"
    assert "CeraVe" in finding.explanation


def test_a_must_mention_heard_as_other_words_still_counts() -> None:
    heard = [TextSpan(1.0, 4.0, "Three drops of Luma of a Hydra Serum every morning.", "speech", "en")]
    findings = check_text(heard, packs=[], brief=COMPETITOR_BRIEF, duration_s=5.0)
    assert not [f for f in findings if f.category == "must_mention_missing"]


def test_everyday_words_near_a_brand_are_not_possible_findings() -> None:
    heard = [
        TextSpan(0.0, 2.0, "Nie wieder ohne, das ist nicht ordinary.", "speech", "de"),
        TextSpan(2.0, 4.0, "It is out of the ordinary, just ordinary skin care.", "speech", "en"),
    ]
    brief = replace(COMPETITOR_BRIEF, must_mentions=())
    assert check_text(heard, packs=load_packs(DEFAULT_PACKS), brief=brief, duration_s=5.0) == []


@pytest.mark.media
def test_clean_look_alikes_stay_clean_with_a_brief_full_of_brand_names() -> None:
    brief = Brief(
        must_mentions=("dryness",),
        competitors=COMPETITOR_BRIEF.competitors,
        banned_terms=COMPETITOR_BRIEF.banned_terms,
        language="en",
    )
    result = review_video(render(CLEAN, "clean"), ctx=ReviewContext(), brief=brief, caption=CLEAN_CAPTION)
    assert result.verdict == "clean", [f.as_dict() for f in result.findings]
    assert not [f for f in result.findings if f.confidence == "possible"]


def test_the_default_model_is_joined_from_its_packages_and_checked() -> None:
    model = Path(resolve_model(ReviewContext().whisper_model))
    assert (model / "model.bin").stat().st_size == BASE_SIZE
    assert {p.name for p in model.iterdir()} >= {"config.json", "tokenizer.json", "vocabulary.txt"}


def test_model_parts_that_do_not_add_up_are_refused_and_leave_nothing(tmp_path: Path) -> None:
    first, second = tmp_path / "part1", tmp_path / "part2"
    first.mkdir()
    second.mkdir()
    (first / "model.bin.part1").write_bytes(b"half of a model")
    (second / "model.bin.part2").write_bytes(b"another half, damaged")
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (first / name).write_text("{}")
    target = tmp_path / "models" / "joined"
    with pytest.raises(InputError, match="reinstall"):
        join_model([first, second], target, sha256="0" * 64, size=36)
    assert not target.exists() and list((tmp_path / "models").iterdir()) == []

    expected = hashlib.sha256(b"half of a modelanother half, damaged").hexdigest()
    join_model([first, second], target, sha256=expected, size=36)
    assert (target / "model.bin").read_bytes() == b"half of a modelanother half, damaged"
