"""A sealed evaluation set for posted-as-approved matching (`creatordesk.engine.matching`).

This set was written WITHOUT looking at the implementation (`creatordesk/engine/matching/`) or at its
author's tests; it knows only the public contract: `fingerprint_video(path) -> VideoPrint`,
`compare(approved, posted) -> MatchResult` with `verdict` in {"same", "different_cut",
"different_video"}. It must NOT be used to tune the implementation: once thresholds are adjusted
until these pairs pass, the figures below stop saying anything about posts nobody has seen. Use it
to measure, then look for the cause in the transformation, and check any fix on other clips.

What it does:

* builds with ffmpeg (lavfi sources, moving DejaVu text, espeak-ng speech, synthetic music) a few
  approved clips of 16-20 s with several distinct scenes each, plus foreign footage, look-alike
  videos and alternate "draft" middles;
* derives posted variants from each approved clip with the verdict a person would give:
  "same" (re-encodes, other size/fps/codec, music under the voice, caption bars and app UI, a
  fraction of a second more or less at the ends, small zoom, colour filters, sound replaced by a
  trending sound, and combinations), "different_cut" (segments of 2 s or more removed, scenes
  reordered or replaced, an earlier draft with another middle, an intro of other footage) and
  "different_video";
* caches every file under /tmp/matching-sealed/ (delete the folder or pass --rebuild to remake);
* fingerprints each approved clip once and each posted clip, compares, prints a table, the
  accuracy per expected class, the confusion matrix and the time per pair.

It is a report, not a test: the exit code is 0 whatever the verdicts.

    .venv/bin/python bench/matching_sealed.py [--rebuild] [--jobs 2] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path("/tmp/matching-sealed")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FPS = 30
SR = 44100
BUILD_VERSION = "1"  # bump when a clip definition changes, so the cache is rebuilt
CLASSES = ("same", "different_cut", "different_video")


# ----------------------------------------------------------------------------------------------------
# ffmpeg helpers


def _run(cmd: list[str], what: str) -> None:
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-12:])
        raise RuntimeError(f"{what}: ffmpeg failed ({proc.returncode})\n{' '.join(cmd)}\n{tail}")


def _ff(*args: str) -> list[str]:
    return ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]


def _scene(tmp: Path, *, graph: str, seconds: float, label: str) -> None:
    _run(
        _ff("-f", "lavfi", "-i", graph, "-t", f"{seconds}", "-r", f"{FPS}", "-c:v", "libx264",
            "-preset", "ultrafast", "-crf", "14", "-pix_fmt", "yuv420p", str(tmp)),
        label,
    )  # fmt: skip


def _atomic(out: Path, make: Callable[[Path], None]) -> Path:
    """Build `out` through a temporary name so an interrupted run leaves no half file in the cache."""
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.stem + ".part" + out.suffix)
    make(tmp)
    tmp.replace(out)
    return out


def _esc(text: str) -> str:
    return text.replace("'", "")


def _text(label: str, h: int, k: float, y0: float, sub: str = "") -> str:
    """A big moving label and a ticker line: every scene keeps changing even on a flat background."""
    big = (
        f"drawtext=fontfile={FONT}:text='{_esc(label)}':fontsize={h // 13}:fontcolor=white:"
        f"borderw={max(2, h // 240)}:bordercolor=black:"
        f"x='(w-tw)/2+w/5*sin(t*{k})':y='h*{y0}+h/10*cos(t*{k * 0.7:.2f})'"
    )
    if not sub:
        return big
    small = (
        f"drawtext=fontfile={FONT}:text='{_esc(sub)}':fontsize={h // 30}:fontcolor=yellow:"
        f"box=1:boxcolor=black@0.5:x='w-mod(t*{int(h / 6)},w+tw)':y='h*0.62'"
    )
    return big + "," + small


# ----------------------------------------------------------------------------------------------------
# clip definitions


@dataclass(frozen=True)
class Scene:
    src: str  # lavfi source with {w} {h} {w4} {h4} {r} placeholders
    dur: float
    label: str
    sub: str = ""
    k: float = 1.3
    y0: float = 0.3


@dataclass(frozen=True)
class Clip:
    key: str
    size: tuple[int, int]
    scenes: tuple[Scene, ...]
    voice: str
    speed: int
    speech: str

    @property
    def duration(self) -> float:
        return sum(s.dur for s in self.scenes)


def _color(c: str) -> str:
    return f"color=c={c}:s={{w}}x{{h}}:r={{r}}"


def _life(seed: int, live: str, dead: str) -> str:
    return (
        f"life=s={{w4}}x{{h4}}:r={{r}}:seed={seed}:ratio=0.25:mold=8:life_color={live}:"
        f"death_color={dead}:mold_color=0x404040,scale={{w}}:{{h}}:flags=neighbor"
    )


def _cellauto(rule: int, seed: int) -> str:
    return (
        f"cellauto=s={{w4}}x{{h4}}:r={{r}}:rule={rule}:seed={seed}:random_fill_ratio=0.5:scroll=1,"
        f"scale={{w}}:{{h}}:flags=neighbor,colorchannelmixer=rr=0.9:gg=0.5:bb=0.2"
    )


def _mandel(x: float, y: float, s0: float, s1: float) -> str:
    return (
        f"mandelbrot=s={{w}}x{{h}}:r={{r}}:maxiter=200:start_scale={s0}:end_scale={s1}:end_pts=200:"
        f"start_x={x}:start_y={y}"
    )


def _grad(seed: int, speed: float = 0.03) -> str:
    return f"gradients=s={{w}}x{{h}}:r={{r}}:speed={speed}:seed={seed}:nb_colors=4"


TESTSRC = "testsrc2=s={w}x{h}:r={r}"
SMPTE = "smptebars=s={w}x{h}:r={r}"
SMPTEHD = "smptehdbars=s={w}x{h}:r={r},hflip"
CARPET = "sierpinski=s={w}x{h}:r={r}:type=carpet:seed=3"
TRIANGLE = "sierpinski=s={w}x{h}:r={r}:type=triangle:seed=8"

P = (540, 960)
HD = (720, 1280)

CLIPS: dict[str, Clip] = {
    # --- approved sources
    "serum": Clip(
        "serum",
        P,
        (
            Scene(_color("0xf4d7c8"), 4, "GLOW SERUM", "vitamin C - 30 ml", 1.1, 0.25),
            Scene(TESTSRC, 4, "TEXTURE", "lightweight and fast", 1.7, 0.55),
            Scene(_mandel(-0.743643887, 0.131825904, 2.0, 0.3), 4, "RESULTS", "after 14 days", 0.9),
            Scene(_grad(11), 4, "2X DAILY", "morning and night", 2.1, 0.4),
            Scene(SMPTE, 4, "LINK IN BIO", "code GLOW15", 1.4, 0.2),
        ),
        "en-us",
        155,
        "Hi everyone, this is my honest review of the new glow serum. The texture is light and it "
        "sinks in really fast. After fourteen days my skin looks brighter and calmer. I use it twice "
        "a day, morning and night, before my moisturiser. If you want to try it, the link is in my "
        "bio and the code glow fifteen gives you a discount.",
    ),
    "snack": Clip(
        "snack",
        HD,
        (
            Scene(_life(7, "0xff8800", "0x201040"), 4.5, "CRUNCH TIME", "new flavour", 1.2, 0.3),
            Scene(_color("0x1a2a6c"), 4.5, "CRUNCHY", "paprika and lime", 1.9, 0.45),
            Scene(_cellauto(110, 4), 4.5, "TASTE TEST", "honest opinion", 0.8, 0.25),
            Scene(CARPET, 4.5, "ONLY 1.99 EUR", "in every supermarket", 1.5, 0.5),
        ),
        "de",
        150,
        "Hallo zusammen, heute teste ich die neuen Chips mit Paprika und Limette. Sie sind richtig "
        "knusprig und nicht zu salzig. Ich finde den Geschmack wirklich gut, besonders die leichte "
        "Schärfe am Ende. Es gibt sie jetzt in jedem Supermarkt für nur einen Euro neunundneunzig.",
    ),
    "tech": Clip(
        "tech",
        P,
        (
            Scene(_grad(3, 0.08), 4, "UNBOX", "what is in the box", 1.6, 0.3),
            Scene(_cellauto(30, 9), 3.5, "SPECS", "six core chip", 2.3, 0.5),
            Scene(_mandel(-0.16, 1.0405, 0.05, 0.002), 4.5, "BATTERY", "forty eight hours", 1.0, 0.35),
            Scene(_color("0x222222"), 4, "48H", "tap the shop icon", 1.2, 0.4),
        ),
        "en-gb",
        165,
        "Let's unbox the new earbuds. In the box you get the case, three ear tips and a short cable. "
        "The chip inside is fast and the connection never dropped. The battery lasted forty eight hours "
        "with the case. Tap the shop icon to get yours.",
    ),
    "fitness": Clip(
        "fitness",
        P,
        (
            Scene(
                TESTSRC + ",rotate=a='0.25*sin(t*2)':fillcolor=black", 3, "WARM UP", "five minutes", 1.0, 0.3
            ),
            Scene(_color("0x1e7b3a"), 3, "SQUATS", "three sets of twelve", 2.0, 0.45),
            Scene(_life(21, "0x66ff66", "0x102010"), 3, "REPS", "keep your back straight", 1.5, 0.25),
            Scene(SMPTEHD, 3, "PLANK", "hold for sixty seconds", 0.7, 0.55),
            Scene(_grad(21, 0.05), 3, "COOL DOWN", "stretch it out", 1.8, 0.35),
            Scene(TRIANGLE, 3, "FOLLOW", "new plan every monday", 1.2, 0.2),
        ),
        "en-us+f3",
        170,
        "Okay, quick full body workout. Start with five minutes of warm up. Then squats, three sets of "
        "twelve. Keep your back straight on every rep. Now hold the plank for sixty seconds, you can do "
        "it. Finish with a cool down and a good stretch. Follow me for a new plan every monday.",
    ),
    # --- other footage: replacements and intros, look-alikes, earlier-draft middles
    "broll": Clip(
        "broll",
        P,
        (
            Scene(_color("0x6a1b9a"), 5, "UNBOXING", "package day", 1.4, 0.3),
            Scene(_life(99, "0xff66cc", "0x200020"), 5, "HAUL", "everything I bought", 1.1, 0.45),
        ),
        "en-us",
        160,
        "Package day! Let me show you everything I bought this month, there is so much in here.",
    ),
    "serum_lookalike": Clip(
        "serum_lookalike",
        P,
        (
            Scene(_color("0xf4d7c8"), 6, "GLOW SERUM", "my morning routine", 0.8, 0.5),
            Scene(_grad(5), 6, "MY ROUTINE", "cleanse tone glow", 1.5, 0.3),
            Scene(_color("0xf4d7c8"), 6, "SHOP NOW", "code GLOW15", 1.9, 0.4),
        ),
        "en-us",
        155,
        "Good morning, come do my skincare routine with me. First I cleanse, then toner, and then the "
        "glow serum, just two drops. My skin feels so fresh. Shop it with my code.",
    ),
    "snack_lookalike": Clip(
        "snack_lookalike",
        HD,
        (
            Scene(_color("0x1a2a6c"), 6, "CRUNCHY", "paprika and lime", 0.9, 0.3),
            Scene(_life(3, "0xff8800", "0x201040"), 6, "FAMILY PACK", "for the movie night", 1.6, 0.5),
            Scene(_color("0x1a2a6c"), 6, "TRY IT", "link in bio", 2.2, 0.35),
        ),
        "de",
        150,
        "Filmabend mit der Familie und natürlich gibt es die großen Tüten Chips. Paprika Limette ist "
        "mein Favorit. Probiert es aus, der Link ist in meiner Bio.",
    ),
    "serum_draft_mid": Clip(
        "serum_draft_mid",
        P,
        (
            Scene(_mandel(-0.7453, 0.1127, 0.5, 0.05), 3, "BEFORE", "day one", 1.2, 0.4),
            Scene(TESTSRC + ",hue=h=120", 4, "AFTER", "day thirty", 1.6, 0.3),
        ),
        "en-us",
        155,
        "Here is day one, and here is day thirty. The difference is crazy, look at this.",
    ),
    "fitness_draft_mid": Clip(
        "fitness_draft_mid",
        P,
        (
            Scene(_life(5, "0x66ff66", "0x102010"), 3, "LUNGES", "ten per leg", 1.3, 0.3),
            Scene(_color("0x1e7b3a"), 3, "PUSH UPS", "on your knees is fine", 1.7, 0.5),
        ),
        "en-us+f3",
        170,
        "Next, lunges, ten per leg. Then push ups, on your knees is totally fine.",
    ),
}

APPROVED = ("serum", "snack", "tech", "fitness")

MUSIC = {
    # a plucked arpeggio over a kick, and a second, different loop
    "pop": "0.22*sin(2*PI*t*(196+98*mod(floor(t*4),4)))*exp(-4*mod(t,0.25))"
    "+0.3*sin(2*PI*55*t)*exp(-10*mod(t,0.5))",
    "trend": "0.2*sin(2*PI*t*(330+55*mod(floor(t*3),5)))*exp(-3*mod(t,1/3))"
    "+0.25*sin(2*PI*82.4*t)*exp(-6*mod(t,2/3))+0.08*sin(2*PI*660*t)*exp(-20*mod(t+1/6,1/3))",
}


def _sub(src: str, w: int, h: int) -> str:
    return src.format(w=w, h=h, w4=w // 4, h4=h // 4, r=FPS)


def build_clip(clip: Clip) -> Path:
    base = ROOT / "clips" / clip.key
    out = base.with_suffix(".mp4")
    if out.exists():
        return out
    base.mkdir(parents=True, exist_ok=True)
    w, h = clip.size
    parts = []
    for i, sc in enumerate(clip.scenes):
        graph = f"{_sub(sc.src, w, h)},scale={w}:{h},setsar=1,format=yuv420p,{_text(sc.label, h, sc.k, sc.y0, sc.sub)}"
        part = base / f"scene{i}.mp4"
        _atomic(part, functools.partial(_scene, graph=graph, seconds=sc.dur, label=f"{clip.key} scene {i}"))
        parts.append(part)
    speech = base / "speech.wav"
    _atomic(
        speech,
        lambda tmp: _run(
            ["espeak-ng", "-v", clip.voice, "-s", str(clip.speed), "-w", str(tmp), clip.speech], "espeak-ng"
        ),
    )
    d = clip.duration
    lst = base / "list.txt"
    lst.write_text("".join(f"file '{p}'\n" for p in parts))
    ins = [
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        str(lst),
        "-i",
        str(speech),
        "-f",
        "lavfi",
        "-i",
        f"anoisesrc=c=pink:a=0.02:r={SR}:seed=5",
    ]
    fc = (
        f"[1:a]aresample={SR},aformat=channel_layouts=stereo,apad,atrim=0:{d}[s];"
        f"[2:a]aformat=channel_layouts=stereo,atrim=0:{d}[n];"
        f"[s][n]amix=inputs=2:duration=first,volume=2[a]"
    )
    _atomic(
        out,
        lambda tmp: _run(
            _ff(
                *ins,
                "-filter_complex",
                fc,
                "-map",
                "0:v",
                "-map",
                "[a]",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "17",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "160k",
                "-t",
                f"{d}",
                "-movflags",
                "+faststart",
                str(tmp),
            ),
            f"{clip.key} mux",
        ),
    )
    return out


def build_music(name: str) -> Path:
    out = ROOT / "music" / f"{name}.wav"
    return _atomic(
        out,
        lambda tmp: _run(
            _ff("-f", "lavfi", "-i", f"aevalsrc='{MUSIC[name]}':s={SR}:d=40", "-ac", "2", str(tmp)),
            f"music {name}",
        ),
    )


# ----------------------------------------------------------------------------------------------------
# posted variants


@dataclass
class Xf:
    """A transformation that keeps the cut: applied to one input file."""

    size: tuple[int, int] | None = None
    fps: float | None = None
    vf: tuple[str, ...] = ()
    af: tuple[str, ...] = ()
    trim_start: float = 0.0  # seconds dropped at the start
    trim_end: float = 0.0  # seconds dropped at the end
    pad_start: float = 0.0  # seconds added at the start (first frame held, silence)
    pad_end: float = 0.0
    music: str | None = None
    music_mode: str = "under"  # "under" the voice or "replace" the sound
    music_gain: float = 0.35
    vcodec: tuple[str, ...] = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "26")
    acodec: tuple[str, ...] = ("-c:a", "aac", "-b:a", "128k")
    ext: str = "mp4"


def apply_xf(src: Path, src_dur: float, xf: Xf, tmp: Path) -> None:
    ins = ["-i", str(src)]
    v = [f"trim=start={xf.trim_start}:end={src_dur - xf.trim_end}", "setpts=PTS-STARTPTS"]
    if xf.pad_start or xf.pad_end:
        v.append(
            f"tpad=start_duration={xf.pad_start}:start_mode=clone:stop_duration={xf.pad_end}:stop_mode=clone"
        )
    v += list(xf.vf)
    if xf.size:
        v.append(f"scale={xf.size[0]}:{xf.size[1]}")
    if xf.fps:
        v.append(f"fps={xf.fps}")
    v += ["setsar=1", "format=yuv420p"]
    fc = [f"[0:v]{','.join(v)}[v]"]
    a = [f"atrim=start={xf.trim_start}:end={src_dur - xf.trim_end}", "asetpts=PTS-STARTPTS"]
    if xf.pad_start:
        a.append(f"adelay=delays={int(xf.pad_start * 1000)}:all=1")
    if xf.pad_end:
        a.append(f"apad=pad_dur={xf.pad_end}")
    a += list(xf.af)
    out_len = src_dur - xf.trim_start - xf.trim_end + xf.pad_start + xf.pad_end
    if xf.music:
        ins += ["-i", str(build_music(xf.music))]
        fc.append(f"[1:a]atrim=0:{out_len},asetpts=PTS-STARTPTS,volume={xf.music_gain}[m]")
        if xf.music_mode == "replace":
            fc.append("[m]anull[a]")
        else:
            fc.append(f"[0:a]{','.join(a)}[voice]")
            fc.append("[voice][m]amix=inputs=2:duration=first,volume=2[a]")
    else:
        fc.append(f"[0:a]{','.join(a)}[a]")
    _run(
        _ff(
            *ins,
            "-filter_complex",
            ";".join(fc),
            "-map",
            "[v]",
            "-map",
            "[a]",
            *xf.vcodec,
            *xf.acodec,
            "-t",
            f"{out_len:.3f}",
            str(tmp),
        ),
        f"transform {tmp.name}",
    )


def make_cut(parts: list[tuple[str, float, float]], size: tuple[int, int], tmp: Path) -> None:
    """Concatenate (clip, start, end) pieces, each scaled to `size`, re-encoded at good quality."""
    ins: list[str] = []
    fc = []
    for i, (key, s, e) in enumerate(parts):
        ins += ["-i", str(build_clip(CLIPS[key]))]
        fc.append(
            f"[{i}:v]trim=start={s}:end={e},setpts=PTS-STARTPTS,scale={size[0]}:{size[1]},setsar=1,"
            f"fps={FPS},format=yuv420p[v{i}]"
        )
        fc.append(
            f"[{i}:a]atrim=start={s}:end={e},asetpts=PTS-STARTPTS,aresample={SR},"
            f"aformat=channel_layouts=stereo[a{i}]"
        )
    fc.append("".join(f"[v{i}][a{i}]" for i in range(len(parts))) + f"concat=n={len(parts)}:v=1:a=1[v][a]")
    _run(
        _ff(
            *ins,
            "-filter_complex",
            ";".join(fc),
            "-map",
            "[v]",
            "-map",
            "[a]",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "20",
            "-c:a",
            "aac",
            "-b:a",
            "160k",
            str(tmp),
        ),
        f"cut {tmp.name}",
    )


@dataclass
class Pair:
    name: str
    approved: str
    expected: str
    what: str
    parts: list[tuple[str, float, float]] | None = None  # a cut built from pieces (None: the approved clip)
    base: str | None = None  # a whole other clip as the base (different video)
    xf: Xf | None = None
    path: Path = field(default=Path())

    def build(self) -> Path:
        ap = CLIPS[self.approved]
        ext = self.xf.ext if self.xf else "mp4"
        out = ROOT / "posted" / f"{self.name}.{ext}"
        if out.exists():
            self.path = out
            return out
        if self.parts is not None:
            src_dur = sum(e - s for _, s, e in self.parts)
            src = _atomic(
                ROOT / "posted" / f"{self.name}.cut.mp4", lambda tmp: make_cut(self.parts or [], ap.size, tmp)
            )
        elif self.base is not None:
            src, src_dur = build_clip(CLIPS[self.base]), CLIPS[self.base].duration
        else:
            src, src_dur = build_clip(ap), ap.duration
        xf = self.xf or Xf(vcodec=("-c:v", "libx264", "-preset", "veryfast", "-crf", "23"))
        _atomic(out, lambda tmp: apply_xf(src, src_dur, xf, tmp))
        self.path = out
        return out


# Realistic overlays: caption bar, TikTok's right-hand buttons and bottom description, a top crop.
CAPTION_BOTTOM = (
    "drawbox=x=0:y=ih*0.78:w=iw:h=ih*0.13:color=black@0.85:t=fill",
    f"drawtext=fontfile={FONT}:text='honest review - link in bio':fontsize=h/34:fontcolor=white:"
    "x=(w-tw)/2:y=h*0.82",
)
CAPTION_TOP = (
    "drawbox=x=0:y=0:w=iw:h=ih*0.11:color=white@0.95:t=fill",
    f"drawtext=fontfile={FONT}:text='POV you found THE one':fontsize=h/30:fontcolor=black:"
    "x=(w-tw)/2:y=h*0.035",
)
TIKTOK_UI = (
    # right column of like/comment/share buttons, username and description at the bottom
    "drawbox=x=iw*0.84:y=ih*0.45:w=iw*0.12:h=iw*0.12:color=white@0.8:t=fill",
    "drawbox=x=iw*0.84:y=ih*0.55:w=iw*0.12:h=iw*0.12:color=white@0.8:t=fill",
    "drawbox=x=iw*0.84:y=ih*0.65:w=iw*0.12:h=iw*0.12:color=white@0.8:t=fill",
    f"drawtext=fontfile={FONT}:text='@creator.name':fontsize=h/36:fontcolor=white:borderw=2:x=w*0.04:y=h*0.86",
    f"drawtext=fontfile={FONT}:text='#ad #skincare #fyp':fontsize=h/44:fontcolor=white:borderw=2:x=w*0.04:y=h*0.90",
    "drawbox=x=0:y=ih*0.96:w=iw:h=ih*0.04:color=black:t=fill",
)
CROP_TOP_12 = ("crop=iw:ih*0.88:0:ih*0.12", "pad=iw:ceil(ih/0.88/2)*2:0:oh-ih:black")


def zoom(share: float, size: tuple[int, int]) -> tuple[str, ...]:
    """A centre zoom by `share` (0.08: 8 %), back to the clip's own size."""
    keep = 1 - share
    return (f"crop=iw*{keep}:ih*{keep}", f"scale={size[0]}:{size[1]}")


