"""Variants in dynamicprompts syntax: every combination once, capped, with ids that survive a re-run."""

from __future__ import annotations

import pytest

from creatordesk.engine.visuals.prompts import MAX_VARIANTS, TemplateError, expand, render_template

TEMPLATE = "serum bottle on {marble|linen|oak}, {golden hour|soft daylight}"


def test_every_combination_is_listed_once_in_a_fixed_order() -> None:
    texts = [variant.text for variant in expand(TEMPLATE)]
    assert len(texts) == 6
    assert texts[:3] == [
        "serum bottle on marble, golden hour",
        "serum bottle on marble, soft daylight",
        "serum bottle on linen, golden hour",
    ]
    assert len(set(texts)) == 6


def test_ids_are_stable_across_runs_and_unique_per_variant() -> None:
    first = expand(TEMPLATE)
    again = expand(TEMPLATE)
    assert [v.variant_id for v in first] == [v.variant_id for v in again]
    assert len({v.variant_id for v in first}) == len(first)


def test_the_same_choice_keeps_its_id_when_the_limit_changes() -> None:
    capped = expand(TEMPLATE, limit=2)
    assert [v.variant_id for v in capped] == [v.variant_id for v in expand(TEMPLATE)[:2]]


def test_a_new_template_version_gives_new_ids_for_the_same_text() -> None:
    v1 = expand(TEMPLATE, version="3")
    v2 = expand(TEMPLATE, version="4")
    assert [v.text for v in v1] == [v.text for v in v2]
    assert not {v.variant_id for v in v1} & {v.variant_id for v in v2}
    assert [v.variant_id for v in v1] == [v.variant_id for v in expand(TEMPLATE, version="3")]


def test_the_cap_stops_a_large_combination() -> None:
    template = "{a|b|c|d|e} {f|g|h|i|j} {k|l|m|n|o} {p|q|r|s|t}"  # 625 combinations
    assert len(expand(template, limit=MAX_VARIANTS)) == MAX_VARIANTS
    assert len(expand(template, limit=7)) == 7


def test_several_of_a_list_come_in_every_order_with_the_chosen_joiner() -> None:
    texts = [v.text for v in expand("jar, {2$$ and $$mint|lemon|sage}")]
    assert len(texts) == 6
    assert texts[0] == "jar, mint and lemon"
    assert "jar, lemon and mint" in texts


def test_weights_are_listed_as_plain_options() -> None:
    assert [v.text for v in expand("{0.8::matte|0.2::glossy} jar")] == ["matte jar", "glossy jar"]


def test_variables_fill_in_and_may_carry_variants_of_their_own() -> None:
    variants = expand("${product} on ${surface:a marble table}", {"product": "{serum|cream}"})
    assert [v.text for v in variants] == ["serum on a marble table", "cream on a marble table"]
    set_once = expand("${tone=!{warm|cool}} ${tone} light, ${tone} shadows")
    assert [v.text for v in set_once] == ["warm light, warm shadows"]


@pytest.mark.parametrize(
    ("template", "variables", "code"),
    [
        ("serum on {marble|linen", None, "template_syntax"),
        ("serum on ${surface}", None, "template_unknown_variable"),
        ("serum on __surfaces__", None, "template_wildcard"),
        ("serum on ${surface}", {"surface": "{marble"}, "template_syntax"),
        ("x" * 10_001, None, "template_too_long"),
    ],
)
def test_a_broken_template_is_refused_with_a_code(
    template: str, variables: dict[str, str] | None, code: str
) -> None:
    with pytest.raises(TemplateError) as raised:
        expand(template, variables)
    assert raised.value.code == code
    assert raised.value.message_de


@pytest.mark.parametrize("limit", [0, MAX_VARIANTS + 1, 2.5, True])
def test_a_limit_outside_1_to_the_cap_is_refused(limit: object) -> None:
    with pytest.raises(TemplateError) as raised:
        expand(TEMPLATE, limit=limit)  # type: ignore[arg-type]
    assert raised.value.code == "template_limit"


def test_a_saved_template_is_filled_in_and_then_expanded() -> None:
    saved = (
        "{{ product }} on {{ surface | default('a marble table') }}"
        "{% if mood is defined %}, {{ mood }} mood{% endif %}, {golden hour|soft daylight}"
    )
    filled = render_template(saved, {"product": "amber serum bottle"})
    assert filled == "amber serum bottle on a marble table, {golden hour|soft daylight}"
    assert [v.text for v in expand(filled)] == [
        "amber serum bottle on a marble table, golden hour",
        "amber serum bottle on a marble table, soft daylight",
    ]
    with_mood = render_template(saved, {"product": "jar", "surface": "linen", "mood": "calm"})
    assert with_mood == "jar on linen, calm mood, {golden hour|soft daylight}"


def test_dynamicprompts_jinja_functions_are_available() -> None:
    assert render_template("{{ permutations(['a', 'b'], 2) | list | length }}", {}) == "2"


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("{{ product }} on linen", "template_unknown_variable"),
        ("{% prompt %}jar{% endprompt %}", "template_syntax"),
        ("{{ product", "template_syntax"),
        ("{{ ''.__class__.__mro__ }}", "template_forbidden"),
        ("{{ 'jar ' * 100000 }}", "template_forbidden"),
        ("{{ 10 ** 10 }}", "template_forbidden"),
        ("{% for i in range(150) %}{{ 'jar ' * 100 }}{% endfor %}", "template_too_long"),
    ],
)
def test_a_template_that_is_broken_or_reaches_outside_its_fields_is_refused(template: str, code: str) -> None:
    with pytest.raises(TemplateError) as raised:
        render_template(template, {})
    assert raised.value.code == code


def test_loops_stop_at_a_small_range() -> None:
    assert render_template("{% for i in range(100000) %}x{% endfor %}", {}) == "x" * 200
