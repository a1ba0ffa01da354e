"""Thin wrappers around the ffprobe and ffmpeg command-line tools.

Every call has an explicit timeout. A failing or hanging tool raises `ToolError`; the caller decides
whether that means bad input (probe) or a failed step (everything after it).
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"

# Both tools must never wait for a keypress on stdin nor print a banner into the error we show.
_QUIET = ["-nostdin", "-hide_banner"]


class ToolError(Exception):
    """An external tool is missing, failed, or ran past its timeout."""


def run_tool(args: list[str], *, timeout_s: float) -> subprocess.CompletedProcess[bytes]:
    """Run a tool to completion; raise ToolError with the tool's last error line when it fails."""
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout_s, check=False)
    except FileNotFoundError:
        raise ToolError(f"{args[0]} is not installed") from None
    except subprocess.TimeoutExpired:
        raise ToolError(f"{args[0]} took longer than {timeout_s:.0f} s") from None
    if done.returncode != 0:
        raise ToolError(f"{args[0]} failed: {last_line(done.stderr) or f'exit code {done.returncode}'}")
    return done


def last_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def ffprobe(path: Path, *, timeout_s: float) -> dict[str, object]:
    """Container and stream metadata as ffprobe's JSON. Reads headers only, decodes nothing."""
    done = run_tool(
        [FFPROBE, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        timeout_s=timeout_s,
    )
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise ToolError("ffprobe printed no readable metadata") from None
    if not isinstance(data, dict):
        raise ToolError("ffprobe printed no readable metadata")
    return data


def last_packet_time(path: Path, *, from_s: float, stream: str, timeout_s: float) -> tuple[float, bool]:
    """Time of the last packet of `stream` read from `from_s` on, and whether the file ended early.

    Seeking through the container index and reading the tail costs milliseconds, and it is the one
    cheap way to tell a file cut off mid-upload from a whole one: the header of a "fast start" MP4
    still promises the full duration.
    """
    args = [
        FFPROBE,
        "-v",
        "error",
        "-read_intervals",
        f"{max(from_s, 0.0):.3f}%",
        "-select_streams",
        stream,
        "-show_entries",
        "packet=pts_time",
        "-of",
        "csv=p=0",
        str(path),
    ]
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout_s, check=False)
    except FileNotFoundError:
        raise ToolError(f"{FFPROBE} is not installed") from None
    except subprocess.TimeoutExpired:
        raise ToolError(f"{FFPROBE} took longer than {timeout_s:.0f} s") from None
    times = []
    for line in done.stdout.decode("ascii", "replace").splitlines():
        try:
            times.append(float(line.strip().strip(",")))
        except ValueError:
            continue
    partial = b"partial file" in done.stderr or done.returncode != 0
    return (max(times) if times else -1.0), partial  # -1: the container gave no packet times


_LOUDNESS = re.compile(rb"I:\s+(-?[\d.]+|-inf)\s+LUFS")


@dataclass(frozen=True)
class Audio:
    """Mono 16 kHz float32 samples in [-1, 1], and the integrated loudness of the original track."""

    samples: np.ndarray
    sample_rate: int
    loudness_lufs: float | None


def read_audio(path: Path, *, sample_rate: int = 16000, timeout_s: float, threads: int = 0) -> Audio:
    """Decode the first audio stream to mono PCM for speech recognition, measuring loudness on the way.

    The EBU R128 meter runs in the same pass, so loudness costs no extra read of the file. `threads`
    bounds ffmpeg's threads (0: ffmpeg's own choice, one per core).
    """
    done = run_tool(
        [
            FFMPEG,
            *_QUIET,
            "-nostats",
            "-threads",
            str(threads),
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-af",
            "ebur128=framelog=verbose",
            "-ac",
            "1",
            "-ar",
            str(sample_rate),
            "-f",
            "s16le",
            "-acodec",
            "pcm_s16le",
            "pipe:1",
        ],
        timeout_s=timeout_s,
    )
    samples = np.frombuffer(done.stdout, dtype=np.int16).astype(np.float32) / 32768.0
    loudness = None
    matches = _LOUDNESS.findall(done.stderr)
    if matches:
        raw = matches[-1].decode()
        loudness = float("-inf") if raw == "-inf" else float(raw)
    return Audio(samples=samples, sample_rate=sample_rate, loudness_lufs=loudness)


class FrameReader:
    """Decodes the video once and yields evenly spaced, downscaled BGR frames with their times.

    ffmpeg does the decoding, frame-rate reduction and scaling in its own threads; Python only
    receives the few frames per second it analyses. Use as a context manager so the process is
    always reaped, also when the consumer stops early. `threads` bounds the decoder's and the
    filters' threads (0: ffmpeg's own choice, one per core and more).
    """

    def __init__(
        self, path: Path, *, fps: float, width: int, height: int, timeout_s: float, threads: int = 0
    ) -> None:
        self.fps = fps
        self.width = width
        self.height = height
        self._timed_out = False
        self._args = [
            FFMPEG,
            *_QUIET,
            "-v",
            "error",
            # Frames that no other frame references are never needed at a few samples per second;
            # skipping them saves a large share of the decoding work on H.264/HEVC.
            "-skip_frame",
            "noref",
            # Deblocking only polishes the picture; OCR on a downscaled frame does not need it.
            "-skip_loop_filter",
            "all",
            "-threads",
            str(threads),
            "-i",
            str(path),
            "-map",
            "0:v:0",
            "-an",
            "-sn",
            "-dn",
            "-vf",
            f"fps={fps},scale={width}:{height}:flags=fast_bilinear",
            "-filter_threads",
            str(threads),
            "-f",
            "rawvideo",
            "-pix_fmt",
            "bgr24",
            "pipe:1",
        ]
        self._timeout_s = timeout_s
        self._proc: subprocess.Popen[bytes] | None = None
        self._timer: threading.Timer | None = None
        self._exhausted = False
        self.stderr = b""

    def __enter__(self) -> FrameReader:
        try:
            self._proc = subprocess.Popen(
                self._args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
            )
        except FileNotFoundError:
            raise ToolError(f"{FFMPEG} is not installed") from None
        self._timer = threading.Timer(self._timeout_s, self._kill_on_timeout)
        self._timer.daemon = True
        self._timer.start()
        # stderr is drained in the background so a chatty decoder cannot fill the pipe and stall.
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()
        return self

    def _kill_on_timeout(self) -> None:
        self._timed_out = True
        if self._proc is not None:
            self._proc.kill()

    def _drain_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        self.stderr = self._proc.stderr.read()

    def frames(self) -> Iterator[tuple[float, np.ndarray]]:
        assert self._proc is not None and self._proc.stdout is not None
        size = self.width * self.height * 3
        index = 0
        while True:
            buf = self._proc.stdout.read(size)
            if len(buf) < size:
                self._exhausted = True
                break
            yield index / self.fps, np.frombuffer(buf, dtype=np.uint8).reshape(self.height, self.width, 3)
            index += 1

    def __exit__(self, *exc: object) -> None:
        assert self._proc is not None
        stopped_early = exc[0] is not None or not self._exhausted
        if stopped_early and self._proc.poll() is None:
            self._proc.kill()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        returncode = self._proc.wait()
        self._stderr_thread.join()
        if self._timer is not None:
            self._timer.cancel()
        if self._timed_out:
            raise ToolError(f"{FFMPEG} took longer than {self._timeout_s:.0f} s")
        if stopped_early:
            return
        if returncode != 0:
            raise ToolError(f"{FFMPEG} failed: {last_line(self.stderr) or f'exit code {returncode}'}")
