"""Where the image says it comes from: a C2PA manifest (signed), the IPTC digital source type in XMP
(unsigned), the generator's own metadata (Stable Diffusion / ComfyUI text chunks, EXIF Software), and
what an earlier version of the asset carried that this one lacks.

Signals are read from the original file, never fetched: remote manifests and OCSP stay off, and a
signer counts as trusted only when it chains to a certificate in `ctx.trust_anchors`. The absence of
every signal proves nothing, since platforms, screenshots and many export paths drop metadata.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import c2pa
from cryptography import x509
from defusedxml import ElementTree

from creatordesk.engine.visuals.check import VisualState
from creatordesk.engine.visuals.context import VisualContext
from creatordesk.engine.visuals.load import LoadedImage, load_image
from creatordesk.engine.visuals.types import (
    C2paManifest,
    Provenance,
    Severity,
    VisualFinding,
    VisualInputError,
)

# Namespaces of the XMP properties read here (IPTC Photo Metadata Standard, XMP Basic).
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
XMP_BASIC = "http://ns.adobe.com/xap/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PARAMETERS_LIMIT = 300
_XMP_PACKET = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.DOTALL)
_CERT = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)
# c2pa-rs records "http://c2pa.org/digitalsourcetype/empty" when the source is unknown: it says nothing.
_EMPTY_SOURCE_TYPE = "empty"
# Text chunks that AI image tools write into PNGs (A1111 and Forge `parameters`, ComfyUI
# `prompt`/`workflow`, InvokeAI `invokeai_metadata`/`sd-metadata`), in order of preference.
_PARAMETER_CHUNKS = {
    "parameters": "a1111", "prompt": "comfyui", "workflow": "comfyui",
    "invokeai_metadata": "invokeai", "sd-metadata": "invokeai",
}  # fmt: skip
# Names in Software, xmp:CreatorTool or the C2PA claim generator that identify an image generator.
# Camera and editor names stay out: a Pixel phone signs with Google, Photoshop is not a generator.
_GENERATOR_NAMES = {
    "midjourney": "midjourney", "firefly": "firefly", "dall-e": "openai", "dall·e": "openai",
    "chatgpt": "openai", "gpt-image": "openai", "openai": "openai", "imagen": "google", "gemini": "google",
    "stable diffusion": "stable_diffusion", "dreamstudio": "stable_diffusion",
    "stability ai": "stable_diffusion", "automatic1111": "a1111", "comfyui": "comfyui",
    "invokeai": "invokeai", "fooocus": "fooocus", "novelai": "novelai", "leonardo": "leonardo",
    "ideogram": "ideogram", "black forest labs": "flux",
}  # fmt: skip
SIGNALS = ("c2pa", "iptc_digital_source_type", "generator_parameters", "exif_software")

CITE_STRIPPED = (
    "EU Code of Practice on marking and labelling AI-generated content (10 Jun 2026), no removal of "
    "existing markings: https://www.scl.org/european-commission-publishes-code-of-practice-on-marking-and-"
    "labelling-ai-generated-content/; TikTok auto-labels C2PA uploads: "
    "https://support.tiktok.com/en/using-tiktok/creating-videos/ai-generated-content; Google Merchant Center "
    "asks to keep embedded AI metadata: https://www.iptc.org/news/2024/02/"
)
CITE_C2PA = (
    "C2PA Trust List: https://github.com/c2pa-org/conformance-public/tree/main/trust-list; c2pa-python "
    "validation: https://github.com/contentauth/c2pa-python/blob/main/docs/context-settings.md"
)


def anchor_certificates(path: Path) -> str:
    """The PEM certificates in the anchor file that parse, joined; "" when there are none (or no file)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return ""
    return _parsed_anchors(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _parsed_anchors(path: str, mtime_ns: int, size: int) -> str:
    # Keyed on the file's change time and size so that an edited anchor file is read again.
    try:
        text = Path(path).read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    blocks = []
    for block in _CERT.findall(text):
        try:
            x509.load_pem_x509_certificate(block.encode("ascii"))
        except ValueError:
            continue  # one broken entry must not make every manifest unreadable
        blocks.append(block)
    return "\n".join(blocks) + "\n" if blocks else ""


def _reader_settings(anchors: str) -> dict[str, Any]:
    # Offline reading: c2pa-python's defaults fetch remote manifests (`verify.remote_manifest_fetch`),
    # and `core.allowed_network_hosts: []` closes every other way out. Settings names:
    # https://github.com/contentauth/c2pa-python/blob/main/docs/context-settings.md
    verify: dict[str, Any] = {"remote_manifest_fetch": False, "ocsp_fetch": False}
    settings: dict[str, Any] = {"verify": verify, "core": {"allowed_network_hosts": []}}
    if anchors:
        # `trust_anchors` replaces the SDK's built-in anchors, so only the configured list counts.
        settings["trust"] = {"trust_anchors": anchors}
    else:
        # An empty anchor string is a parse error in c2pa-rs; without anchors nothing is trusted.
        verify["verify_trust"] = False
    return settings


def _source_type(value: object) -> str:
    """The IPTC code from its URL: ".../digitalsourcetype/trainedAlgorithmicMedia" -> "trainedAlgorithmicMedia"."""
    text = str(value or "").strip().rstrip("/")
    return text.rsplit("/", 1)[-1]


def _actions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for assertion in manifest.get("assertions") or []:
        label = str(assertion.get("label", ""))
        if label == "c2pa.actions" or label.startswith("c2pa.actions."):
            found.extend(a for a in (assertion.get("data") or {}).get("actions") or [] if isinstance(a, dict))
    return found


def _lineage(store: dict[str, Any]) -> list[dict[str, Any]]:
    """The active manifest and the manifests of the assets it was opened from (`parentOf`), newest first.

    Placed parts (`componentOf`) stay out: the active manifest records a composite itself."""
    manifests = store.get("manifests") or {}
    label, chain, seen = store.get("active_manifest"), [], set()
    while label in manifests and label not in seen:
        seen.add(label)
        manifest = manifests[label]
        chain.append(manifest)
        parents = [i for i in manifest.get("ingredients") or [] if i.get("relationship") == "parentOf"]
        label = parents[0].get("active_manifest") if parents else None
    return chain


def _claim_generator(manifest: dict[str, Any]) -> str:
    if manifest.get("claim_generator"):
        return str(manifest["claim_generator"])
    parts = []
    for info in manifest.get("claim_generator_info") or []:
        parts.append(" ".join(str(info[k]) for k in ("name", "version") if info.get(k)))
    return ", ".join(p for p in parts if p)


def _signer(manifest: dict[str, Any]) -> str:
    info = manifest.get("signature_info") or {}
    name, issuer = str(info.get("common_name") or ""), str(info.get("issuer") or "")
    if name and issuer and issuer != name:
        return f"{name} ({issuer})"
    return name or issuer


def _validation_errors(store: dict[str, Any]) -> tuple[str, ...]:
    errors = []
    for status in store.get("validation_status") or []:
        code, explanation = status.get("code", ""), status.get("explanation", "")
        errors.append(f"{code}: {explanation}" if explanation else str(code))
    return tuple(dict.fromkeys(errors))[:10]


def _manifest_from_store(store: dict[str, Any], state: str | None, anchored: bool) -> C2paManifest:
    chain = _lineage(store)
    active = chain[0] if chain else {}
    source_types = [_source_type(a.get("digitalSourceType")) for m in chain for a in _actions(m)]
    errors = _validation_errors(store)
    valid = state in ("Valid", "Trusted") if state else not errors
    return C2paManifest(
        present=True,
        valid=valid,
        trusted=anchored and state == "Trusted",
        signer=_signer(active),
        claim_generator=_claim_generator(active),
        actions=tuple(dict.fromkeys(str(a.get("action", "")) for a in _actions(active) if a.get("action"))),
        digital_source_types=tuple(dict.fromkeys(t for t in source_types if t and t != _EMPTY_SOURCE_TYPE)),
        validation_errors=errors,
    )


def _has_jumbf(path: Path) -> bool:
    # A C2PA manifest store is a JUMBF superbox (type "jumb") labelled "c2pa" (C2PA specification, "Manifest Store").
    try:
        data = Path(path).read_bytes()
    except OSError:
        return False
    return b"jumb" in data and b"c2pa" in data


def read_c2pa(path: Path, anchors_path: Path) -> C2paManifest:
    """The C2PA manifest store embedded in the file, validated against the anchors in `anchors_path`."""
    anchors = anchor_certificates(anchors_path)
    try:
        context = c2pa.Context.from_dict(_reader_settings(anchors))
        try:
            reader = c2pa.Reader.try_create(str(path), context=context)
        finally:
            context.close()
    except c2pa.C2paError.NotSupported:
        return C2paManifest(present=False)
    except c2pa.C2paError.RemoteManifest as exc:
        return C2paManifest(
            present=True, validation_errors=(f"remote manifest not fetched (offline): {exc}",)
        )
    except c2pa.C2paError as exc:
        if not _has_jumbf(path):  # the container confused the reader, but no manifest is there
            return C2paManifest(present=False)
        return C2paManifest(present=True, validation_errors=(f"{type(exc).__name__.lstrip('_')}: {exc}",))
    if reader is None:
        return C2paManifest(present=False)
    try:
        store = json.loads(reader.json())
        state = reader.get_validation_state()
    finally:
        reader.close()
    return _manifest_from_store(store, state, bool(anchors))


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return b""


def xmp_packet(image: LoadedImage) -> bytes:
    """The XMP packet: as Pillow read it (JPEG, PNG, WebP; TIFF tag 700), else found in the raw file."""
    for value in (image.info.get("xmp"), image.info.get("XML:com.adobe.xmp"), image.exif.get(700)):
        if packet := _as_bytes(value):
            return packet
    try:
        match = _XMP_PACKET.search(image.path.read_bytes())
    except OSError:
        return b""
    return match.group(0) if match else b""


def _xmp_values(element: Any, namespace: str, name: str) -> list[str]:
    """Values of one property in attribute form, element text form, or `rdf:resource` form."""
    key = f"{{{namespace}}}{name}"
    values = []
    if key in element.attrib:
        values.append(element.attrib[key])
    if element.tag == key:
        values.append(element.attrib.get(f"{{{RDF}}}resource") or "".join(element.itertext()))
    return [v.strip() for v in values if v and v.strip()]


def xmp_fields(packet: bytes) -> dict[str, str]:
    """`digital_source_type` (the IPTC code) and `creator_tool` from an XMP packet, where present."""
    match = _XMP_PACKET.search(packet)
    try:
        root = ElementTree.fromstring(match.group(0) if match else packet.strip(b"\x00 \r\n\t"))
    except (ElementTree.ParseError, ValueError):  # defusedxml refuses entities and DTDs (ValueError)
        return {}
    fields: dict[str, str] = {}
    for element in root.iter():
        for field, namespace, name in (
            ("digital_source_type", IPTC_EXT, "DigitalSourceType"),
            ("creator_tool", XMP_BASIC, "CreatorTool"),
        ):
            values = _xmp_values(element, namespace, name)
            if values and field not in fields:
                fields[field] = _source_type(values[0]) if field == "digital_source_type" else values[0]
    return fields


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PARAMETERS_LIMIT else text[: PARAMETERS_LIMIT - 1] + "…"


def _comfyui_prompts(text: str) -> str | None:
    """The prompt texts of a ComfyUI graph, or None when the chunk is not a ComfyUI JSON graph."""
    try:
        graph = json.loads(text)
    except ValueError:
        return None
    if not isinstance(graph, dict):
        return None
    # API format (`prompt`): {id: node}; UI format (`workflow`): {"nodes": [node, ...]}.
    nodes: list[Any] = graph["nodes"] if isinstance(graph.get("nodes"), list) else list(graph.values())
    texts = []
    for node in nodes:
        inputs = node.get("inputs") if isinstance(node, dict) else None
        if isinstance(inputs, dict) and isinstance(inputs.get("text"), str):
            texts.append(inputs["text"])
        elif isinstance(node, dict) and node.get("type") == "CLIPTextEncode":
            texts.extend(str(w) for w in node.get("widgets_values") or [] if isinstance(w, str))
    return " | ".join(t for t in texts if t.strip()) or text


def generator_parameters(info: dict[str, object]) -> tuple[str, str]:
    """(generator, shortened parameters) from the text chunks AI tools write, or ("", "")."""
    for chunk, generator in _PARAMETER_CHUNKS.items():
        value = info.get(chunk)
        if not isinstance(value, str | bytes) or not value:
            continue
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        if generator == "comfyui":
            prompts = _comfyui_prompts(text)
            if prompts is None:
                continue  # a `prompt` chunk that is not a ComfyUI graph names no generator
            text = prompts
        return generator, _shortened(text)
    return "", ""


def generator_from_names(*names: str) -> str:
    """The generator a Software / CreatorTool / claim generator string names, or ""."""
    for name in names:
        lowered = name.lower()
        for needle, generator in _GENERATOR_NAMES.items():
            if needle in lowered:
                return generator
    return ""


def _software(image: LoadedImage) -> str:
    value = image.exif.get(305) or image.info.get("Software") or ""  # EXIF tag 305, or a PNG text chunk
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).strip("\x00 ").strip()


