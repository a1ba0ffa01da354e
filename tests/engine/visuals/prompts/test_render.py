"""One brief, four generators: the exact text each one gets, its settings, and the options it refuses."""

from __future__ import annotations

import dataclasses
import json

import pytest

from creatordesk.engine.visuals.prompts import (
    FireflyOptions,
    GptImageOptions,
    MidjourneyOptions,
    PromptBrief,
    PromptBriefError,
    PromptOptionError,
    StableDiffusionOptions,
    lint,
    render,
    render_firefly,
    render_gpt_image,
    render_midjourney,
    render_stable_diffusion,
)
from creatordesk.engine.visuals.prompts.render import sd_size

BRIEF = PromptBrief(
    subject="a woman in her thirties applying face serum",
    product="amber glass dropper bottle",
    setting="on a marble bathroom shelf",
    light="soft morning window light",
    mood="calm",
    style="editorial product photography",
    camera="85mm lens, shallow depth of field",
    format="4:5",
    must_avoid=["text", "logos", "extra fingers"],
    brand_colours=["#0A1F44", "coral"],
    midjourney=MidjourneyOptions(stylize=250, chaos=10, seed=42, raw=True),
    firefly=FireflyOptions(content_type="photo"),
)
DESCRIPTION = (
    "a woman in her thirties applying face serum, amber glass dropper bottle, on a marble bathroom shelf, "
    "soft morning window light, calm mood, editorial product photography, 85mm lens, shallow depth of field, "
    "color palette of dark navy blue and coral"
)


def test_midjourney_gets_the_subject_first_then_integer_ratio_and_documented_parameters() -> None:
    rendered = render_midjourney(BRIEF)
    assert rendered.prompt == (
        DESCRIPTION + " --ar 4:5 --style raw --s 250 --c 10 --no text,logos,extra fingers --seed 42"
    )
    assert [note.code for note in rendered.notes] == ["colours_named"]
    assert "#0A1F44 → dark navy blue" in rendered.notes[0].message_en


def test_stable_diffusion_gets_positive_and_negative_prompt_and_a_size_in_multiples_of_64() -> None:
    rendered = render_stable_diffusion(BRIEF)
    assert rendered.prompt == DESCRIPTION
    assert rendered.negative_prompt == "text, logos, extra fingers"
    assert rendered.settings == {"width": 896, "height": 1152}
    assert rendered.prompt_tokens is not None and rendered.prompt_tokens.count == 50
    assert not rendered.prompt_tokens.overflows
    crop = next(note for note in rendered.notes if note.code == "crop_to_format")
    assert "crop to 896x1120" in crop.message_en


def test_gpt_image_gets_sentences_an_avoid_list_in_words_and_the_size_to_crop_from() -> None:
    rendered = render_gpt_image(BRIEF)
    assert rendered.prompt == (
        "A woman in her thirties applying face serum. Product: amber glass dropper bottle. "
        "Setting: on a marble bathroom shelf. Lighting: soft morning window light. Mood: calm. "
        "Style: editorial product photography. Camera: 85mm lens, shallow depth of field. "
        "Brand colors: dark navy blue (#0A1F44) and coral. The image will be cropped to 4:5: keep the "
        "subject and every important detail within the central 83% of the height. Do not include text. "
        "Do not include logos. Do not include extra fingers."
    )
    assert rendered.negative_prompt == ""
    assert rendered.settings == {"model": "gpt-image-1", "size": "1024x1536"}
    (note,) = rendered.notes
    assert note.code == "crop_or_outpaint"
    assert note.message_en == (
        "gpt-image-1 has no 4:5 size: generate 1024x1536 and crop to 1024x1280, or outpaint to 4:5."
    )


def test_firefly_gets_content_type_and_the_nearest_documented_aspect_ratio_with_unverified_parts_named() -> (
    None
):
    rendered = render_firefly(BRIEF)
    assert rendered.prompt == DESCRIPTION
    assert rendered.negative_prompt == "text, logos, extra fingers"
    assert rendered.settings == {
        "aspect_ratio": "3:4",
        "aspect_label": "Portrait (3:4)",
        "width": 1792,
        "height": 2304,
        "content_type": "photo",
    }
    assert rendered.unverified == ("negative_prompt",)
    assert "crop to 1792x2240" in rendered.notes[-1].message_en


def test_a_vertical_firefly_brief_says_the_9_16_option_is_unverified() -> None:
    rendered = render_firefly(dataclasses.replace(BRIEF, format="9:16", must_avoid=()))
    assert rendered.settings["aspect_ratio"] == "3:4"
    assert rendered.unverified == ("aspect_ratio.9:16",)
    assert "firefly_vertical_unverified" in [note.code for note in rendered.notes]


@pytest.mark.parametrize(
    ("fmt", "model", "size", "crop"),
    [
        ("9:16", "gpt-image-1", "1024x1536", "864x1536"),
        ("16:9", "gpt-image-1", "1536x1024", "1536x864"),
        ("1:1", "gpt-image-1", "1024x1024", None),
        ("9:16", "dall-e-3", "1024x1792", "1008x1792"),
    ],
)
def test_gpt_image_picks_the_size_whose_crop_keeps_most_pixels(
    fmt: str, model: str, size: str, crop: str | None
) -> None:
    brief = dataclasses.replace(BRIEF, format=fmt, gpt_image=GptImageOptions(model=model))  # type: ignore[arg-type]
    rendered = render(brief, "gpt_image")
    assert rendered.settings["size"] == size
    if crop is None:
        assert rendered.notes == ()
        assert "cropped" not in rendered.prompt
    else:
        assert f"crop to {crop}" in rendered.notes[0].message_en


