"""Real clips for the posted-as-approved matcher: an approved cut and what a creator might post instead.

The approved clip is a sequence of distinct moving scenes with a spoken track. Posted versions are
made from it the way TikTok and creators change a video: re-encoded at another size, quality and
frame rate, the top of the frame cropped away, a caption bar over the bottom, music under the voice,
and optionally cut, reordered or with the sound replaced. Everything is cached in the test media
folder under a name derived from the recipe, like tests/engine/media.py does.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tests.engine.media import CACHE_DIR, FONT, speech_track
from tests.engine.voices import SAMPLE_RATE, write_wav

# Part of every cache key: change it when the way clips are rendered changes.
RENDERER_VERSION = 1
SIZE = (540, 960)
SCENE_S = 4.0

# Each scene moves on its own (scrolling, zooming, rotating), so no two samples a quarter second
# apart look alike and a cut inside a scene is visible.
APPROVED_SCENES = (
    "testsrc2,scroll=horizontal=0.004",
    "mandelbrot",
    "gradients=speed=0.04:seed=7,scroll=vertical=0.003",
    "pal75bars,scroll=horizontal=0.006",
)
OTHER_SCENES = (
    "yuvtestsrc,scroll=vertical=0.005",
    "cellauto=rule=30:scroll=1",
    "rgbtestsrc,scroll=horizontal=-0.005",
)
APPROVED_SPEECH = (
    (0.3, "Hi, this is my morning routine with the new serum."),
    (4.2, "It feels light and sinks in really fast."),
    (8.2, "I use two drops every morning after washing."),
    (12.2, "Link in my bio for ten percent off."),
)
OTHER_SPEECH = (
    (0.4, "Today we are cooking pasta with tomatoes."),
    (5.0, "Boil the water and add a pinch of salt."),
    (9.0, "Serve it hot with fresh basil."),
)
MUSIC_BELOW_VOICE_DB = 12.0


@dataclass(frozen=True)
class Source:
    """The recipe of a clip made from lavfi scenes of SCENE_S seconds each, with speech."""

    scenes: tuple[str, ...]
    speech: tuple[tuple[float, str], ...]
    counter_colour: str = "white"
    # Where the counter wanders: x and y as drawtext expressions of w, h, text_w and t.
    counter_path: tuple[str, str] = ("(w-text_w)/2+w/4*sin(t*1.3)", "h*0.42+h*0.08*sin(t*0.7)")
    size: tuple[int, int] = SIZE

    @property
    def duration(self) -> float:
        return SCENE_S * len(self.scenes)

    def key(self) -> str:
        return _key({"renderer": RENDERER_VERSION, **asdict(self)})


@dataclass(frozen=True)
class Posted:
    """How a posted video is made from a source clip.

    `parts` are (start, end) seconds of the source joined in that order, those whose index is in
    `from_other` taken from OTHER instead (with their sound); `sound` is "voice+music" (music 12 dB
    under the voice), "voice" or "music" (the voice replaced by music).
    """

    parts: tuple[tuple[float, float], ...]
    from_other: tuple[int, ...] = ()
    sound: str = "voice+music"
    size: tuple[int, int] = (720, 1280)
    fps: int = 25
    crf: int = 35
    # The fastest x264 preset also loses the most detail at a given CRF: a harsher re-encode than
    # TikTok's, and a quicker one to make.
    preset: str = "ultrafast"
    top_crop: float = 0.08
    bottom_bar: float = 0.15


APPROVED = Source(APPROVED_SCENES, APPROVED_SPEECH)
OTHER = Source(
    OTHER_SCENES,
    OTHER_SPEECH,
    counter_colour="yellow",
    counter_path=("w*0.1+w*0.3*(1+cos(t*0.9))/2", "h*0.3+h*0.25*(1+sin(t*1.7))/2"),
)


def _key(recipe: dict[str, object]) -> str:
    return hashlib.sha1(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def _scene_input(scene: str, size: tuple[int, int]) -> list[str]:
    source, comma, chain = scene.partition(",")
    width, height = size
    spec = f"{source}{':' if '=' in source else '='}s={width}x{height}:r=30{comma}{chain}"
    return ["-t", str(SCENE_S), "-f", "lavfi", "-i", spec]


def _counter(source: Source) -> str:
    """A large counter that changes four times a second and wanders through the middle of the frame."""
    x, y = source.counter_path
    return (
        f"drawtext=fontfile={FONT}:text='%{{eif\\:t*4\\:d}}':fontsize=h/5:fontcolor={source.counter_colour}:"
        f"borderw=8:bordercolor=black:x={x}:y={y}"
    )


def _encode(args: list[str], target: Path) -> Path:
    """Run ffmpeg into a temporary name and move the result into the cache in one step."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=CACHE_DIR, suffix=".mp4")
    os.close(fd)
    try:
        subprocess.run(["ffmpeg", "-v", "error", "-y", *args, temporary], check=True, timeout=300)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target


