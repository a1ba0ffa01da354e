"""Thin wrapper around exiftool (Debian `libimage-exiftool-perl`) for writing the IPTC source type.

exiftool is run as a separate program, so its licence is not linked into CreatorDesk; it rewrites only
the XMP packet and keeps every other piece of metadata as it was.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from creatordesk.engine.tools.ffmpeg import ToolError, last_line

EXIFTOOL = "exiftool"
# IPTC NewsCodes for the digital source type (https://cv.iptc.org/newscodes/digitalsourcetype/).
IPTC_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def available() -> bool:
    return shutil.which(EXIFTOOL) is not None


def write_digital_source_type(path: Path, source_type: str, *, timeout_s: float = 30.0) -> None:
    """Set XMP `Iptc4xmpExt:DigitalSourceType` of the file at `path` in place (e.g. "trainedAlgorithmicMedia")."""
    if not source_type.isalpha():
        raise ToolError(f"not an IPTC digital source type: {source_type!r}")
    command = [
        EXIFTOOL, "-q", "-overwrite_original", "-P",
        f"-XMP-iptcExt:DigitalSourceType={IPTC_SOURCE_TYPE}{source_type}", str(path),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
    except FileNotFoundError:
        raise ToolError("exiftool is not installed (apt install libimage-exiftool-perl)") from None
    except subprocess.TimeoutExpired:
        raise ToolError(f"exiftool took longer than {timeout_s:.0f} s") from None
    if done.returncode != 0:
        raise ToolError(f"exiftool failed: {last_line(done.stderr)}")


def read_digital_source_type(path: Path, *, timeout_s: float = 30.0) -> str:
    """The file's XMP DigitalSourceType as exiftool reads it ("" when none)."""
    command = [EXIFTOOL, "-s3", "-XMP-iptcExt:DigitalSourceType", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False, text=True)
    except FileNotFoundError:
        raise ToolError("exiftool is not installed (apt install libimage-exiftool-perl)") from None
    return done.stdout.strip()