LOW = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "33")
LOWA = ("-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", "22050")


def _pairs() -> list[Pair]:
    s, c, v = "same", "different_cut", "different_video"
    sd = CLIPS["serum"].duration  # 20
    nd = CLIPS["snack"].duration  # 18
    td = CLIPS["tech"].duration  # 16
    fd = CLIPS["fitness"].duration  # 18
    return [
        # ---------------- serum (540x960, 20 s, 5 scenes of 4 s)
        Pair(
            "serum_reencode_360p_24fps_crf33",
            "serum",
            s,
            "360x640, 24 fps, CRF 33, mono 64k AAC",
            xf=Xf(size=(360, 640), fps=24, vcodec=LOW, acodec=LOWA),
        ),
        Pair(
            "serum_caption_bar_bottom",
            "serum",
            s,
            "black caption bar over the bottom 13 %, CRF 28",
            xf=Xf(vf=CAPTION_BOTTOM, vcodec=("-c:v", "libx264", "-preset", "veryfast", "-crf", "28")),
        ),
        Pair(
            "serum_trim_edges_0.4s",
            "serum",
            s,
            "0.4 s cut at the start, 0.5 s at the end",
            xf=Xf(trim_start=0.4, trim_end=0.5),
        ),
        Pair(
            "serum_warm_bright_filter",
            "serum",
            s,
            "brightness +0.08, saturation 1.4, contrast 1.1, hue +12",
            xf=Xf(vf=("eq=brightness=0.08:saturation=1.4:contrast=1.1", "hue=h=12")),
        ),
        Pair(
            "serum_trending_sound",
            "serum",
            s,
            "sound replaced entirely by a trending loop",
            xf=Xf(music="trend", music_mode="replace", music_gain=1.0),
        ),
        Pair(
            "serum_remove_3s_middle",
            "serum",
            c,
            "8.0-11.0 s removed",
            parts=[("serum", 0, 8), ("serum", 11, sd)],
        ),
        Pair(
            "serum_earlier_draft_middle",
            "serum",
            c,
            "draft: 6-12 s is other footage (7 s) and other words",
            parts=[("serum", 0, 6), ("serum_draft_mid", 0, 7), ("serum", 12, sd)],
        ),
        Pair(
            "serum_intro_other_2.5s",
            "serum",
            c,
            "2.5 s of other footage before the approved video",
            parts=[("broll", 0, 2.5), ("serum", 0, sd)],
        ),
        Pair(
            "serum_vs_lookalike",
            "serum",
            v,
            "same product look (peach field, GLOW SERUM), other video",
            base="serum_lookalike",
        ),
        Pair(
            "serum_vs_snack_video",
            "serum",
            v,
            "another creator's video, re-encoded 540x960",
            base="snack",
            xf=Xf(size=(540, 960)),
        ),
        # ---------------- snack (720x1280, 18 s, 4 scenes of 4.5 s)
        Pair(
            "snack_hevc_540p",
            "snack",
            s,
            "HEVC 540x960 CRF 30, 25 fps",
            xf=Xf(
                size=(540, 960),
                fps=25,
                vcodec=(
                    "-c:v",
                    "libx265",
                    "-preset",
                    "ultrafast",
                    "-crf",
                    "30",
                    "-tag:v",
                    "hvc1",
                    "-x265-params",
                    "log-level=error",
                ),
            ),
        ),
        Pair(
            "snack_music_under_voice",
            "snack",
            s,
            "pop loop mixed under the voice",
            xf=Xf(music="pop", music_gain=0.45),
        ),
        Pair(
            "snack_top_crop_ui",
            "snack",
            s,
            "top 12 % cropped (black), TikTok buttons and text",
            xf=Xf(vf=CROP_TOP_12 + TIKTOK_UI),
        ),
        Pair("snack_zoom_8pct", "snack", s, "8 % centre zoom", xf=Xf(vf=zoom(0.08, HD))),
        Pair(
            "snack_tiktok_combo",
            "snack",
            s,
            "5 % zoom, caption on top, UI, music under, 576x1024 CRF 30, 0.3 s trimmed",
            xf=Xf(
                vf=zoom(0.05, HD) + CAPTION_TOP + TIKTOK_UI,
                size=(576, 1024),
                trim_start=0.3,
                music="pop",
                music_gain=0.3,
                vcodec=("-c:v", "libx264", "-preset", "veryfast", "-crf", "30"),
            ),
        ),
        Pair(
            "snack_reorder_scenes",
            "snack",
            c,
            "scenes 2 and 3 swapped (4.5-9 <-> 9-13.5)",
            parts=[("snack", 0, 4.5), ("snack", 9, 13.5), ("snack", 4.5, 9), ("snack", 13.5, nd)],
        ),
        Pair(
            "snack_remove_2s",
            "snack",
            c,
            "10.0-12.0 s removed (the 2 s limit)",
            parts=[("snack", 0, 10), ("snack", 12, nd)],
        ),
        Pair(
            "snack_replace_scene_broll",
            "snack",
            c,
            "9-13.5 s replaced by 4.5 s of other footage",
            parts=[("snack", 0, 9), ("broll", 2, 6.5), ("snack", 13.5, nd)],
        ),
        Pair(
            "snack_vs_lookalike",
            "snack",
            v,
            "same product look (navy field, CRUNCHY), other video",
            base="snack_lookalike",
        ),
        Pair(
            "snack_vs_broll_trending",
            "snack",
            v,
            "other footage with a trending sound",
            base="broll",
            xf=Xf(size=(720, 1280), music="trend", music_mode="replace", music_gain=1.0),
        ),
        # ---------------- tech (540x960, 16 s, scenes 4/3.5/4.5/4)
        Pair(
            "tech_pad_edges_0.6s",
            "tech",
            s,
            "first frame held 0.6 s, last frame held 0.4 s",
            xf=Xf(pad_start=0.6, pad_end=0.4),
        ),
        Pair(
            "tech_bw_filter",
            "tech",
            s,
            "black-and-white filter, contrast 1.2",
            xf=Xf(vf=("hue=s=0", "eq=contrast=1.2")),
        ),
        Pair(
            "tech_720p_25fps_600k",
            "tech",
            s,
            "upscaled 720x1280, 25 fps, 600 kbit/s, baseline profile",
            xf=Xf(
                size=(720, 1280),
                fps=25,
                vcodec=(
                    "-c:v",
                    "libx264",
                    "-preset",
                    "veryfast",
                    "-profile:v",
                    "baseline",
                    "-b:v",
                    "600k",
                    "-maxrate",
                    "700k",
                    "-bufsize",
                    "1200k",
                ),
            ),
        ),
        Pair(
            "tech_trending_sound_caption",
            "tech",
            s,
            "sound replaced, caption bar at the bottom, sat 1.3",
            xf=Xf(
                vf=(*CAPTION_BOTTOM, "eq=saturation=1.3"), music="pop", music_mode="replace", music_gain=1.0
            ),
        ),
        Pair("tech_remove_end_3s", "tech", c, "last 3 s removed (13-16)", parts=[("tech", 0, 13)]),
        Pair(
            "tech_intro_other_1.8s",
            "tech",
            c,
            "1.8 s of other footage before the approved video",
            parts=[("broll", 5, 6.8), ("tech", 0, td)],
        ),
        Pair(
            "tech_reorder_trending_sound",
            "tech",
            c,
            "scenes 1 and 3 swapped, sound replaced by a loop",
            parts=[("tech", 7.5, 12), ("tech", 4, 7.5), ("tech", 0, 4), ("tech", 12, td)],
            xf=Xf(music="trend", music_mode="replace", music_gain=1.0),
        ),
        Pair(
            "tech_vs_fitness_tiktok",
            "tech",
            v,
            "another video with caption bar and music under",
            base="fitness",
            xf=Xf(vf=CAPTION_BOTTOM, music="pop"),
        ),
        # ---------------- fitness (540x960, 18 s, 6 scenes of 3 s)
        Pair(
            "fitness_gop15_crf30_aac96",
            "fitness",
            s,
            "H.264 keyframe every 15 frames, no B-frames, CRF 30",
            xf=Xf(
                vcodec=("-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-g", "15", "-bf", "0"),
                acodec=("-c:a", "aac", "-b:a", "96k"),
            ),
        ),
        Pair(
            "fitness_darker",
            "fitness",
            s,
            "brightness -0.1, gamma 0.85",
            xf=Xf(vf=("eq=brightness=-0.1:gamma=0.85",)),
        ),
        Pair(
            "fitness_zoom_caption_music",
            "fitness",
            s,
            "5 % zoom, caption bar on top, music under",
            xf=Xf(vf=zoom(0.05, P) + CAPTION_TOP, music="trend", music_gain=0.4),
        ),
        Pair(
            "fitness_trim_start_pad_end",
            "fitness",
            s,
            "0.3 s cut at the start, last frame held 0.7 s",
            xf=Xf(trim_start=0.3, pad_end=0.7),
        ),
        Pair(
            "fitness_vintage_vignette",
            "fitness",
            s,
            "vintage curves and a vignette",
            xf=Xf(vf=("curves=preset=vintage", "vignette")),
        ),
        Pair(
            "fitness_earlier_draft_middle",
            "fitness",
            c,
            "draft: 6-12 s is other footage (6 s) and other words",
            parts=[("fitness", 0, 6), ("fitness_draft_mid", 0, 6), ("fitness", 12, fd)],
        ),
        Pair(
            "fitness_remove_start_3s", "fitness", c, "first scene (0-3 s) removed", parts=[("fitness", 3, fd)]
        ),
        Pair(
            "fitness_replace_scene_other",
            "fitness",
            c,
            "9-12 s replaced by 3 s of another video",
            parts=[("fitness", 0, 9), ("tech", 8, 11), ("fitness", 12, fd)],
        ),
        Pair(
            "fitness_cut_then_tiktok",
            "fitness",
            c,
            "6.0-8.5 s removed, then caption bar, UI, CRF 30",
            parts=[("fitness", 0, 6), ("fitness", 8.5, fd)],
            xf=Xf(
                vf=CAPTION_BOTTOM + TIKTOK_UI, vcodec=("-c:v", "libx264", "-preset", "veryfast", "-crf", "30")
            ),
        ),
        Pair(
            "fitness_vs_tech_trimmed",
            "fitness",
            v,
            "another video, first 0.5 s trimmed",
            base="tech",
            xf=Xf(trim_start=0.5),
        ),
    ]


