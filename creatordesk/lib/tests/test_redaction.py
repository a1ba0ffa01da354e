"""Redaction of a person's identifiers from free text and JSON."""

from __future__ import annotations

from creatordesk.lib.redaction import Identity

ANNA = Identity.of("Anna Berg", "anna@berg.example", "@Anna.Berg", "ab", placeholder="Erased creator #7")
LEA = Identity.of("Lea", "lea@example.com", "lea", placeholder="Erased creator #5")


def test_every_identifier_is_replaced_whatever_its_case_and_with_its_at_sign() -> None:
    text = "ANNA BERG (@anna.berg, Anna@Berg.example) uploaded v2"
    assert ANNA.redact(text) == "Erased creator #7 (Erased creator #7, Erased creator #7) uploaded v2"
    assert not ANNA.found_in(ANNA.redact(text))


def test_the_longest_identifier_wins_so_an_email_is_not_split_by_a_handle() -> None:
    person = Identity.of("berg", "berg@shop.example", placeholder="X")
    assert person.redact("write to berg@shop.example") == "write to X"


def test_identifiers_too_short_to_be_safe_are_not_searched_for() -> None:
    assert ANNA.redact("a tab and a grab") == "a tab and a grab"


def test_a_short_name_is_replaced_only_where_it_stands_as_a_word_of_its_own() -> None:
    text = "Please clear the lead time, Lea. Ask LEA, then @lea; Leandra and Aleah stay."
    assert LEA.redact(text) == (
        "Please clear the lead time, Erased creator #5. Ask Erased creator #5, then Erased creator #5; "
        "Leandra and Aleah stay."
    )
    assert not LEA.found_in("Please clear the lead time, Leandra.")


def test_other_peoples_addresses_links_and_file_names_keep_the_handle_they_contain() -> None:
    text = "cc lea.berg@brand.example, lea-marie, x.lea, https://hooks.example/lea.json, lea_final.mp4"
    assert LEA.redact(text) == text
    assert LEA.redact("write to lea@example.com.") == "write to Erased creator #5."


def test_word_boundaries_know_letters_beyond_ascii() -> None:
    lea = Identity.of("Léa", placeholder="X")
    assert lea.redact("Léa, Léanne, éLéa") == "X, Léanne, éLéa"


def test_a_placeholder_with_backslashes_is_written_as_it_is() -> None:
    assert Identity.of("Anna", placeholder=r"\g<0>\1").redact("Anna") == r"\g<0>\1"


def test_json_values_are_redacted_and_keys_and_other_values_are_kept() -> None:
    value = {"by": "Anna Berg", "Anna Berg": [1, "@anna.berg"], "n": 3, "ok": None}
    assert ANNA.redact_json(value) == {
        "by": "Erased creator #7",
        "Anna Berg": [1, "Erased creator #7"],
        "n": 3,
        "ok": None,
    }
    assert LEA.redact_json({"release_date": "lea", "lead": {"lead_time": 3}}) == {
        "release_date": "Erased creator #5",
        "lead": {"lead_time": 3},
    }


def test_nothing_to_look_for_leaves_text_unchanged() -> None:
    assert Identity.of("", "x", placeholder="X").redact("x marks the spot") == "x marks the spot"