@pytest.mark.parametrize(
    ("fmt", "base", "expected"),
    [
        ("9:16", 1024, (768, 1344)),
        ("4:5", 1024, (896, 1152)),
        ("16:9", 1024, (1344, 768)),
        ("1:1", 1024, (1024, 1024)),
        ("9:16", 512, (384, 704)),
        ("1:1", 512, (512, 512)),
    ],
)
def test_stable_diffusion_sizes_are_multiples_of_64_near_the_trained_pixel_count(
    fmt: str, base: int, expected: tuple[int, int]
) -> None:
    ratio = tuple(int(side) for side in fmt.split(":"))
    assert sd_size(ratio, base) == expected  # type: ignore[arg-type]
    assert all(side % 64 == 0 for side in expected)


def test_a_draft_brief_gets_midjourney_draft_mode_and_the_chosen_version() -> None:
    draft = dataclasses.replace(
        BRIEF, purpose="draft", must_avoid=(), midjourney=MidjourneyOptions(version="7")
    )
    assert render_midjourney(draft).prompt == DESCRIPTION + " --ar 4:5 --v 7 --draft"
    older = dataclasses.replace(draft, midjourney=MidjourneyOptions(version="6.1"))
    assert render_midjourney(older).prompt == DESCRIPTION + " --ar 4:5 --v 6.1"


def test_dashes_in_the_description_cannot_start_a_midjourney_parameter() -> None:
    brief = PromptBrief(subject="serum bottle --ar 1:1 —s 5", must_avoid=["text --seed 1"])
    prompt = render_midjourney(brief).prompt
    assert prompt == "serum bottle -ar 1:1 -s 5 --ar 1:1 --no text -seed 1"
    assert [issue.code for issue in lint(prompt, "midjourney")] == []


def test_every_rendered_midjourney_prompt_passes_the_parameter_lint() -> None:
    brief = dataclasses.replace(
        BRIEF, midjourney=MidjourneyOptions(stylize=1000, chaos=0, seed=4_294_967_295, quality=2, version="7")
    )
    codes = {issue.code for issue in lint(render_midjourney(brief).prompt, "midjourney")}
    assert not {code for code in codes if code.startswith("mj_")}


@pytest.mark.parametrize(
    ("options", "field"),
    [
        (MidjourneyOptions(stylize=1001), "midjourney.stylize"),
        (MidjourneyOptions(stylize=-1), "midjourney.stylize"),
        (MidjourneyOptions(stylize=2.5), "midjourney.stylize"),  # type: ignore[arg-type]
        (MidjourneyOptions(chaos=101), "midjourney.chaos"),
        (MidjourneyOptions(seed=4_294_967_296), "midjourney.seed"),
        (MidjourneyOptions(quality=3), "midjourney.quality"),
        (MidjourneyOptions(version="seven"), "midjourney.version"),
        (MidjourneyOptions(quality=4, omni_reference="https://example.org/ref.png"), "midjourney.quality"),
    ],
)
def test_midjourney_options_out_of_range_are_refused_with_the_field_named(
    options: MidjourneyOptions, field: str
) -> None:
    with pytest.raises(PromptOptionError) as raised:
        render(dataclasses.replace(BRIEF, midjourney=options), "midjourney")
    assert [issue.field for issue in raised.value.issues] == [field]
    assert raised.value.issues[0].severity == "block"


def test_midjourney_range_ends_are_accepted() -> None:
    options = MidjourneyOptions(stylize=0, chaos=100, seed=0, quality=4)
    assert (
        "--s 0 --c 100 --q 4" in render(dataclasses.replace(BRIEF, midjourney=options), "midjourney").prompt
    )


def test_a_gpt_image_size_outside_the_models_list_is_refused() -> None:
    brief = dataclasses.replace(BRIEF, gpt_image=GptImageOptions(model="dall-e-3", size="1536x1024"))
    with pytest.raises(PromptOptionError) as raised:
        render(brief, "gpt_image")
    assert raised.value.issues[0].code == "gpt_size_invalid"
    auto = dataclasses.replace(BRIEF, gpt_image=GptImageOptions(size="auto"))
    assert render(auto, "gpt_image").notes[0].code == "size_auto"


def test_a_stable_diffusion_base_size_it_was_not_trained_at_is_refused() -> None:
    with pytest.raises(PromptOptionError):
        render(
            dataclasses.replace(BRIEF, stable_diffusion=StableDiffusionOptions(base_size=600)),
            "stable_diffusion",
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"format": "3:2"}, "format"),
        ({"purpose": "later"}, "purpose"),
        ({"must_avoid": "text"}, "must_avoid"),
        ({"firefly": FireflyOptions(content_type="video")}, "firefly.content_type"),  # type: ignore[arg-type]
    ],
)
def test_a_brief_that_cannot_describe_an_image_is_refused(changes: dict[str, object], field: str) -> None:
    with pytest.raises(PromptBriefError) as raised:
        dataclasses.replace(BRIEF, **changes)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert raised.value.message_de


def test_a_rendered_prompt_serialises_to_json() -> None:
    data = render(BRIEF, "stable_diffusion").as_dict()
    assert json.loads(json.dumps(data))["settings"] == {"width": 896, "height": 1152}
