"""What the brand says about an image: where it runs, what it shows, what text and colours it must
carry, and which images it must not resemble. Read from YAML (`--brief`) or built by the web app.

Every key is optional. A mistake (an unknown key, a colour that is not `#rrggbb`, a missing reference
file) stops with one line naming the key, as the video brief does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creatordesk.engine.rules.yamlfile import read_yaml_file
from creatordesk.engine.types import InputError
from creatordesk.engine.visuals.types import VisualInputError

DECLARATIONS = ("", "generated", "edited", "none")
# Where an image may run, with the pixels it needs there (width, height). Sources: TikTok Ads
# "Image ads specifications" (1080 x 1920 recommended for 9:16), Meta Ads Guide (1080 x 1350 feed 4:5,
# 1080 x 1920 Stories/Reels), and 300 dpi for A4 print (2480 x 3508).
USES: dict[str, tuple[int, int]] = {
    "tiktok": (1080, 1920),
    "instagram_feed": (1080, 1350),
    "instagram_story": (1080, 1920),
    "facebook_feed": (1080, 1350),
    "square": (1080, 1080),
    "web_banner": (1920, 1080),
    "print_a4": (2480, 3508),
}
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_KEYS = {
    "is_ad", "realistic_person", "realistic_product", "health_product", "declared", "uses",
    "expected_text", "brand_colours", "palette_tolerance", "min_brand_share", "packshot",
    "packshot_required", "rejected_images", "competitor_images", "stock_images", "previous_version",
}  # fmt: skip


@dataclass(frozen=True)
class BrandColour:
    name: str
    hex: str

    @property
    def rgb(self) -> tuple[int, int, int]:
        value = self.hex.lstrip("#")
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


@dataclass(frozen=True)
class VisualBrief:
    """The brand's side of an image check; the defaults describe an ad with nothing else known."""

    is_ad: bool = True
    realistic_person: bool | None = None  # None: decided from the faces found
    realistic_product: bool = False
    health_product: bool = False  # health or cosmetics claims (HWG)
    declared: str = ""  # the user's own statement: "generated", "edited", "none" or "" (not said)
    uses: tuple[str, ...] = ()
    expected_text: tuple[str, ...] = ()
    brand_colours: tuple[BrandColour, ...] = ()
    palette_tolerance: float = 12.0  # CIEDE2000 within which a dominant colour counts as a brand colour
    min_brand_share: float = 0.15  # share of the image's pixels that should be brand colours
    packshot: Path | None = None
    packshot_required: bool = False
    rejected_images: tuple[Path, ...] = ()
    competitor_images: tuple[Path, ...] = ()
    stock_images: tuple[Path, ...] = ()
    previous_version: Path | None = None


def _bool(data: Mapping[str, Any], key: str, default: bool | None) -> bool | None:
    value = data.get(key, default)
    if value is not None and not isinstance(value, bool):
        raise VisualInputError(f"brief: {key} must be true or false, not {value!r}")
    return value


def _texts(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise VisualInputError(f"brief: {key} must be a list of texts")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _paths(data: Mapping[str, Any], key: str, base_dir: Path) -> tuple[Path, ...]:
    paths = []
    for text in _texts(data, key):
        path = Path(text) if Path(text).is_absolute() else base_dir / text
        if not path.is_file():
            raise VisualInputError(f"brief: {key}: {text} does not exist")
        paths.append(path)
    return tuple(paths)


def _colours(data: Mapping[str, Any]) -> tuple[BrandColour, ...]:
    value = data.get("brand_colours") or []
    if isinstance(value, Mapping):
        value = [{"name": k, "hex": v} for k, v in value.items()]
    colours = []
    for entry in value if isinstance(value, list) else [None]:
        if isinstance(entry, str):
            entry = {"name": entry, "hex": entry}
        if not isinstance(entry, Mapping) or not _HEX.fullmatch(str(entry.get("hex", ""))):
            raise VisualInputError("brief: brand_colours takes entries like {name: Rot, hex: '#e0245e'}")
        colours.append(BrandColour(str(entry.get("name") or entry["hex"]), str(entry["hex"]).lower()))
    return tuple(colours)


def _number(data: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise VisualInputError(f"brief: {key} must be a number from {low:g} to {high:g}")
    return float(value)


def visual_brief_from_mapping(data: Mapping[str, Any], base_dir: Path) -> VisualBrief:
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise VisualInputError(f"brief: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    declared = str(data.get("declared") or "")
    if declared not in DECLARATIONS:
        raise VisualInputError("brief: declared must be generated, edited or none")
    uses = _texts(data, "uses")
    if bad := [u for u in uses if u not in USES]:
        raise VisualInputError(f"brief: unknown use {bad[0]!r} (known: {', '.join(USES)})")
    single = {key: _paths(data, key, base_dir) for key in ("packshot", "previous_version")}
    return VisualBrief(
        is_ad=bool(_bool(data, "is_ad", True)),
        realistic_person=_bool(data, "realistic_person", None),
        realistic_product=bool(_bool(data, "realistic_product", False)),
        health_product=bool(_bool(data, "health_product", False)),
        declared=declared,
        uses=uses,
        expected_text=_texts(data, "expected_text"),
        brand_colours=_colours(data),
        palette_tolerance=_number(data, "palette_tolerance", 12.0, 1, 50),
        min_brand_share=_number(data, "min_brand_share", 0.15, 0, 1),
        packshot=single["packshot"][0] if single["packshot"] else None,
        packshot_required=bool(_bool(data, "packshot_required", False)),
        rejected_images=_paths(data, "rejected_images", base_dir),
        competitor_images=_paths(data, "competitor_images", base_dir),
        stock_images=_paths(data, "stock_images", base_dir),
        previous_version=single["previous_version"][0] if single["previous_version"] else None,
    )


def load_visual_brief(path: Path) -> VisualBrief:
    """Read a visual brief YAML file; image paths are taken relative to the file's folder."""
    try:
        data = read_yaml_file(Path(path))
    except InputError as exc:  # the YAML reader's errors already name the file and line
        raise VisualInputError(str(exc)) from None
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise VisualInputError(f"{path}: a brief is a mapping of keys")
    return visual_brief_from_mapping(data, Path(path).parent)


__all__ = ["USES", "BrandColour", "VisualBrief", "load_visual_brief", "visual_brief_from_mapping"]