def read_provenance(image: LoadedImage, ctx: VisualContext) -> Provenance:
    """Every provenance signal in one loaded image (without the comparison with earlier versions)."""
    manifest = read_c2pa(image.path, ctx.trust_anchors)
    fields = xmp_fields(xmp_packet(image))
    software = _software(image)
    chunk_generator, parameters = generator_parameters(image.info)
    names = (manifest.claim_generator, software, fields.get("creator_tool", ""))
    return Provenance(
        c2pa=manifest,
        iptc_digital_source_type=fields.get("digital_source_type", ""),
        exif_software=software,
        generator_parameters=parameters,
        generator=chunk_generator or generator_from_names(*names),
    )


def present_signals(provenance: Provenance) -> tuple[str, ...]:
    """Which of SIGNALS the provenance carries."""
    p = provenance
    carried = (p.c2pa.present, p.iptc_digital_source_type, p.generator_parameters, p.exif_software)
    return tuple(signal for signal, value in zip(SIGNALS, carried, strict=True) if value)


def stripped_signals(earlier: Provenance, now: Provenance) -> tuple[str, ...]:
    """Signals the earlier version carried and this one lacks."""
    kept = set(present_signals(now))
    return tuple(s for s in present_signals(earlier) if s not in kept)


def _describe(provenance: Provenance) -> str:
    parts = []
    if provenance.c2pa.present:
        types = ", ".join(provenance.c2pa.digital_source_types) or "no source type"
        parts.append(f"a C2PA manifest ({types})")
    if provenance.iptc_digital_source_type:
        parts.append(f"IPTC DigitalSourceType {provenance.iptc_digital_source_type}")
    if provenance.generator_parameters:
        parts.append(f"{provenance.generator or 'generator'} parameters")
    if provenance.exif_software:
        parts.append(f"Software '{provenance.exif_software}'")
    return "; ".join(parts)


