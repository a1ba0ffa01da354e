"""Provenance read from real files built here (C2PA signed with a throw-away chain, XMP, SD and ComfyUI
chunks, a camera photo, a re-saved copy), and the label decisions that follow from each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from creatordesk.engine.visuals.brief import VisualBrief
from creatordesk.engine.visuals.check import VisualReport, check_image
from creatordesk.engine.visuals.context import VisualContext
from creatordesk.engine.visuals.labelling import LabellingStep
from creatordesk.engine.visuals.provenance import (
    ProvenanceStep,
    anchor_certificates,
    generator_from_names,
    xmp_fields,
)
from creatordesk.engine.visuals.types import LabelDecision
from tests.engine.visuals.provenance_images import (
    COMFYUI_PROMPT,
    SD_PARAMETERS,
    SigningChain,
    edit_c2pa,
    jpeg_with_comment,
    photo,
    resaved,
    save_jpeg,
    save_png,
    sign_c2pa,
    tampered,
    xmp_packet,
)

SHIPPED_ANCHORS = VisualContext().trust_anchors


@pytest.fixture(scope="module")
def chain() -> SigningChain:
    return SigningChain.create()


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, chain: SigningChain) -> Path:
    folder = tmp_path_factory.mktemp("c2pa")
    return sign_c2pa(save_jpeg(folder / "source.jpg", photo()), folder / "generated.jpg", chain)


def run(path: Path, brief: VisualBrief | None = None, anchors: Path = SHIPPED_ANCHORS) -> VisualReport:
    report = check_image(
        path,
        brief=brief or VisualBrief(),
        ctx=VisualContext(trust_anchors=anchors),
        steps=[ProvenanceStep(), LabellingStep()],
    )
    assert [(s.name, s.status, s.error) for s in report.steps] == [
        ("provenance", "ok", ""),
        ("labelling", "ok", ""),
    ]
    return report


def decisions(report: VisualReport) -> dict[tuple[str, str], LabelDecision]:
    return {(d.channel, d.rule): d for d in report.state.decisions}


def required(report: VisualReport) -> dict[tuple[str, str], bool]:
    return {key: d.required for key, d in decisions(report).items()}


def as_json(report: VisualReport) -> Any:
    return json.loads(json.dumps(report.as_dict()))


def rules(report: VisualReport) -> set[str]:
    return {f.rule for f in report.state.findings}


def test_a_c2pa_manifest_signed_by_a_listed_ca_is_valid_trusted_and_generated(
    tmp_path: Path, chain: SigningChain, signed: Path
) -> None:
    report = run(signed, VisualBrief(realistic_product=True), anchors=chain.anchors(tmp_path / "anchors.pem"))
    c2pa = report.state.provenance.c2pa
    assert (c2pa.present, c2pa.valid, c2pa.trusted) == (True, True, True)
    assert c2pa.actions == ("c2pa.created",)
    assert c2pa.digital_source_types == ("trainedAlgorithmicMedia",)
    assert c2pa.signer == "Test Generator (Test Studio)"
    assert c2pa.claim_generator.startswith("Test Image Generator 2.1")
    assert report.state.provenance.ai_signal == "generated"
    assert not rules(report) & {
        "provenance.c2pa_untrusted",
        "provenance.c2pa_invalid",
    }
    assert required(report) == {
        ("tiktok", "eu_ai_act_art50_4"): True,
        ("tiktok", "tiktok_aigc"): True,
        ("tiktok", "de_uwg_5"): True,
        ("meta", "eu_ai_act_art50_4"): True,
        ("meta", "meta_ai_info"): False,
        ("meta", "de_uwg_5"): True,
        ("web", "eu_ai_act_art50_4"): True,
        ("web", "de_uwg_5"): True,
    }
    by_key = decisions(report)
    eu = by_key[("web", "eu_ai_act_art50_4")]
    assert (eu.label_en, eu.label_de) == ("AI-generated", "KI-generiert")
    assert "top-right" in eu.reason_en and "oben rechts" in eu.reason_de
    # TikTok labels uploads with AI Content Credentials by itself.
    assert "Content Credentials" in by_key[("tiktok", "tiktok_aigc")].reason_en
    assert "will probably show 'AI info'" in by_key[("meta", "meta_ai_info")].reason_en
    assert as_json(report)["provenance"]["c2pa"]["trusted"] is True


def test_an_edit_of_a_generated_image_keeps_the_source_type_of_its_parent(
    tmp_path: Path, chain: SigningChain, signed: Path
) -> None:
    edited = edit_c2pa(signed, tmp_path / "edited.jpg", chain)
    c2pa = run(edited, anchors=chain.anchors(tmp_path / "anchors.pem")).state.provenance.c2pa
    assert (c2pa.valid, c2pa.trusted) == (True, True)
    assert c2pa.actions == ("c2pa.opened", "c2pa.color_adjustments")
    assert c2pa.claim_generator.startswith("Test Photo Editor 5.0")
    assert c2pa.digital_source_types == ("trainedAlgorithmicMedia",)


def test_a_c2pa_manifest_from_a_ca_not_on_the_list_is_valid_but_untrusted(
    tmp_path: Path, signed: Path
) -> None:
    other = SigningChain.create("Somebody Else")
    report = run(signed, VisualBrief(realistic_product=True), anchors=other.anchors(tmp_path / "anchors.pem"))
    c2pa = report.state.provenance.c2pa
    assert (c2pa.present, c2pa.valid, c2pa.trusted) == (True, True, False)
    assert any(e.startswith("signingCredential.untrusted") for e in c2pa.validation_errors)
    (finding,) = [f for f in report.state.findings if f.rule == "provenance.c2pa_untrusted"]
    assert finding.severity == "warn" and "signingCredential.untrusted" in finding.evidence
    # What an untrusted manifest says still counts as a signal, so the labels are the same.
    assert report.state.provenance.ai_signal == "generated"
    assert required(report)[("tiktok", "eu_ai_act_art50_4")] is True


def test_the_shipped_trust_list_loads_and_does_not_trust_a_test_ca(signed: Path) -> None:
    assert anchor_certificates(SHIPPED_ANCHORS).count("BEGIN CERTIFICATE") >= 50
    c2pa = run(signed).state.provenance.c2pa
    assert (c2pa.present, c2pa.valid, c2pa.trusted) == (True, True, False)


def test_an_empty_anchor_file_trusts_nobody(tmp_path: Path, signed: Path) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_text("# no anchors\n")
    report = run(signed, anchors=empty)
    c2pa = report.state.provenance.c2pa
    assert (c2pa.present, c2pa.valid, c2pa.trusted) == (True, True, False)
    (finding,) = [f for f in report.state.findings if f.rule == "provenance.c2pa_untrusted"]
    assert "no trust anchors are configured" in finding.evidence


def test_a_changed_file_breaks_the_manifest(tmp_path: Path, chain: SigningChain) -> None:
    source = jpeg_with_comment(tmp_path / "source.jpg", photo(seed=3))
    path = tampered(sign_c2pa(source, tmp_path / "signed.jpg", chain))
    report = run(path, anchors=chain.anchors(tmp_path / "anchors.pem"))
    c2pa = report.state.provenance.c2pa
    assert (c2pa.present, c2pa.valid, c2pa.trusted) == (True, False, False)
    (finding,) = [f for f in report.state.findings if f.rule == "provenance.c2pa_invalid"]
    assert "assertion.dataHash.mismatch" in finding.evidence


def test_b_iptc_digital_source_type_in_a_jpeg_xmp_packet_reads_as_generated(tmp_path: Path) -> None:
    xmp = xmp_packet("trainedAlgorithmicMedia", "attribute", creator_tool="Midjourney")
    path = save_jpeg(tmp_path / "mj.jpg", photo(), xmp=xmp)
    report = run(path, VisualBrief(realistic_person=True))
    provenance = report.state.provenance
    assert provenance.iptc_digital_source_type == "trainedAlgorithmicMedia"
    assert (provenance.c2pa.present, provenance.generator, provenance.ai_signal) == (
        False,
        "midjourney",
        "generated",
    )
    assert "provenance.none_found" not in rules(report)
    assert required(report) == {
        ("tiktok", "eu_ai_act_art50_4"): True,
        ("tiktok", "tiktok_aigc"): True,
        ("tiktok", "de_uwg_5"): True,
        ("meta", "eu_ai_act_art50_4"): True,
        ("meta", "meta_ai_info"): True,
        ("meta", "de_uwg_5"): True,
        ("web", "eu_ai_act_art50_4"): True,
        ("web", "de_uwg_5"): True,
    }
    by_key = decisions(report)
    meta = by_key[("meta", "meta_ai_info")]
    assert (meta.label_en, meta.label_de) == ("AI info", "KI-Info")
    assert "'Sponsored'" in meta.reason_en
    assert "Content Credentials" not in by_key[("tiktok", "tiktok_aigc")].reason_en  # no C2PA, no auto-label
    assert "Anhang Nr. 23" in by_key[("web", "de_uwg_5")].reason_en


def test_b_iptc_element_form_in_a_png_reads_the_same(tmp_path: Path) -> None:
    path = save_png(
        tmp_path / "element.png", photo(), xmp=xmp_packet("compositeWithTrainedAlgorithmicMedia", "element")
    )
    provenance = run(path).state.provenance
    assert provenance.iptc_digital_source_type == "compositeWithTrainedAlgorithmicMedia"
    assert provenance.ai_signal == "composite"


def test_c_stable_diffusion_parameters_name_a1111_and_read_as_generated(tmp_path: Path) -> None:
    path = save_png(tmp_path / "sd.png", photo(), text={"parameters": SD_PARAMETERS})
    report = run(path, VisualBrief(is_ad=False))
    provenance = report.state.provenance
    assert (provenance.generator, provenance.ai_signal) == ("a1111", "generated")
    assert provenance.generator_parameters.startswith("photo of a woman holding a jar")
    assert "Steps: 28" in provenance.generator_parameters and "\n" not in provenance.generator_parameters
    # Not an ad, no realistic person or product marked, no face found: no duty, but the reasons say when.
    assert required(report) == {
        ("tiktok", "eu_ai_act_art50_4"): False,
        ("tiktok", "tiktok_aigc"): False,
        ("meta", "eu_ai_act_art50_4"): False,
        ("meta", "meta_ai_info"): False,
        ("web", "eu_ai_act_art50_4"): False,
    }
    by_key = decisions(report)
    assert "real photo" in by_key[("web", "eu_ai_act_art50_4")].reason_en
    assert "no C2PA/IPTC mark" in by_key[("meta", "meta_ai_info")].reason_en


def test_c_comfyui_chunks_name_comfyui_with_the_prompt_texts(tmp_path: Path) -> None:
    long_text = {"9": {"class_type": "CLIPTextEncode", "inputs": {"text": "word " * 200}}}
    text = {"prompt": json.dumps(COMFYUI_PROMPT | long_text), "workflow": json.dumps({"nodes": []})}
    provenance = run(save_png(tmp_path / "comfy.png", photo(), text=text)).state.provenance
    assert provenance.generator == "comfyui"
    assert provenance.generator_parameters.startswith("a bottle of shampoo on wet stones | watermark, text")
    assert len(provenance.generator_parameters) == 300 and provenance.generator_parameters.endswith("…")


def test_d_a_clean_camera_photo_has_no_signals_and_the_labels_wait_for_a_declaration(tmp_path: Path) -> None:
    path = save_jpeg(tmp_path / "camera.jpg", photo(seed=7), camera=True)
    report = run(path)
    provenance = report.state.provenance
    assert provenance.c2pa.present is False
    assert (provenance.iptc_digital_source_type, provenance.generator_parameters, provenance.generator) == (
        "",
        "",
        "",
    )
    assert provenance.ai_signal == ""
    assert not report.state.findings  # missing provenance proves nothing, so it is no finding
    assert as_json(report)["provenance"]["signals_prove_nothing_when_absent"] is True
    assert set(required(report).values()) == {False}
    assert len(report.state.decisions) == 8
    for decision in report.state.decisions:
        assert "Declare whether AI was used" in decision.reason_en
        assert "Gib an, ob KI genutzt wurde" in decision.reason_de
        assert decision.as_dict()["label"] is None


def test_a_format_without_c2pa_support_reads_as_no_manifest(tmp_path: Path) -> None:
    path = tmp_path / "plain.bmp"
    Image.fromarray(photo()).save(path)
    report = run(path)
    assert report.state.provenance.c2pa.present is False
    assert report.state.provenance.ai_signal == ""


def test_e_metadata_lost_between_two_versions_is_listed_as_stripped(tmp_path: Path) -> None:
    v1 = save_png(
        tmp_path / "v1.png",
        photo(seed=2),
        text={"parameters": SD_PARAMETERS},
        xmp=xmp_packet("trainedAlgorithmicMedia"),
    )
    v2 = resaved(v1, tmp_path / "v2.png")
    report = run(v2, VisualBrief(previous_version=v1))
    provenance = report.state.provenance
    assert provenance.stripped == ("iptc_digital_source_type", "generator_parameters")
    (finding,) = [f for f in report.state.findings if f.rule == "provenance.stripped"]
    assert finding.severity == "warn"
    assert "v1.png" in finding.evidence and "trainedAlgorithmicMedia" in finding.evidence
    assert "Code of Practice" in finding.citation and "tiktok" in finding.citation
    assert "merchant center" in finding.citation.lower()
    assert report.state.provenance.ai_signal == ""  # this file alone says nothing of AI
    web = decisions(report)[("web", "eu_ai_act_art50_4")]
    assert web.required is False and "earlier version carried provenance marks" in web.reason_en
    assert as_json(report)["provenance"]["stripped"] == ["iptc_digital_source_type", "generator_parameters"]


def test_e_a_c2pa_manifest_lost_in_a_re_save_is_listed_as_stripped(tmp_path: Path, signed: Path) -> None:
    v2 = resaved(signed, tmp_path / "v2.jpg")
    report = run(v2, VisualBrief(previous_version=signed))
    assert report.state.provenance.stripped == ("c2pa",)
    assert "provenance.stripped" in rules(report)


def test_a_version_that_kept_its_marks_is_not_stripped(tmp_path: Path) -> None:
    xmp = xmp_packet("trainedAlgorithmicMedia")
    v1 = save_jpeg(tmp_path / "v1.jpg", photo(), xmp=xmp)
    v2 = save_jpeg(tmp_path / "v2.jpg", photo(seed=4), xmp=xmp)
    report = run(v2, VisualBrief(previous_version=v1))
    assert report.state.provenance.stripped == ()
    assert "provenance.stripped" not in rules(report)


def test_exif_software_is_read_and_a_generator_name_in_it_is_recognised(tmp_path: Path) -> None:
    path = save_jpeg(tmp_path / "edit.jpg", photo(), software="Adobe Photoshop 26.1 (Windows)")
    report = run(path)
    assert report.state.provenance.exif_software == "Adobe Photoshop 26.1 (Windows)"
    assert report.state.provenance.generator == ""
    assert report.state.provenance.ai_signal == ""
    assert generator_from_names("", "DALL·E 3 via ChatGPT") == "openai"
    assert generator_from_names("Google C2PA Core for Pixel") == ""  # a camera is not a generator


def test_xmp_with_an_rdf_resource_or_an_entity_attack_is_read_safely() -> None:
    resource = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        b'<Iptc4xmpExt:DigitalSourceType rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"/>'
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    assert xmp_fields(resource) == {"digital_source_type": "digitalCapture"}
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&b;</rdf:RDF>'
    )
    assert xmp_fields(bomb) == {}
    assert xmp_fields(b"not xml at all") == {}
