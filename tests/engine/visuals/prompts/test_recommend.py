"""Which tool for a draft and which for a final high-resolution image, and when to upscale."""

from __future__ import annotations

import pytest

from creatordesk.engine.visuals.prompts import recommend_generator


def test_a_final_image_goes_to_the_specialised_high_resolution_tools() -> None:
    advice = recommend_generator("final")
    assert [fit.name for fit in advice.generators] == ["midjourney", "flux", "leonardo"]
    assert [fit.renderer for fit in advice.generators] == ["midjourney", None, None]
    assert [note.code for note in advice.notes] == ["final_tools"]
    assert advice.sources[0].startswith("AllSocial")


def test_a_draft_may_come_from_a_quick_tool_and_a_large_target_asks_for_an_upscale() -> None:
    advice = recommend_generator("draft", resolution=(1080, 1920))
    fits = {fit.name: fit.upscale for fit in advice.generators}
    assert fits == {"gpt_image": True, "midjourney": None, "firefly": False}
    codes = [note.code for note in advice.notes]
    assert codes == ["draft_tools", "upscale", "check_output_size"]
    assert "GPT-image (1536 px)" in advice.notes[1].message_en


def test_a_target_within_every_documented_size_needs_no_upscale() -> None:
    advice = recommend_generator("draft", resolution=(1080, 1080))
    assert [fit.upscale for fit in advice.generators] == [False, None, False]
    assert "upscale" not in [note.code for note in advice.notes]


def test_text_on_the_image_is_composited_not_generated() -> None:
    advice = recommend_generator("final", needs_text=True)
    assert advice.notes[-1].code == "composite_text"
    assert any("retouchable" in source for source in advice.sources)


@pytest.mark.parametrize(
    ("purpose", "resolution"), [("someday", None), ("final", (0, 1080)), ("final", (1080,))]
)
def test_bad_arguments_are_refused(purpose: str, resolution: tuple[int, ...] | None) -> None:
    with pytest.raises(ValueError):
        recommend_generator(purpose, resolution=resolution)  # type: ignore[arg-type]


def test_advice_serialises() -> None:
    data = recommend_generator("final", True, (2480, 3508)).as_dict()
    assert data["purpose"] == "final"
    assert {"en", "de"} <= set(data["notes"][0]["message"])  # type: ignore[index]