# ----------------------------------------------------------------------------------------------------
# run


def _build_all(pairs: list[Pair], jobs: int) -> None:
    stamp = ROOT / "BUILD_VERSION"
    if stamp.exists() and stamp.read_text().strip() != BUILD_VERSION:
        shutil.rmtree(ROOT)
    ROOT.mkdir(parents=True, exist_ok=True)
    stamp.write_text(BUILD_VERSION)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as ex:
        list(ex.map(build_clip, CLIPS.values()))
        list(ex.map(build_music, MUSIC))
        list(ex.map(Pair.build, pairs))
    print(f"clips ready in {time.perf_counter() - t0:.1f} s under {ROOT}", flush=True)


def _fmt(x: object) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.2f}"
    return str(x)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rebuild", action="store_true", help="delete the cache and build every clip again")
    ap.add_argument("--jobs", type=int, default=2, help="ffmpeg builds at once")
    ap.add_argument("--only", default="", help="run only pairs whose name contains this")
    args = ap.parse_args()

    from creatordesk.engine.matching import fingerprint_video

    if args.rebuild and ROOT.exists():
        shutil.rmtree(ROOT)
    pairs = [p for p in _pairs() if args.only in p.name]
    _build_all(pairs, args.jobs)

    prints = {}
    approved_times = {}
    for key in sorted({p.approved for p in pairs}):
        t0 = time.perf_counter()
        prints[key] = fingerprint_video(build_clip(CLIPS[key]))
        approved_times[key] = time.perf_counter() - t0

    rows = _evaluate(pairs, prints)
    _print_table(rows)
    _print_classes(rows)
    _print_times(rows, approved_times)
    _print_mistakes(rows)
    (ROOT / "results.json").write_text(json.dumps(rows, indent=1, default=str))
    print(f"\nrows written to {ROOT / 'results.json'}")
    return 0


