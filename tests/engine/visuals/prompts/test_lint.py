"""Each lint rule on a prompt that breaks it and on a near miss that does not, as a user would type them."""

from __future__ import annotations

import pytest

from creatordesk.engine.visuals.prompts import (
    GENERATORS,
    RULES,
    FireflyOptions,
    GptImageOptions,
    LintIssue,
    MidjourneyOptions,
    PromptBrief,
    StableDiffusionOptions,
    lint,
)
from creatordesk.engine.visuals.prompts.types import Generator


def codes(text: str, generator: Generator = "midjourney", **kwargs: object) -> list[str]:
    return [issue.code for issue in lint(text, generator, **kwargs)]  # type: ignore[arg-type]


def only(text: str, code: str, generator: Generator = "midjourney") -> LintIssue:
    (issue,) = [issue for issue in lint(text, generator) if issue.code == code]
    return issue


CASES: list[tuple[str, str, str, Generator]] = [
    # (code, fires, does not fire, generator)
    (
        "subject_not_leading",
        "cinematic, 8k, moody lighting, a serum bottle",
        "a serum bottle, cinematic, 8k",
        "midjourney",
    ),
    (
        "conflicting_terms",
        "a serum bottle, golden hour, cold blue tones",
        "a serum bottle, golden hour, warm tones",
        "midjourney",
    ),
    (
        "conflicting_terms",
        "a perfume bottle, low key and high key light",
        "a perfume bottle, low-key light",
        "midjourney",
    ),
    (
        "conflicting_terms",
        "a living room, minimalist, baroque furniture",
        "a living room, minimalist",
        "midjourney",
    ),
    (
        "conflicting_terms",
        "a lemon, watercolor, photorealistic",
        "a lemon, watercolor, soft paper texture",
        "midjourney",
    ),
    (
        "real_person",
        "a man holding a watch, looks like Brad Pitt",
        "a man holding a watch, stubble, curly hair",
        "midjourney",
    ),
    (
        "real_person",
        "a woman who looks like Anna Schmidtbauer",
        "a woman who looks like a tennis player",
        "midjourney",
    ),
    (
        "real_person",
        "portrait in the style of Annie Leibovitz",
        "poster in the style of Art Deco",
        "midjourney",
    ),
    ("minor", "a 12-year-old holding the snack", "a 25-year-old holding the snack", "midjourney"),
    ("minor", "Kind mit Sonnencreme am Strand", "a kind of beach scene with sunscreen", "midjourney"),
    ("minor", "Mädchen mit Sonnencreme", "Frau mit Sonnencreme", "midjourney"),
    ("minor", "a toddler on a sofa", "a baby blue sofa, no children", "midjourney"),
    ("trademark", "sneakers like Nike on a track", "white running sneakers on a track", "midjourney"),
    ("trademark", "an Apple laptop on a desk", "an apple on a desk", "midjourney"),
    (
        "rendered_text_or_logo",
        'a jar with the text "GLOW" on the label',
        "a plain unlabelled jar, no logo",
        "midjourney",
    ),
    (
        "photoreal_testimonial",
        "photorealistic happy customer holding the serum",
        "watercolor illustration of a serum bottle",
        "midjourney",
    ),
    (
        "photoreal_testimonial",
        "realistic before and after photo of skin",
        "realistic photo of a serum bottle",
        "midjourney",
    ),
    ("mj_param_out_of_range", "a bottle --s 1200", "a bottle --s 1000", "midjourney"),
    ("mj_param_out_of_range", "a bottle --c 101", "a bottle --c 100", "midjourney"),
    ("mj_param_out_of_range", "a bottle --seed 4294967296", "a bottle --seed 4294967295", "midjourney"),
    ("mj_aspect_not_integer", "a bottle --ar 1.91:1", "a bottle --ar 191:100", "midjourney"),
    ("mj_multiprompt_v7", "a bottle:: marble::2", "a bottle:: marble::2 --v 6.1", "midjourney"),
    (
        "mj_oref_with_q4",
        "a bottle --oref https://example.org/a.png --q 4",
        "a bottle --oref https://example.org/a.png --q 2",
        "midjourney",
    ),
    ("mj_unknown_param", "a bottle --stylise 200", "a bottle --stylize 200", "midjourney"),
    ("mj_syntax_elsewhere", "a bottle on marble --no text", "a bottle on marble", "stable_diffusion"),
    (
        "sd_token_overflow",
        ", ".join(["a serum bottle on a marble shelf in soft light"] * 8),
        ", ".join(["a serum bottle on a marble shelf in soft light"] * 6),
        "stable_diffusion",
    ),
]


