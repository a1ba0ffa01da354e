"""Ad disclosure: a German label early on screen, spoken at the start or in the first caption line."""

from __future__ import annotations

from creatordesk.engine.rules import Pack, check_text
from creatordesk.engine.types import Brief, Finding, TextSpan

from .conftest import caption, onscreen, speech

PAID = Brief(disclosure_required=True, language="de")


def disclosure(spans: list[TextSpan], packs: list[Pack], brief: Brief = PAID) -> list[Finding]:
    found = check_text(spans, packs=packs, brief=brief, duration_s=30.0)
    return [f for f in found if f.category in ("disclosure_missing", "disclosure_weak")]


def test_werbung_on_screen_in_the_first_seconds_is_enough(packs: list[Pack]) -> None:
    assert disclosure([onscreen(0.5, 4.0, "WERBUNG")], packs) == []


def test_werbung_on_screen_only_late_in_the_video_is_missing_disclosure(packs: list[Pack]) -> None:
    [finding] = disclosure([onscreen(12.0, 15.0, "Werbung")], packs)
    assert (finding.category, finding.severity, finding.rule) == (
        "disclosure_missing",
        "block",
        "de.disclosure.late",
    )
    assert finding.start_s == 12.0
    assert "too late" in finding.explanation or "zu spät" in finding.explanation


def test_no_label_anywhere_is_a_blocking_missing_disclosure_at_the_start(packs: list[Pack]) -> None:
    [finding] = disclosure([caption("Meine neue Abendroutine")], packs)
    assert (finding.category, finding.severity) == ("disclosure_missing", "block")
    assert (finding.start_s, finding.end_s) == (0.0, 3.0)
    assert "Werbung" in finding.explanation


def test_hashtag_werbung_in_the_first_caption_line_is_enough(packs: list[Pack]) -> None:
    assert disclosure([caption("#werbung Meine neue Abendroutine ✨\n#skincare")], packs) == []


def test_label_only_in_a_later_caption_line_is_too_late(packs: list[Pack]) -> None:
    [finding] = disclosure([caption("Meine neue Abendroutine ✨\n\n#skincare #werbung")], packs)
    assert finding.category == "disclosure_missing"
    assert finding.evidence == "#werbung"


def test_werbung_spoken_at_the_very_start_counts(packs: list[Pack]) -> None:
    assert disclosure([speech(0.2, 6.0, "Werbung! Heute zeige ich euch meine Routine.")], packs) == []


def test_werbung_spoken_only_at_the_end_does_not_count(packs: list[Pack]) -> None:
    [finding] = disclosure([speech(20.0, 25.0, "Das Video ist übrigens Werbung.")], packs)
    assert finding.category == "disclosure_missing"


def test_hashtag_ad_alone_is_a_weak_label_warning(packs: list[Pack]) -> None:
    [finding] = disclosure([caption("#ad Meine neue Abendroutine")], packs)
    assert (finding.category, finding.severity, finding.source) == ("disclosure_weak", "warn", "caption")
    assert finding.evidence == "#ad"


def test_in_kooperation_mit_is_a_weak_label(packs: list[Pack]) -> None:
    [finding] = disclosure([onscreen(0.0, 3.0, "In Kooperation mit @lumiva")], packs)
    assert finding.category == "disclosure_weak"


def test_a_proper_label_outweighs_weak_ones_next_to_it(packs: list[Pack]) -> None:
    assert disclosure([caption("Anzeige | In Kooperation mit @lumiva #ad")], packs) == []


def test_bezahlte_partnerschaft_counts_as_a_label(packs: list[Pack]) -> None:
    assert disclosure([caption("Bezahlte Partnerschaft mit Lumiva")], packs) == []


def test_denying_the_ad_is_not_a_label(packs: list[Pack]) -> None:
    [finding] = disclosure([caption("Das ist keine Werbung, ich liebe es einfach")], packs)
    assert finding.category == "disclosure_missing"


def test_unbezahlte_werbung_in_a_paid_video_is_a_weak_label(packs: list[Pack]) -> None:
    [finding] = disclosure([caption("Unbezahlte Werbung, selbst gekauft")], packs)
    assert finding.category == "disclosure_weak"


def test_hashtag_words_starting_with_ad_are_no_label(packs: list[Pack]) -> None:
    [finding] = disclosure([caption("#adventskalender Tür 3")], packs)
    assert finding.category == "disclosure_missing"


def test_no_disclosure_check_when_the_brief_does_not_require_it(packs: list[Pack]) -> None:
    assert disclosure([caption("Meine neue Abendroutine")], packs, Brief(disclosure_required=False)) == []


def test_missing_disclosure_is_explained_in_the_brief_language(packs: list[Pack]) -> None:
    [finding] = disclosure(
        [caption("My routine", "en")], packs, Brief(disclosure_required=True, language="en")
    )
    assert finding.explanation.startswith("This is a paid collaboration")