def _evaluate(pairs: list[Pair], prints: dict[str, Any]) -> list[dict[str, Any]]:
    from creatordesk.engine.matching import compare, fingerprint_video

    rows = []
    for p in pairs:
        t0 = time.perf_counter()
        try:
            posted = fingerprint_video(p.path)
            t1 = time.perf_counter()
            res = compare(prints[p.approved], posted)
            t2 = time.perf_counter()
            got = str(getattr(res, "verdict", res))
            row = {
                "name": p.name,
                "expected": p.expected,
                "got": got,
                "what": p.what,
                "video": getattr(res, "video_similarity", None),
                "audio": getattr(res, "audio_similarity", None),
                "offset": getattr(res, "offset_s", None),
                "audio_replaced": getattr(res, "audio_replaced", None),
                "reason": getattr(res, "reason", None),
                "missing": getattr(res, "missing", None),
                "extra": getattr(res, "extra", None),
                "changed": getattr(res, "changed", None),
                "t_print": t1 - t0,
                "t_compare": t2 - t1,
            }
        except Exception as exc:  # a report: an error is a result too
            row = {
                "name": p.name,
                "expected": p.expected,
                "got": f"ERROR {type(exc).__name__}",
                "what": p.what,
                "error": "".join(traceback.format_exception_only(exc)).strip(),
                "t_print": time.perf_counter() - t0,
                "t_compare": 0.0,
            }
        rows.append(row)
        ok = "ok" if row["got"] == p.expected else "XX"
        print(
            f"{ok} {p.name:36s} {p.expected:16s} {row['got']:16s} "
            f"v={_fmt(row.get('video'))} a={_fmt(row.get('audio'))} off={_fmt(row.get('offset'))}",
            flush=True,
        )

    return rows


