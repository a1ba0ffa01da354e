"""Real test clips: espeak-ng speech placed at a known second over a plain 9:16 video, made with ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_clip(path: Path, sentence: str, *, at_s: float = 3.0, duration_s: float = 7.0) -> Path:
    speech = path.with_suffix(".wav")
    subprocess.run(["espeak-ng", "-v", "en", "-s", "140", "-w", str(speech), sentence], check=True)
    subprocess.run(
        [
            "ffmpeg", "-y", "-loglevel", "error",
            "-f", "lavfi", "-i", f"color=c=0x335577:s=720x1280:d={duration_s}:r=25",
            "-f", "lavfi", "-i", f"anullsrc=r=22050:cl=mono:d={at_s}",
            "-i", str(speech),
            "-filter_complex", f"[1:a][2:a]concat=n=2:v=0:a=1,apad=whole_dur={duration_s}[a]",
            "-map", "0:v", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-t", str(duration_s), str(path),
        ],
        check=True,
    )  # fmt: skip
    speech.unlink()
    return path


CLAIM = "This serum will cure your acne."
CLAIM_AT_S = 3.0
CLEAN = "This serum feels light on my skin."