def render_source(source: Source, name: str) -> Path:
    """The source clip (540x960 unless its recipe says otherwise), 30 fps, H.264 CRF 23 with AAC
    speech; cached."""
    target = CACHE_DIR / f"match-{name}-{source.key()}.mp4"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(dir=CACHE_DIR.parent) as folder:
        wav = Path(folder) / "speech.wav"
        speech_track(wav, source.duration, source.speech)
        inputs = [arg for scene in source.scenes for arg in _scene_input(scene, source.size)]
        count = len(source.scenes)
        labels = "".join(f"[{index}:v]" for index in range(count))
        graph = f"{labels}concat=n={count}:v=1:a=0,format=yuv420p,{_counter(source)}[v]"
        return _encode(
            [
                *inputs, "-i", str(wav), "-filter_complex", graph, "-map", "[v]", "-map", f"{count}:a",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "96k", "-t", str(source.duration),
            ],
            target,
        )  # fmt: skip


def music(duration: float, level_rms: float) -> np.ndarray:
    """A synthetic melody with a beat: quarter-second notes with harmonics and a noise hit each half second."""
    rng = np.random.default_rng(3)
    t = np.arange(int(duration * SAMPLE_RATE)) / SAMPLE_RATE
    steps = np.array([0, 4, 7, 12, 7, 4, 2, 5, 9, 5])
    note = steps[(t * 4).astype(int) % len(steps)]
    freq = 196.0 * 2 ** (note / 12)
    phase = 2 * np.pi * np.cumsum(freq) / SAMPLE_RATE
    tone = np.sin(phase) + 0.5 * np.sin(2 * phase) + 0.25 * np.sin(3 * phase)
    beat = rng.standard_normal(len(t)) * np.exp(-((t % 0.5) * 30))
    signal = tone + 0.6 * beat
    signal *= level_rms / np.sqrt(np.mean(signal**2))
    return np.clip(signal * 32767, -32768, 32767).astype(np.int16)


@lru_cache(maxsize=4)
def _voice_rms(source: Source) -> float:
    with tempfile.TemporaryDirectory(dir=CACHE_DIR.parent) as folder:
        wav = Path(folder) / "speech.wav"
        speech_track(wav, source.duration, source.speech)
        samples = np.frombuffer(wav.read_bytes()[44:], dtype=np.int16).astype(np.float64) / 32768
    return float(np.sqrt(np.mean(samples**2)))


def _video_graph(posted: Posted, count: int) -> str:
    width, height = posted.size
    top = round(height * posted.top_crop / 2) * 2
    bar = f"y=ih*{1 - posted.bottom_bar:.3f}:w=iw:h=ih*{posted.bottom_bar:.3f}"
    joined = "".join(f"[{index}:v]" for index in range(count))
    return (
        f"{joined}concat=n={count}:v=1:a=0,scale={width}:{height},fps={posted.fps},"
        f"crop={width}:{height - top}:0:{top},pad={width}:{height}:0:{top}:black,"
        f"drawbox=x=0:{bar}:color=0x202020@0.85:t=fill,"
        f"drawtext=fontfile={FONT}:text='Link in bio  #ad':fontsize=h/30:fontcolor=white:"
        f"x=(w-text_w)/2:y=h*{1 - posted.bottom_bar / 2:.3f}-text_h/2[v]"
    )


def _audio_graph(posted: Posted, count: int, music_input: int) -> str:
    joined = "".join(f"[{index}:a]" for index in range(count))
    voice = f"{joined}concat=n={count}:v=0:a=1"
    if posted.sound == "voice":
        return f"{voice}[a]"
    if posted.sound == "music":
        return f"[{music_input}:a]anull[a]"
    return f"{voice}[voice];[voice][{music_input}:a]amix=inputs=2:duration=first:normalize=0[a]"


def render_posted(source: Source, posted: Posted, name: str) -> Path:
    """The source clip changed as `posted` says, re-encoded as H.264 CRF `posted.crf` with AAC; cached."""
    clip = render_source(source, name)
    other = render_source(OTHER, "other") if posted.from_other else clip
    recipe = {"source": clip.name, "other": other.name, **asdict(posted)}
    target = CACHE_DIR / f"match-{name}-posted-{_key(recipe)}.mp4"
    if target.exists():
        return target
    length = sum(end - start for start, end in posted.parts)
    with tempfile.TemporaryDirectory(dir=CACHE_DIR.parent) as folder:
        wav = Path(folder) / "music.wav"
        voice_rms = _voice_rms(source)
        level = voice_rms if posted.sound == "music" else voice_rms * 10 ** (-MUSIC_BELOW_VOICE_DB / 20)
        write_wav(wav, music(length, level))
        inputs = []
        for index, (start, end) in enumerate(posted.parts):
            part = other if index in posted.from_other else clip
            inputs += ["-ss", str(start), "-t", str(end - start), "-i", str(part)]
        count = len(posted.parts)
        graph = f"{_video_graph(posted, count)};{_audio_graph(posted, count, count)}"
        return _encode(
            [
                *inputs, "-i", str(wav), "-filter_complex", graph, "-map", "[v]", "-map", "[a]",
                "-c:v", "libx264", "-preset", posted.preset, "-crf", str(posted.crf), "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-t", f"{length:.3f}",
            ],
            target,
        )  # fmt: skip