def _print_table(rows: list[dict[str, Any]]) -> None:
    # ---- table
    print()
    hdr = f"{'pair':38s} {'expected':16s} {'got':16s} {'video':>6s} {'audio':>6s} {'offset':>7s} {'repl':>5s} {'s/pair':>7s}"
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        mark = "" if r["got"] == r["expected"] else "  <-- MISTAKE"
        print(
            f"{r['name']:38s} {r['expected']:16s} {r['got']:16s} {_fmt(r.get('video')):>6s} "
            f"{_fmt(r.get('audio')):>6s} {_fmt(r.get('offset')):>7s} {_fmt(r.get('audio_replaced')):>5s} "
            f"{r['t_print'] + r['t_compare']:7.2f}{mark}"
        )


def _print_classes(rows: list[dict[str, Any]]) -> None:
    # ---- per class and confusion
    print("\naccuracy per expected class")
    for cls in CLASSES:
        sel = [r for r in rows if r["expected"] == cls]
        if sel:
            n_ok = sum(r["got"] == cls for r in sel)
            print(f"  {cls:16s} {n_ok:2d}/{len(sel):2d}  {100 * n_ok / len(sel):5.1f} %")
    n_ok = sum(r["got"] == r["expected"] for r in rows)
    print(f"  {'all':16s} {n_ok:2d}/{len(rows):2d}  {100 * n_ok / max(1, len(rows)):5.1f} %")
    same_ok = sum((r["expected"] == "same") == (r["got"] == "same") for r in rows)
    print(f"  same vs not-same (binary): {same_ok}/{len(rows)}")

    got_classes = list(CLASSES) + sorted({r["got"] for r in rows} - set(CLASSES))
    print("\nconfusion matrix (rows: expected, columns: got)")
    print(f"  {'':16s} " + " ".join(f"{g:>16s}" for g in got_classes))
    for cls in CLASSES:
        counts = [sum(r["expected"] == cls and r["got"] == g for r in rows) for g in got_classes]
        print(f"  {cls:16s} " + " ".join(f"{n:16d}" for n in counts))


