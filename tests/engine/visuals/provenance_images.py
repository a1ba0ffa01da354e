"""Test images that carry provenance marks, made in the tests: C2PA manifests signed with a throw-away
certificate chain, XMP packets with an IPTC digital source type, Stable Diffusion and ComfyUI text
chunks, and a camera-like photo with none of them."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import c2pa
import numpy as np
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, PngImagePlugin

IPTC_TYPES = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SD_PARAMETERS = (
    "photo of a woman holding a jar of face cream, studio light\n"
    "Negative prompt: blurry, text\n"
    "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 1234, Size: 96x64, Model: sdxl_base_1.0"
)
COMFYUI_PROMPT = {
    "3": {"class_type": "KSampler", "inputs": {"seed": 5, "steps": 20}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a bottle of shampoo on wet stones"}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "watermark, text"}},
}
# A test swaps this JPEG comment for one of the same length after signing, so the image still opens.
COMMENT = b"original comment"


def photo(width: int = 96, height: int = 64, seed: int = 0) -> np.ndarray:
    """Gradients under sensor-like noise: a picture with nothing in it that names its origin."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width]
    base = np.stack([xs / width * 200, ys / height * 180, (xs + ys) / (width + height) * 150], axis=-1) + 30
    return np.clip(base + rng.normal(0, 12, base.shape), 0, 255).astype(np.uint8)


def xmp_packet(source_type: str, form: str = "attribute", creator_tool: str = "") -> bytes:
    """An XMP packet with Iptc4xmpExt:DigitalSourceType as an attribute or as an element."""
    url = IPTC_TYPES + source_type
    tool = f' xmp:CreatorTool="{creator_tool}"' if creator_tool else ""
    if form == "attribute":
        body = f'<rdf:Description rdf:about=""{tool} Iptc4xmpExt:DigitalSourceType="{url}"/>'
    else:
        body = (
            f'<rdf:Description rdf:about=""{tool}>'
            f"<Iptc4xmpExt:DigitalSourceType>{url}</Iptc4xmpExt:DigitalSourceType></rdf:Description>"
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f'{body}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def save_jpeg(
    path: Path, rgb: np.ndarray, *, xmp: bytes = b"", camera: bool = False, software: str = ""
) -> Path:
    """A JPEG, with an XMP packet, camera EXIF (make, model, exposure) or an EXIF Software tag."""
    image = Image.fromarray(rgb)
    exif = Image.Exif()
    if camera:
        exif[271], exif[272] = "Canon", "Canon EOS R6"  # Make, Model
        exif[306] = "2026:11:20 10:15:00"  # DateTime
    if software:
        exif[305] = software
    options: dict[str, object] = {"quality": 92, "exif": exif.tobytes()}
    if xmp:
        options["xmp"] = xmp  # Pillow writes an APP1 XMP segment for JPEG since 11.0
    image.save(path, "JPEG", **options)
    return path


def save_png(path: Path, rgb: np.ndarray, *, text: dict[str, str] | None = None, xmp: bytes = b"") -> Path:
    """A PNG with tEXt chunks (generator parameters) and an iTXt XMP packet."""
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    if xmp:
        info.add_itxt("XML:com.adobe.xmp", xmp.decode())  # Pillow's PNG writer has no `xmp=` option
    Image.fromarray(rgb).save(path, "PNG", pnginfo=info)
    return path


def resaved(source: Path, target: Path) -> Path:
    """The same pixels saved again the way many export paths do: without any metadata."""
    with Image.open(source) as image:
        Image.fromarray(np.asarray(image.convert("RGB"))).save(target)
    return target


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Studio"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, sign: bool, certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=certs, crl_sign=certs, encipher_only=False, decipher_only=False,
    )  # fmt: skip


@dataclass(frozen=True)
class SigningChain:
    """A throw-away root CA and a claim-signing certificate it issued (ES256, P-256)."""

    ca_pem: bytes
    chain_pem: bytes  # signer first, then the CA, as a C2PA signer presents it
    key_pem: bytes

    @classmethod
    def create(cls, name: str = "Test Generator") -> SigningChain:
        # The C2PA certificate profile: a CA with keyCertSign, a leaf with digitalSignature and an
        # allowed extended key usage (emailProtection), key identifiers linking the two.
        now = datetime.datetime.now(datetime.UTC)
        validity = (now - datetime.timedelta(days=1), now + datetime.timedelta(days=30))
        ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
        ca = (
            x509.CertificateBuilder()
            .subject_name(_name("Test Root CA"))
            .issuer_name(_name("Test Root CA"))
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(validity[0])
            .not_valid_after(validity[1])
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_key_usage(sign=False, certs=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        leaf = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(validity[0])
            .not_valid_after(validity[1])
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(sign=True, certs=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        return cls(
            ca_pem=ca.public_bytes(pem),
            chain_pem=leaf.public_bytes(pem) + ca.public_bytes(pem),
            key_pem=key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        )

    def anchors(self, path: Path, *others: bytes) -> Path:
        """A trust-anchor file holding this chain's CA (and any other PEM given)."""
        path.write_bytes(b"# test anchors\n" + self.ca_pem + b"".join(others))
        return path


def _sign(source: Path, target: Path, chain: SigningChain, manifest: Mapping[str, Any], edit: bool) -> Path:
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain.chain_pem, chain.key_pem, None)
    )
    builder_settings: dict[str, Any] = {"thumbnail": {"enabled": False}}
    if edit:  # the source stream becomes the `parentOf` ingredient, with a `c2pa.opened` action
        builder_settings["intent"] = "edit"
    context = c2pa.Context.from_dict({"builder": builder_settings})
    mime = "image/png" if source.suffix == ".png" else "image/jpeg"
    try:
        builder = c2pa.Builder(json.dumps(manifest), context=context)
        with source.open("rb") as src, target.open("w+b") as dst:
            builder.sign(signer, mime, src, dst)
    finally:
        signer.close()
        context.close()
    return target


def sign_c2pa(
    source: Path,
    target: Path,
    chain: SigningChain,
    *,
    action: str = "c2pa.created",
    source_type: str = "trainedAlgorithmicMedia",
    generator: str = "Test Image Generator",
) -> Path:
    """`source` with an embedded C2PA manifest: one `c2pa.actions` entry with the IPTC source type."""
    actions = [{"action": action, "digitalSourceType": IPTC_TYPES + source_type}]
    manifest = {
        "claim_generator_info": [{"name": generator, "version": "2.1"}],
        "title": target.name,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}],
    }
    return _sign(source, target, chain, manifest, edit=False)


def edit_c2pa(
    source: Path, target: Path, chain: SigningChain, action: str = "c2pa.color_adjustments"
) -> Path:
    """A signed edit of a signed `source`: the source becomes the parent ingredient, the new manifest
    records only `c2pa.opened` and `action`, with no source type of its own."""
    manifest = {
        "claim_generator_info": [{"name": "Test Photo Editor", "version": "5.0"}],
        "title": target.name,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [{"action": action}]}}],
    }
    return _sign(source, target, chain, manifest, edit=True)


def jpeg_with_comment(path: Path, rgb: np.ndarray) -> Path:
    """A JPEG with a comment segment, whose bytes a test can change after signing."""
    Image.fromarray(rgb).save(path, "JPEG", quality=92, comment=COMMENT)
    return path


def tampered(path: Path) -> Path:
    """The signed file with its comment changed (same length): the image still opens, the hash breaks."""
    data = path.read_bytes()
    assert data.count(COMMENT) == 1
    path.write_bytes(data.replace(COMMENT, b"altered comment!"))
    return path