def _finding(
    rule: str, severity: Severity, evidence: str, explanation: str, citation: str = ""
) -> VisualFinding:
    return VisualFinding(rule, "provenance", severity, evidence, explanation, citation)


def _stripped_finding(earlier: Provenance, now: Provenance, name: str) -> VisualFinding:
    return _finding(
        "provenance.stripped",
        "warn",
        f"The earlier version {name} carried {_describe(earlier)}; this file lacks {', '.join(now.stripped)}.",
        (
            "An export or editing step removed provenance marks. Platforms label AI content from these "
            "marks, the EU Code of Practice asks that existing markings are not removed, and Google "
            "Merchant Center asks to keep them: export again with metadata kept."
        ),
        CITE_STRIPPED,
    )


def _c2pa_finding(manifest: C2paManifest, anchored: bool) -> VisualFinding | None:
    if not manifest.present or manifest.trusted:
        return None
    errors = "; ".join(manifest.validation_errors) or "no details"
    if manifest.valid:
        why = "its signer chains to none of the configured trust anchors"
        if not anchored:
            why = "no trust anchors are configured, so no signer can be trusted"
        rule, seen = "provenance.c2pa_untrusted", f"The C2PA manifest is intact, but {why} ({errors})."
    else:
        rule, seen = "provenance.c2pa_invalid", f"The C2PA manifest does not validate: {errors}."
    return _finding(
        rule,
        "warn",
        f"{seen} Signer: {manifest.signer or 'unknown'}.",
        "An unverified manifest may be forged or out of date, and platforms may ignore or flag it; "
        "what it says about AI use is still shown but is not proven.",
        CITE_C2PA,
    )


