"""How fast is a full pre-review compared with just decoding the video once?

Makes two 60 s, 1080x1920, 30 fps clips, each with a new caption sticker every 5 s:

* `captions`: six sentences (espeak-ng) spread over the minute, silence between them;
* `talking-head`: speech that fills the whole minute (a natural Piper voice reading without pauses),
  the way creators talk; speech recognition works on every second of it.

For each, times in the same run:

* `creatordesk review CLIP --format json` in a subprocess (the whole thing: start-up, model loading,
  probe, speech, frames, OCR, visual checks, rules), and its peak memory;
* `ffmpeg -i CLIP -f null -`, a plain decode of the same file.

Targets on a 2-core machine with the default speech model: review at most 3x the plain decode, peak
RSS at most 1.5 GB. Exits 1 when a target is missed. Each command runs `--runs` times (default 2) and
the fastest run counts, so a busy neighbour on the machine does not decide the result. Every step's
time is printed (steps overlap, so they add up to more than the total).

    .venv/bin/python bench/review_speed.py [--runs N] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.engine.voices import (  # the repository root is on the path from here on
    SAMPLE_RATE,
    speak,
    write_wav,
)

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
MAX_RATIO = 3.0
MAX_RSS_MB = 1.5 * 1024
DURATION_S = 60
SENTENCES = [
    "Hi everyone, today I am showing you my favourite moisturiser.",
    "It feels light on the skin and it sinks in really fast.",
    "I use it every morning after washing my face.",
    "The texture is smooth and it smells fresh.",
    "You can find it in the TikTok shop below.",
    "Let me know what you think in the comments.",
]
# Read one after another with no pause: a creator talking through a product for a minute.
MONOLOGUE = [
    "Hi everyone, welcome back to my channel, today I want to show you the serum I have been using "
    "every single morning for the last three weeks, and honestly I have a lot to say about it.",
    "So first of all the packaging, it comes in this glass bottle with a pipette, which I really like "
    "because you can dose it exactly, three or four drops are enough for the whole face.",
    "The texture is very light, almost like water, and it sinks into the skin really fast, so you "
    "can put your moisturiser on top after about a minute without anything pilling.",
    "It smells fresh but not too strong, a little bit like cucumber, and if you have a sensitive "
    "nose like me that is actually a big plus, because some serums smell like a perfume shop.",
    "My skin feels softer and more hydrated, especially around the cheeks where it used to feel "
    "tight in the afternoon, and my make-up sits better on top of it too.",
    "I use it after cleansing in the morning and sometimes in the evening as well, it layers well "
    "with everything else in my routine, and the bottle lasts about two months.",
    "You can find it in the shop below, let me know in the comments what you think and which "
    "products you want me to try next, and see you in the next video, bye.",
]
STICKERS = [
    "Werbung", "Morning routine", "Light texture", "Absorbs fast", "Smells fresh", "Shop below",
    "Step one", "Step two", "Daily care", "Try it now", "Comment below", "Thanks for watching",
]  # fmt: skip


def captions_wav(path: Path) -> None:
    """The sentences spoken one after another, spread over the minute."""
    rate = 22050
    samples = np.zeros(DURATION_S * rate, dtype=np.int16)
    for index, sentence in enumerate(SENTENCES):
        part = path.with_suffix(f".{index}.wav")
        subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(part), sentence], check=True)
        with wave.open(str(part), "rb") as spoken:
            voice = np.frombuffer(spoken.readframes(spoken.getnframes()), dtype=np.int16)
        part.unlink()
        start = int((1 + index * 9.5) * rate)
        samples[start : start + len(voice)] = voice[: len(samples) - start]
    write_wav(path, samples, rate)


def talking_head_wav(path: Path) -> None:
    """The monologue read without pauses, repeated until the minute is full."""
    spoken = np.concatenate([speak(text, "piper-en") for text in MONOLOGUE])
    samples = np.resize(spoken, DURATION_S * SAMPLE_RATE)
    write_wav(path, samples, SAMPLE_RATE)


CLIPS = {"captions": captions_wav, "talking-head": talking_head_wav}


def make_clip(folder: Path, name: str) -> Path:
    clip = folder / f"bench-{name}-60s-1080x1920.mp4"
    if clip.exists():
        return clip
    wav = folder / f"{name}.wav"
    CLIPS[name](wav)
    stickers = ",".join(
        f"drawtext=fontfile={FONT}:text='{text}':fontsize=72:fontcolor=black:box=1:boxcolor=white:"
        f"boxborderw=20:x=(w-text_w)/2:y=h*0.7:enable='gte(t\\,{i * 5})*lt(t\\,{i * 5 + 5})'"
        for i, text in enumerate(STICKERS)
    )
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=s=1080x1920:r=30:d={DURATION_S}",
            "-i", str(wav), "-filter_complex", f"[0:v]{stickers}[v]", "-map", "[v]", "-map", "1:a",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            "-t", str(DURATION_S), str(clip),
        ],
        check=True,
    )  # fmt: skip
    wav.unlink()
    return clip


def timed(args: list[str]) -> tuple[float, float]:
    """Run a command; its wall time in seconds and its peak resident memory in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args[:4])} ... failed")
    return seconds, usage.ru_maxrss / 1024


def bench_clip(clip: Path, report: Path, runs: int) -> tuple[float, float, float, dict[str, float]]:
    """Fastest review time, its peak RSS, the fastest plain decode, and the review's step timings."""
    review_cmd = [sys.executable, "-m", "creatordesk.cli", "review", str(clip), "--format", "json"]
    review_cmd += ["--output", str(report)]
    review_s, peak_mb, steps = float("inf"), 0.0, {}
    for _ in range(runs):
        seconds, rss_mb = timed(review_cmd)
        peak_mb = max(peak_mb, rss_mb)
        if seconds < review_s:
            review_s, steps = seconds, json.loads(report.read_text())["timings"]
    decode_s = min(
        timed(["ffmpeg", "-nostdin", "-v", "error", "-i", str(clip), "-f", "null", "-"])[0]
        for _ in range(runs)
    )
    return review_s, peak_mb, decode_s, steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="runs of each command; the fastest counts")
    parser.add_argument("--keep", action="store_true", help="keep the clips in the temp folder for next time")
    parser.add_argument("--clip", choices=sorted(CLIPS), action="append", help="only these clips")
    args = parser.parse_args()

    folder = Path(tempfile.gettempdir()) / "creatordesk-bench"
    folder.mkdir(exist_ok=True)
    missed = []
    for name in args.clip or list(CLIPS):
        clip = make_clip(folder, name)
        review_s, peak_mb, decode_s, steps = bench_clip(clip, folder / "review.json", args.runs)
        ratio = review_s / decode_s
        print(f"clip            {name}: {clip} ({clip.stat().st_size / 1e6:.0f} MB)")
        print(f"review          {review_s:6.2f} s")
        print(f"  steps         {', '.join(f'{k} {v:.1f}' for k, v in steps.items())}")
        print(f"plain decode    {decode_s:6.2f} s")
        print(f"ratio           {ratio:6.2f}     (target <= {MAX_RATIO:g})")
        print(f"peak RSS        {peak_mb:6.0f} MB  (target <= {MAX_RSS_MB:.0f} MB)")
        print()
        if not args.keep:
            clip.unlink()
        missed += [f"{name} ratio"] * (ratio > MAX_RATIO) + [f"{name} memory"] * (peak_mb > MAX_RSS_MB)
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
