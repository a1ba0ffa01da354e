"""How long does posted-as-approved matching take per minute of video, against decoding it once?

Makes a 60 s, 1080x1920, 30 fps approved clip (fifteen moving 4 s scenes, espeak-ng speech) and its
posted version (720x1280, CRF 35, 25 fps, cropped top, caption bar, music under the voice), cached in
the test media folder. Then, in the same run:

* `ffmpeg -i CLIP -f null -`: a plain decode of each file, the baseline;
* `fingerprint_video` of each file;
* `compare` of the two prints.

Prints the time per compared minute (both prints and the comparison) and its ratio to decoding both
files. Each measurement runs `--runs` times (default 3) and the fastest counts, so a busy neighbour
on the machine does not decide the result.

    .venv/bin/python bench/matching.py [--runs N] [--threads N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from creatordesk.engine.matching import (  # the repository root is on the path from here on
    VideoPrint,
    compare,
    fingerprint_video,
)
from tests.engine.matching_clips import Posted, Source, render_posted, render_source

SCENES = (
    "testsrc2,scroll=horizontal=0.004",
    "gradients=speed=0.04:seed=7,scroll=vertical=0.003",
    "pal75bars,scroll=horizontal=0.006",
    "smptehdbars,scroll=vertical=0.004",
    "rgbtestsrc,scroll=horizontal=-0.005",
) * 3
SPEECH = tuple(
    (at, sentence)
    for at, sentence in zip(
        range(0, 60, 5),
        [
            "Hi everyone, today I am showing you my favourite moisturiser.",
            "It feels light on the skin and it sinks in really fast.",
            "I use two pumps every morning after washing my face.",
            "The texture is like a gel, not greasy at all.",
        ]
        * 3,
        strict=True,
    )
)
CLIP = Source(SCENES, SPEECH, size=(1080, 1920))


def fastest(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def decode(path: Path, threads: int) -> None:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-threads", str(threads), "-i", str(path), "-f", "null", "-"],
        check=True,
        timeout=600,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="ffmpeg threads (0: one per core)")
    args = parser.parse_args()

    approved_clip = render_source(CLIP, "bench")
    posted_clip = render_posted(CLIP, Posted(parts=((0.0, CLIP.duration),)), "bench")
    minutes = CLIP.duration / 60

    decode_s = 0.0
    for path in (approved_clip, posted_clip):
        decode_s += fastest(args.runs, partial(decode, path, args.threads))
    prints: dict[str, VideoPrint] = {}
    print_s = 0.0
    for name, path in (("approved", approved_clip), ("posted", posted_clip)):
        seconds = fastest(args.runs, partial(fingerprint_video, path, threads=args.threads))
        prints[name] = fingerprint_video(path, threads=args.threads)
        print(f"fingerprint {name:8s} {seconds:6.2f} s  ({seconds / minutes:.2f} s per clip-minute)")
        print_s += seconds
    compare_s = fastest(args.runs, partial(compare, prints["approved"], prints["posted"]))
    result = compare(prints["approved"], prints["posted"])
    total = print_s + compare_s
    print(f"compare              {compare_s * 1000:6.1f} ms")
    print(f"decode both files    {decode_s:6.2f} s  (ffmpeg -f null, the baseline)")
    print(f"per compared minute  {total / minutes:6.2f} s  = {total / decode_s:.2f}x the plain decode")
    print(f"print size           {len(prints['approved'].to_json()) / minutes / 1000:.1f} kB per minute")
    print(f"verdict              {result.verdict} (video {result.video_similarity:.3f}, "
          f"audio {result.audio_similarity})")  # fmt: skip
    return 0 if result.verdict == "same" else 1


if __name__ == "__main__":
    sys.exit(main())