def _earlier_provenance(path: Path, ctx: VisualContext) -> Provenance | VisualFinding:
    try:
        return read_provenance(load_image(path, ctx), ctx)
    except VisualInputError as exc:
        return _finding(
            "provenance.previous_version_unreadable",
            "info",
            str(exc),
            "The earlier version could not be read, so stripped provenance was not checked.",
        )


class ProvenanceStep:
    """Reads the provenance signals of the image (and of its earlier version, when the brief names one)."""

    name = "provenance"

    def applies_to(self, state: VisualState) -> bool:
        return True

    def run(self, state: VisualState, ctx: VisualContext) -> None:
        provenance = read_provenance(state.image, ctx)
        findings: list[VisualFinding] = []
        previous = state.brief.previous_version
        if previous is not None:
            earlier = _earlier_provenance(Path(previous), ctx)
            if isinstance(earlier, VisualFinding):
                findings.append(earlier)
            elif stripped := stripped_signals(earlier, provenance):
                provenance = replace(provenance, stripped=stripped)
                findings.append(_stripped_finding(earlier, provenance, Path(previous).name))
        if finding := _c2pa_finding(provenance.c2pa, bool(anchor_certificates(ctx.trust_anchors))):
            findings.append(finding)
        # No signal is not a finding: missing provenance proves nothing (OpenAI: C2PA "can easily be
        # removed", most platforms strip it, https://help.openai.com/en/articles/8912793-c2pa-in-dall-e-3);
        # the report says so, and the label then rests on the user's declaration.
        state.provenance = provenance
        state.findings.extend(findings)


__all__ = [
    "SIGNALS", "ProvenanceStep", "anchor_certificates", "generator_from_names", "generator_parameters",
    "present_signals", "read_c2pa", "read_provenance", "stripped_signals", "xmp_fields", "xmp_packet",
]  # fmt: skip
