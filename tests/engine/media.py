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
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from tests.engine.voices import SAMPLE_RATE, speak, write_wav

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CACHE_DIR = Path(tempfile.gettempdir()) / "creatordesk-test-media"
# Part of every cache key: change it when the way clips are rendered changes.
RENDERER_VERSION = 4


@dataclass(frozen=True)
class Sticker:
    """Text drawn on the video from `start` to `end` seconds; a newline in `text` starts a new line.

    `style` is one of STICKER_STYLES. `x` and `y` place the first line (ffmpeg drawtext
    expressions); further lines follow below it, each centred on its own when `x` centres it.
    `size` is the font size (an expression of the frame height `h`), `font` a font file.
    """

    text: str
    start: float
    end: float
    style: str = "box"
    y: str = "h*0.7"
    x: str = "(w-text_w)/2"
    size: str = "h/22"
    font: str = FONT


# The looks captions take in TikTok's and Instagram's editors, as drawtext options.
STICKER_STYLES = {
    # Black text on a white box (TikTok "background" text).
    "box": "fontcolor=black:box=1:boxcolor=white:boxborderw=18",
    # White text on a coloured box.
    "box-colour": "fontcolor=white:box=1:boxcolor=0xFE2C55:boxborderw=18",
    # White text on a half-transparent dark box: the picture shows through.
    "box-dark": "fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=18",
    # White text with a black outline, no box.
    "outline": "fontcolor=white:borderw=4:bordercolor=black",
    # Coloured text with a dark outline, no box ("colour" is the yellow one).
    "colour": "fontcolor=yellow:borderw=4:bordercolor=black",
    "yellow": "fontcolor=0xFFE000:borderw=4:bordercolor=black",
    "pink": "fontcolor=0xFF4F9A:borderw=4:bordercolor=0x1A1A1A",
    "red": "fontcolor=0xFF3B30:borderw=4:bordercolor=black",
    "cyan": "fontcolor=0x25F4EE:borderw=4:bordercolor=0x101010",
    "orange": "fontcolor=0xFF8C00:borderw=5:bordercolor=black",
    "green": "fontcolor=0x39FF14:borderw=3:bordercolor=0x002200",
    "purple": "fontcolor=0xB36BFF:borderw=4:bordercolor=black",
    # A thin outline, and the reverse: black text with a white outline.
    "thin": "fontcolor=white:borderw=2:bordercolor=black",
    "inverse": "fontcolor=black:borderw=4:bordercolor=white",
    # White text with only a drop shadow (Instagram's classic look).
    "shadow": "fontcolor=white:shadowx=3:shadowy=3:shadowcolor=black@0.9:borderw=1:bordercolor=black@0.6",
    "box-yellow": "fontcolor=black:box=1:boxcolor=0xFFE000:boxborderw=16",
    "box-blue": "fontcolor=white:box=1:boxcolor=0x1877F2:boxborderw=16",
    # A lighter half-transparent box.
    "box-light": "fontcolor=white:box=1:boxcolor=black@0.4:boxborderw=16",
}
# Distance from one line of a sticker to the next, in font sizes.
LINE_PITCH = 1.35


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
    background: str = "testsrc2"  # an ffmpeg lavfi source ("color=c=NAME"), filters may follow a comma
    stickers: tuple[Sticker, ...] = ()
    speech: tuple[tuple[float, str], ...] = ()  # (second, sentence)
    voice: str = "espeak-en"  # see tests/engine/voices.py
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
        # drawtext expands "%{...}"; its literal percent needs a backslash that survives the graph parser.
        .replace("%", "\\\\%")
        .replace(",", "\\,")
    )


def _sticker_filters(sticker: Sticker) -> list[str]:
    """One drawtext per line, so each line gets its own box as in the apps' editors."""
    filters = []
    for index, line in enumerate(sticker.text.split("\n")):
        y = sticker.y if index == 0 else f"{sticker.y}+{index}*{LINE_PITCH}*({sticker.size})"
        filters.append(
            f"drawtext=fontfile={sticker.font}:text='{_escape(line)}':fontsize={sticker.size}:"
            f"{STICKER_STYLES[sticker.style]}:x={sticker.x}:y={y}:"
            # gte/lt, not between(): between() includes both ends, so back-to-back stickers would
            # overlap.
            f"enable='gte(t\\,{sticker.start})*lt(t\\,{sticker.end})'"
        )
    return filters


def speech_track(
    path: Path, duration: float, speech: tuple[tuple[float, str], ...], voice: str = "espeak-en"
) -> None:
    """A WAV file of `duration` seconds with each sentence spoken by `voice` starting at its second."""
    samples = np.zeros(int(duration * SAMPLE_RATE), dtype=np.int16)
    for at, sentence in speech:
        spoken = speak(sentence, voice)
        start = int(at * SAMPLE_RATE)
        end = min(len(samples), start + len(spoken))
        samples[start:end] = spoken[: end - start]
    write_wav(path, samples)


def render(clip: Clip, name: str) -> Path:
    """Encode the clip (H.264/AAC MP4) unless an identical one is cached; returns its path."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    target = CACHE_DIR / f"{name}-{clip.key()}.mp4"
    if target.exists():
        return target
    work = Path(tempfile.mkdtemp(dir=CACHE_DIR))
    width, height = clip.size
    source, comma, chain = clip.background.partition(",")
    background = f"{source}{':' if '=' in source else '='}s={width}x{height}:r={clip.fps}{comma}{chain}"
    # -t on the input, not a duration option: mandelbrot, life and cellauto have none.
    inputs = ["-t", str(clip.duration), "-f", "lavfi", "-i", background]
    chains, label = [], "0:v"
    for index, overlay in enumerate(clip.overlays, start=1):
        inputs += ["-loop", "1", "-i", overlay.image]
        chains.append(
            f"[{label}][{index}:v]overlay=x=(W-w)/2:y={overlay.y}:"
            f"enable='gte(t\\,{overlay.start})*lt(t\\,{overlay.end})'[o{index}]"
        )
        label = f"o{index}"
    chains.append(f"[{label}]{','.join(f for s in clip.stickers for f in _sticker_filters(s)) or 'null'}[v]")
    graph = ";".join(chains)
    maps = ["-map", "[v]"]
    audio_index = 1 + len(clip.overlays)
    if clip.audio:
        wav = work / "speech.wav"
        speech_track(wav, clip.duration, clip.speech, clip.voice)
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
