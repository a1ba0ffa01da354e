"""How fast is a full pre-review compared with just decoding the video once?

Makes a 60 s, 1080x1920, 30 fps clip with speech (espeak-ng) and a new caption sticker every 5 s,
then times, in the same run:

* `creatordesk review CLIP --format json` in a subprocess (the whole thing: start-up, model loading,
  probe, speech, frames, OCR, visual checks, rules), and its peak memory;
* `ffmpeg -i CLIP -f null -`, a plain decode of the same file.

Targets on a 2-core machine: review at most 3x the plain decode, peak RSS at most 1.5 GB. Exits 1 when
a target is missed. Each command runs `--runs` times (default 2) and the fastest run counts, so a
busy neighbour on the machine does not decide the result.

    .venv/bin/python bench/review_speed.py [--runs N] [--keep]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

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
STICKERS = [
    "Werbung", "Morning routine", "Light texture", "Absorbs fast", "Smells fresh", "Shop below",
    "Step one", "Step two", "Daily care", "Try it now", "Comment below", "Thanks for watching",
]  # fmt: skip


def speech_wav(path: Path) -> None:
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
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


def make_clip(folder: Path) -> Path:
    clip = folder / "bench-60s-1080x1920.mp4"
    if clip.exists():
        return clip
    wav = folder / "speech.wav"
    speech_wav(wav)
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
    return clip


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="runs of each command; the fastest counts")
    parser.add_argument("--keep", action="store_true", help="keep the clip in the temp folder for next time")
    args = parser.parse_args()

    folder = Path(tempfile.gettempdir()) / "creatordesk-bench"
    folder.mkdir(exist_ok=True)
    clip = make_clip(folder)
    report = folder / "review.json"

    review_cmd = [sys.executable, "-m", "creatordesk.cli", "review", str(clip), "--format", "json"]
    review_cmd += ["--output", str(report)]
    # The review runs first, so the peak RSS of waited-for children is the review's (or one of its tools').
    review_s, steps = float("inf"), {}
    for _ in range(args.runs):
        seconds = timed(review_cmd)
        if seconds < review_s:
            review_s, steps = seconds, json.loads(report.read_text())["timings"]
    peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    decode_s = min(
        timed(["ffmpeg", "-nostdin", "-v", "error", "-i", str(clip), "-f", "null", "-"])
        for _ in range(args.runs)
    )

    ratio = review_s / decode_s
    print(f"clip            {clip} ({clip.stat().st_size / 1e6:.0f} MB)")
    print(
        f"review          {review_s:6.2f} s   (steps: {', '.join(f'{k} {v:.1f}' for k, v in steps.items())})"
    )
    print(f"plain decode    {decode_s:6.2f} s")
    print(f"ratio           {ratio:6.2f}     (target <= {MAX_RATIO:g})")
    print(f"peak RSS        {peak_rss_mb:6.0f} MB  (target <= {MAX_RSS_MB:.0f} MB)")
    if not args.keep:
        clip.unlink()
    missed = [
        name for name, ok in (("ratio", ratio <= MAX_RATIO), ("memory", peak_rss_mb <= MAX_RSS_MB)) if not ok
    ]
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
