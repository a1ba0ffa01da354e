"""The label decisions per channel and rule, from provenance, brief, faces and the user's declaration."""

from __future__ import annotations

from typing import Any

import pytest

from creatordesk.engine.visuals.brief import VisualBrief
from creatordesk.engine.visuals.check import VisualState
from creatordesk.engine.visuals.context import VisualContext
from creatordesk.engine.visuals.labelling import LabellingStep
from creatordesk.engine.visuals.load import LoadedImage, load_image
from creatordesk.engine.visuals.types import (
    CHANNELS,
    C2paManifest,
    Channel,
    LabelDecision,
    Provenance,
    Region,
)
from tests.engine.visuals.provenance_images import photo, save_png

GENERATED_IPTC = Provenance(iptc_digital_source_type="trainedAlgorithmicMedia")
GENERATED_C2PA = Provenance(
    c2pa=C2paManifest(
        present=True, valid=True, trusted=True, digital_source_types=("trainedAlgorithmicMedia",)
    )
)
NOTHING = Provenance()
FACE = Region(0.4, 0.2, 0.2, 0.3)


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> LoadedImage:
    path = save_png(tmp_path_factory.mktemp("labelling") / "image.png", photo())
    return load_image(path, VisualContext())


def decide(
    image: LoadedImage,
    provenance: Provenance = NOTHING,
    channels: tuple[Channel, ...] = CHANNELS,
    faces: tuple[Region, ...] = (),
    **brief: Any,
) -> VisualState:
    state = VisualState(
        image=image, brief=VisualBrief(**brief), channels=channels, provenance=provenance, faces=list(faces)
    )
    LabellingStep().run(state, VisualContext())
    return state


def by_key(state: VisualState) -> dict[tuple[str, str], LabelDecision]:
    return {(d.channel, d.rule): d for d in state.decisions}


def required(state: VisualState) -> dict[tuple[str, str], bool]:
    return {key: d.required for key, d in by_key(state).items()}


def findings(state: VisualState) -> dict[str, str]:
    return {f.rule: f.severity for f in state.findings}


def test_declaring_no_ai_against_an_ai_signal_blocks_and_the_signal_decides(image: LoadedImage) -> None:
    state = decide(image, GENERATED_IPTC, declared="none", realistic_person=True)
    assert findings(state) == {"labelling.declaration_conflicts": "block"}
    (conflict,) = state.findings
    assert "IPTC DigitalSourceType trainedAlgorithmicMedia" in conflict.evidence
    assert required(state)[("web", "eu_ai_act_art50_4")] is True
    assert required(state)[("tiktok", "tiktok_aigc")] is True


def test_declaring_no_ai_against_an_algorithmic_enhancement_only_warns(image: LoadedImage) -> None:
    enhanced = Provenance(iptc_digital_source_type="algorithmicallyEnhanced")
    state = decide(image, enhanced, declared="none", realistic_person=True)
    assert findings(state) == {"labelling.declaration_conflicts": "warn"}
    assert set(required(state).values()) == {False}


def test_declaring_no_ai_without_a_signal_needs_no_label(image: LoadedImage) -> None:
    state = decide(image, declared="none", realistic_person=True)
    assert state.findings == []
    assert set(required(state).values()) == {False}
    assert all("without AI" in d.reason_en and "ohne KI" in d.reason_de for d in state.decisions)


def test_without_signal_or_declaration_every_decision_asks_for_the_declaration(image: LoadedImage) -> None:
    state = decide(image)
    assert set(required(state).values()) == {False}
    assert all("Declare whether AI was used" in d.reason_en for d in state.decisions)
    assert state.findings == []


def test_a_declared_generation_counts_like_a_signal_but_meta_cannot_see_it(image: LoadedImage) -> None:
    state = decide(image, declared="generated", realistic_product=True)
    assert required(state)[("meta", "eu_ai_act_art50_4")] is True
    meta = by_key(state)[("meta", "meta_ai_info")]
    assert meta.required is False and "no C2PA/IPTC mark" in meta.reason_en


def test_a_file_signal_outranks_a_weaker_declaration(image: LoadedImage) -> None:
    state = decide(image, GENERATED_C2PA, declared="edited", realistic_product=True)
    assert required(state)[("web", "eu_ai_act_art50_4")] is True
    assert "Content Credentials" in by_key(state)[("tiktok", "tiktok_aigc")].reason_en


