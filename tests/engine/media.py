"""Build small real test videos: ffmpeg backgrounds, drawtext stickers, espeak-ng speech at set times.

Clips are cached in the system temp folder under a name derived from their recipe, so a second
test run (or a second xdist worker) reuses them instead of encoding again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CACHE_DIR = Path(tempfile.gettempdir()) / "creatordesk-test-media"
SAMPLE_RATE = 22050  # espeak-ng's native rate
# Part of every cache key: change it when the way clips are rendered changes.
RENDERER_VERSION = 3


@dataclass(frozen=True)
class Sticker:
    """Text drawn on the video from `start` to `end` seconds."""

    text: str
    start: float
    end: float
    style: str = "box"  # box: black on a white box; outline: white with black outline; colour: yellow
    y: str = "h*0.7"


@dataclass(frozen=True)
class Overlay:
    """An image placed on the video from `start` to `end` seconds (e.g. the product)."""

    image: str
    start: float
    end: float
    y: str = "H*0.25"


@dataclass(frozen=True)
class Clip:
    """The recipe of one test video."""

    duration: float
    size: tuple[int, int] = (720, 1280)
    background: str = "testsrc2"  # an ffmpeg lavfi source, or "color=c=NAME"
    stickers: tuple[Sticker, ...] = ()
    speech: tuple[tuple[float, str], ...] = ()  # (second, sentence)
    audio: bool = True
    overlays: tuple[Overlay, ...] = ()
    fps: int = 30
    extra: dict[str, str] = field(default_factory=dict)

    def key(self) -> str:
        recipe = {"renderer": RENDERER_VERSION, **asdict(self)}
        return hashlib.sha1(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def _escape(text: str) -> str:
    """Text for ffmpeg's drawtext inside a filter graph (quotes, colons, percent, commas)."""
    return (
        text.replace("\\", "\\\\")
        .replace("'", "\u2019")
        .replace(":", "\\:")
        .replace("%", "\\%")
        .replace(",", "\\,")
    )


def _sticker_filter(sticker: Sticker) -> str:
    styles = {
        "box": "fontcolor=black:box=1:boxcolor=white:boxborderw=18",
        "outline": "fontcolor=white:borderw=4:bordercolor=black",
        "colour": "fontcolor=yellow:borderw=4:bordercolor=black",
    }
    return (
        f"drawtext=fontfile={FONT}:text='{_escape(sticker.text)}':fontsize=h/22:"
        f"{styles[sticker.style]}:x=(w-text_w)/2:y={sticker.y}:"
        # gte/lt, not between(): between() includes both ends, so back-to-back stickers would overlap.
        f"enable='gte(t\\,{sticker.start})*lt(t\\,{sticker.end})'"
    )


def speech_track(path: Path, duration: float, speech: tuple[tuple[float, str], ...]) -> None:
    """A WAV file of `duration` seconds with each sentence spoken (espeak-ng) starting at its second."""
    samples = np.zeros(int(duration * SAMPLE_RATE), dtype=np.int16)
    for index, (at, sentence) in enumerate(speech):
        part = path.with_suffix(f".{index}.wav")
        # The British RP voice at 140 words a minute is the one tiny.en transcribes most faithfully.
        subprocess.run(["espeak-ng", "-v", "en-gb-x-rp", "-s", "140", "-w", str(part), sentence], check=True)
        with wave.open(str(part), "rb") as spoken:
            assert spoken.getframerate() == SAMPLE_RATE
            voice = np.frombuffer(spoken.readframes(spoken.getnframes()), dtype=np.int16)
        part.unlink()
        start = int(at * SAMPLE_RATE)
        end = min(len(samples), start + len(voice))
        samples[start:end] = voice[: end - start]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.tobytes())


def render(clip: Clip, name: str) -> Path:
    """Encode the clip (H.264/AAC MP4) unless an identical one is cached; returns its path."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    target = CACHE_DIR / f"{name}-{clip.key()}.mp4"
    if target.exists():
        return target
    work = Path(tempfile.mkdtemp(dir=CACHE_DIR))
    width, height = clip.size
    background = f"{clip.background}{':' if '=' in clip.background else '='}s={width}x{height}"
    inputs = ["-f", "lavfi", "-i", f"{background}:r={clip.fps}:d={clip.duration}"]
    chains, label = [], "0:v"
    for index, overlay in enumerate(clip.overlays, start=1):
        inputs += ["-loop", "1", "-i", overlay.image]
        chains.append(
            f"[{label}][{index}:v]overlay=x=(W-w)/2:y={overlay.y}:"
            f"enable='gte(t\\,{overlay.start})*lt(t\\,{overlay.end})'[o{index}]"
        )
        label = f"o{index}"
    chains.append(f"[{label}]{','.join(_sticker_filter(s) for s in clip.stickers) or 'null'}[v]")
    graph = ";".join(chains)
    maps = ["-map", "[v]"]
    audio_index = 1 + len(clip.overlays)
    if clip.audio:
        wav = work / "speech.wav"
        speech_track(wav, clip.duration, clip.speech)
        inputs += ["-i", str(wav)]
        maps += ["-map", f"{audio_index}:a", "-c:a", "aac", "-b:a", "96k"]
    out = work / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", graph, *maps,
            "-t", str(clip.duration), "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
            "-pix_fmt", "yuv420p", str(out),
        ],
        check=True,
    )  # fmt: skip
    os.replace(out, target)
    for leftover in work.iterdir():
        leftover.unlink()
    work.rmdir()
    return target