@pytest.mark.parametrize(
    ("code", "fires", "quiet", "generator"), CASES, ids=[f"{c[0]}:{c[1][:30]}" for c in CASES]
)
def test_each_rule_fires_on_the_breach_and_stays_quiet_on_the_near_miss(
    code: str, fires: str, quiet: str, generator: Generator
) -> None:
    assert code in codes(fires, generator)
    assert code not in codes(quiet, generator)


def test_every_rule_in_the_table_has_a_firing_case_here() -> None:
    text_rules = {code for code, *_ in CASES}
    option_rules = {"sd_base_size_invalid", "gpt_size_invalid"}
    assert {rule.code for rule in RULES} == text_rules | option_rules


def test_the_conflict_is_pinned_on_the_term_that_brought_it_and_names_both() -> None:
    issue = only("a serum bottle, golden hour, cold blue tones", "conflicting_terms")
    assert issue.span == (29, 44)
    assert "golden hour" in issue.message_en and "cold blue tones" in issue.message_en
    assert "Lichtstimmung gegen Farbton" in issue.message_de


def test_a_listed_person_and_a_look_alike_block_and_a_style_reference_warns() -> None:
    issues = lint("a woman in the style of Annie Leibovitz, looks like Taylor Swift", "midjourney")
    assert [(issue.code, issue.severity) for issue in issues] == [
        ("real_person", "block"),
        ("real_person", "warn"),
    ]


def test_an_age_under_18_blocks_and_an_ambiguous_word_only_warns() -> None:
    assert [(i.code, i.severity) for i in lint("a 16 year old skater", "midjourney")] == [("minor", "block")]
    assert [(i.code, i.severity) for i in lint("a girl with a skateboard", "midjourney")] == [
        ("minor", "warn")
    ]
    assert codes("eine 30-jährige Frau mit Skateboard") == []


def test_the_workspaces_own_brand_is_not_a_third_party_mark_but_a_lettering_hint() -> None:
    issues = lint("Nivea tin on a beach towel", "midjourney", own_brands=["Nivea"])
    assert [(issue.code, issue.severity) for issue in issues] == [("rendered_text_or_logo", "info")]
    assert codes("Nivea tin on a beach towel") == ["trademark"]


def test_the_testimonial_issue_cites_the_labelling_duty_and_before_after_adds_hwg() -> None:
    issue = only("photorealistic satisfied customer, before and after", "photoreal_testimonial")
    assert "Art. 50(4)" in issue.message_en and "Anhang Nr. 23" in issue.message_en
    assert "HWG" in issue.message_en and "HWG" in issue.message_de


def test_midjourney_negative_list_is_not_read_as_content() -> None:
    assert codes("a beach towel and sunscreen --no children,Nike logo,text") == []


def test_parameter_spans_point_at_the_parameter_in_the_text() -> None:
    text = "a bottle --ar 4:5 --s 1200"
    issue = only(text, "mj_param_out_of_range")
    assert issue.span is not None and text[slice(*issue.span)] == "--s 1200"


def test_the_token_overflow_names_the_text_beyond_75_tokens() -> None:
    text = ", ".join(["a serum bottle on a marble shelf in soft light"] * 8)
    issue = only(text, "sd_token_overflow", "stable_diffusion")
    assert issue.span is not None
    # Each repeat is 10 words and a comma: 6 repeats and 9 words fill the window, "light" is token 76.
    assert text[issue.span[0] :].startswith("light, a serum bottle")
    assert issue.span[1] == len(text)