def test_a_health_product_ad_with_an_ai_image_gets_the_hwg_decision_and_a_warning(image: LoadedImage) -> None:
    state = decide(image, GENERATED_IPTC, health_product=True, realistic_person=True)
    hwg = [d for d in state.decisions if d.rule == "de_hwg_11"]
    assert [d.channel for d in hwg] == ["tiktok", "meta", "web"]
    assert all(not d.required and "A label does not make it lawful" in d.reason_en for d in hwg)
    assert "§ 11 Abs. 1 Satz 1 Nr. 5 HWG" in hwg[0].citation and "Vorher/Nachher" in hwg[0].reason_de
    assert findings(state) == {"labelling.health_ai_depiction": "warn"}


def test_a_health_product_without_ai_use_has_no_warning(image: LoadedImage) -> None:
    state = decide(image, declared="none", health_product=True)
    assert state.findings == []
    assert all(not d.required for d in state.decisions if d.rule == "de_hwg_11")


def test_outside_ads_art_50_4_still_binds_but_german_ad_law_does_not(image: LoadedImage) -> None:
    state = decide(image, GENERATED_IPTC, is_ad=False, realistic_person=True, health_product=True)
    assert required(state) == {
        ("tiktok", "eu_ai_act_art50_4"): True,
        ("tiktok", "tiktok_aigc"): True,
        ("meta", "eu_ai_act_art50_4"): True,
        ("meta", "meta_ai_info"): False,
        ("web", "eu_ai_act_art50_4"): True,
    }
    assert (
        "'AI-generated content'" in by_key(state)[("tiktok", "tiktok_aigc")].reason_en
    )  # the creator toggle
    assert state.findings == []


def test_a_face_found_counts_as_a_realistic_person_unless_the_brief_says_otherwise(
    image: LoadedImage,
) -> None:
    with_face = decide(image, GENERATED_IPTC, faces=(FACE,))
    eu = by_key(with_face)[("web", "eu_ai_act_art50_4")]
    assert eu.required and "a realistic person" in eu.reason_en and "eine realistische Person" in eu.reason_de
    assert required(with_face)[("meta", "meta_ai_info")] is True  # a photoreal person in an ad
    assert required(decide(image, GENERATED_IPTC))[("web", "eu_ai_act_art50_4")] is False
    overruled = decide(image, GENERATED_IPTC, faces=(FACE,), realistic_person=False)
    assert required(overruled)[("web", "eu_ai_act_art50_4")] is False


def test_a_composite_gets_a_partly_generated_label_and_meta_keeps_it_in_the_menu(image: LoadedImage) -> None:
    composite = Provenance(iptc_digital_source_type="compositeWithTrainedAlgorithmicMedia")
    state = decide(image, composite, realistic_product=True)
    eu = by_key(state)[("web", "eu_ai_act_art50_4")]
    assert (eu.label_en, eu.label_de) == ("Partly AI-generated", "Teilweise KI-generiert")
    meta = by_key(state)[("meta", "meta_ai_info")]
    assert meta.required is False and "menu" in meta.reason_en


def test_an_ai_edit_needs_a_label_only_if_it_changes_what_is_shown(image: LoadedImage) -> None:
    state = decide(image, declared="edited", realistic_person=True)
    assert set(required(state).values()) == {False}
    assert "manipulated deep fake" in by_key(state)[("web", "eu_ai_act_art50_4")].reason_en
    assert "significant" in by_key(state)[("tiktok", "tiktok_aigc")].reason_en


def test_only_the_chosen_channels_get_decisions(image: LoadedImage) -> None:
    state = decide(image, GENERATED_IPTC, channels=("web",), realistic_product=True)
    assert [(d.channel, d.rule, d.required) for d in state.decisions] == [
        ("web", "eu_ai_act_art50_4", True),
        ("web", "de_uwg_5", True),
    ]
    uwg = state.decisions[1]
    assert (uwg.label_en, uwg.label_de) == ("AI-generated", "KI-generiert")
    assert "im Zweifel" in uwg.reason_de and uwg.as_dict()["label"] == {
        "en": "AI-generated",
        "de": "KI-generiert",
    }
