"""Opening an image safely: size, type, truncation and decompression bombs are refused before any
check decodes a pixel."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from creatordesk.engine.visuals.context import VisualContext
from creatordesk.engine.visuals.types import VisualInputError

FORMATS = {"JPEG", "PNG", "WEBP", "TIFF", "GIF", "BMP", "MPO", "HEIF", "AVIF"}


@dataclass
class LoadedImage:
    """The decoded image, upright (EXIF orientation applied), as RGB pixels, plus what the file says."""

    path: Path
    format: str
    width: int
    height: int
    rgb: np.ndarray  # height x width x 3, uint8
    info: dict[Any, Any]  # Pillow's `info`: PNG text chunks, XMP, ICC profile, ...
    exif: dict[int, object]


def _checked_size(path: Path, ctx: VisualContext) -> int:
    if not path.exists():
        raise VisualInputError(f"{path}: no such file")
    if not path.is_file():
        raise VisualInputError(f"{path}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise VisualInputError(f"{path}: the file is empty (0 bytes)")
    if size > ctx.max_bytes:
        raise VisualInputError(
            f"{path}: {size / 1024**2:.1f} MB is over the {ctx.max_bytes / 1024**2:.0f} MB limit"
        )
    return size


def load_image(path: Path, ctx: VisualContext) -> LoadedImage:
    """The image at `path`, or VisualInputError with one line saying why it cannot be checked."""
    path = Path(path)
    _checked_size(path, ctx)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as probe:
                width, height, fmt = probe.width, probe.height, probe.format or ""
                if width * height > ctx.max_pixels:
                    raise VisualInputError(
                        f"{path}: {width} x {height} pixels is over the {ctx.max_pixels:,} pixel limit "
                        "(a decompression bomb or a file too large to check)"
                    )
                probe.verify()
            with Image.open(path) as image:
                image.load()
                info = dict(image.info)
                tags = image.getexif()
                # The Exif sub-IFD holds UserComment, where A1111 writes its parameters into JPEG and WebP.
                exif = {**dict(tags), **dict(tags.get_ifd(0x8769))}
                upright = ImageOps.exif_transpose(image).convert("RGB")
    except VisualInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise VisualInputError(f"{path}: refused as a decompression bomb ({exc})") from None
    except UnidentifiedImageError:
        raise VisualInputError(f"{path}: not an image Pillow can read") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise VisualInputError(f"{path}: the image is broken or truncated ({exc})") from None
    if fmt not in FORMATS:
        raise VisualInputError(
            f"{path}: {fmt or 'unknown'} images are not checked (JPEG, PNG, WebP, TIFF, HEIF)"
        )
    if min(width, height) < ctx.min_side_px:
        raise VisualInputError(f"{path}: {width} x {height} pixels is too small to check")
    return LoadedImage(
        path=path,
        format=fmt,
        width=upright.width,
        height=upright.height,
        rgb=np.asarray(upright),
        info=info,
        exif=exif,
    )