BRIEF = PromptBrief(
    subject="happy customer applying serum",
    light="golden hour",
    style="photorealistic",
    brand_colours=["cold blue tones"],
    must_avoid=["children", "Nike logo"],
)


def test_a_brief_is_linted_field_by_field_and_its_avoid_list_is_left_alone() -> None:
    issues = lint(BRIEF, "midjourney")
    found = [(issue.code, issue.field, issue.span) for issue in issues]
    assert found == [
        ("photoreal_testimonial", "subject", (0, 14)),
        ("conflicting_terms", "brand_colours", (0, 15)),
    ]


def test_a_brief_whose_subject_is_only_style_words_is_told_to_lead_with_the_subject() -> None:
    issue = lint(PromptBrief(subject="cinematic 8k photo", product="serum"), "gpt_image")[0]
    assert (issue.code, issue.field) == ("subject_not_leading", "subject")


def test_firefly_photo_content_type_counts_as_photorealistic() -> None:
    brief = PromptBrief(subject="satisfied customer with serum", firefly=FireflyOptions(content_type="photo"))
    assert "photoreal_testimonial" in [issue.code for issue in lint(brief, "firefly")]
    assert "photoreal_testimonial" not in [issue.code for issue in lint(brief, "midjourney")]


@pytest.mark.parametrize(
    ("brief", "generator", "code", "field"),
    [
        (
            PromptBrief(subject="a jar", midjourney=MidjourneyOptions(stylize=5000)),
            "midjourney",
            "mj_param_out_of_range",
            "midjourney.stylize",
        ),
        (
            PromptBrief(subject="a jar", midjourney=MidjourneyOptions(seed=-5)),
            "midjourney",
            "mj_param_out_of_range",
            "midjourney.seed",
        ),
        (
            PromptBrief(subject="a jar", gpt_image=GptImageOptions(size="1920x1080")),
            "gpt_image",
            "gpt_size_invalid",
            "gpt_image.size",
        ),
        (
            PromptBrief(subject="a jar", stable_diffusion=StableDiffusionOptions(base_size=600)),
            "stable_diffusion",
            "sd_base_size_invalid",
            "stable_diffusion.base_size",
        ),
    ],
)
def test_brief_options_out_of_range_block_with_the_option_named(
    brief: PromptBrief, generator: Generator, code: str, field: str
) -> None:
    (issue,) = lint(brief, generator)
    assert (issue.code, issue.severity, issue.field, issue.span) == (code, "block", field, None)


def test_options_in_range_give_no_issue() -> None:
    brief = PromptBrief(
        subject="a jar",
        midjourney=MidjourneyOptions(stylize=1000, chaos=100, seed=4_294_967_295),
        gpt_image=GptImageOptions(size="1024x1536"),
        stable_diffusion=StableDiffusionOptions(base_size=512),
    )
    for generator in GENERATORS:
        assert lint(brief, generator) == []


def test_a_long_brief_shows_the_stable_diffusion_overflow_in_the_rendered_prompt() -> None:
    brief = PromptBrief(subject="a serum bottle", setting=", ".join(["on a marble shelf in soft light"] * 10))
    (issue,) = lint(brief, "stable_diffusion")
    assert (issue.code, issue.field) == ("sd_token_overflow", "rendered.prompt")
    assert lint(brief, "gpt_image") == []


def test_block_issues_come_first() -> None:
    issues = lint("cinematic, a toddler with a Nike ball --s 5000", "midjourney")
    severities = [issue.severity for issue in issues]
    assert severities == sorted(severities, key=["block", "warn", "info"].index)
    assert severities[0] == "block"


def test_issues_serialise_with_both_languages() -> None:
    issue = lint("a toddler", "midjourney")[0]
    assert issue.as_dict()["message"] == {"en": issue.message_en, "de": issue.message_de}


def test_an_unknown_generator_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown generator"):
        lint("a jar", "dalle")  # type: ignore[arg-type]