def _print_times(rows: list[dict[str, Any]], approved_times: dict[str, float]) -> None:
    # ---- time
    per_pair = [r["t_print"] + r["t_compare"] for r in rows]
    cmp_t = [r["t_compare"] for r in rows]
    print("\ntime")
    print("  approved prints: " + ", ".join(f"{k} {t:.2f} s" for k, t in approved_times.items()))
    if per_pair:
        print(
            f"  per pair (posted print + compare): mean {statistics.mean(per_pair):.2f} s, median "
            f"{statistics.median(per_pair):.2f} s, max {max(per_pair):.2f} s"
        )
        print(f"  compare alone: mean {1000 * statistics.mean(cmp_t):.1f} ms, max {1000 * max(cmp_t):.1f} ms")
        amort = (sum(per_pair) + sum(approved_times.values())) / len(per_pair)
        print(
            f"  per pair incl. the approved print shared per source: {amort:.2f} s; "
            f"total {sum(per_pair) + sum(approved_times.values()):.1f} s for {len(rows)} pairs"
        )


def _print_mistakes(rows: list[dict[str, Any]]) -> None:
    mistakes = [r for r in rows if r["got"] != r["expected"]]
    if mistakes:
        print("\nmistakes")
        for r in mistakes:
            print(f"  {r['name']}: expected {r['expected']}, got {r['got']} ({r['what']})")
            detail = {k: r.get(k) for k in ("reason", "missing", "extra", "changed", "error") if r.get(k)}
            if detail:
                print(f"      {detail}")


if __name__ == "__main__":
    try:
        main()
    except Exception:  # a report: never a failing exit code
        traceback.print_exc()
    sys.exit(0)
