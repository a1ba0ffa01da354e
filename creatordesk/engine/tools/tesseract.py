"""Thin wrapper around the tesseract command-line OCR tool.

Tesseract spends most of a short call loading its language models, so images are handed over in
batches: one process reads a list of image files and prints one TSV table for all of them. Batches
run in parallel processes, each held to a single thread, which uses the cores better than
tesseract's own threading does on small images.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from creatordesk.engine.tools.ffmpeg import ToolError, last_line

TESSERACT = "tesseract"


@dataclass(frozen=True)
class Word:
    """One recognised word with its box, its line within the image, and tesseract's confidence (0-100)."""

    image: int
    line_key: tuple[int, int, int]
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str


def ocr_files(
    paths: list[Path],
    *,
    languages: str,
    work_dir: Path,
    timeout_s: float,
    processes: int = 1,
    psm: int = 11,
) -> list[list[Word]]:
    """Recognise words in each image file; returns one list of words per input path, in order.

    psm 11 ("sparse text") suits video frames: captions are scattered lines, not a page of prose.
    """
    if not paths:
        return []
    processes = max(1, min(processes, len(paths)))
    chunk = -(-len(paths) // processes)
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        results = pool.map(
            lambda item: _ocr_batch(
                item[1],
                first_index=item[0] * chunk,
                languages=languages,
                list_file=work_dir / f"ocr-batch-{item[0]}.txt",
                timeout_s=timeout_s,
                psm=psm,
            ),
            enumerate(chunks),
        )
        words_per_image: list[list[Word]] = []
        for batch in results:
            words_per_image.extend(batch)
    return words_per_image


def _ocr_batch(
    paths: list[Path], *, first_index: int, languages: str, list_file: Path, timeout_s: float, psm: int
) -> list[list[Word]]:
    list_file.write_text("".join(f"{path}\n" for path in paths))
    # One thread per process: the batches already run side by side.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    args = [TESSERACT, str(list_file), "stdout", "-l", languages, "--psm", str(psm), "--dpi", "72", "tsv"]
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout_s, env=env, check=False)
    except FileNotFoundError:
        raise ToolError(f"{TESSERACT} is not installed") from None
    except subprocess.TimeoutExpired:
        raise ToolError(f"{TESSERACT} took longer than {timeout_s:.0f} s") from None
    if done.returncode != 0:
        raise ToolError(f"{TESSERACT} failed: {last_line(done.stderr) or f'exit code {done.returncode}'}")
    return _parse_tsv(done.stdout.decode("utf-8", "replace"), count=len(paths), first_index=first_index)


def _parse_tsv(tsv: str, *, count: int, first_index: int) -> list[list[Word]]:
    """Turn tesseract's TSV (one row per layout element, level 5 = word) into words per image."""
    words: list[list[Word]] = [[] for _ in range(count)]
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        if not text:
            continue
        page = int(row["page_num"]) - 1
        if not 0 <= page < count:
            continue
        words[page].append(
            Word(
                image=first_index + page,
                line_key=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
                left=int(row["left"]),
                top=int(row["top"]),
                width=int(row["width"]),
                height=int(row["height"]),
                conf=float(row["conf"]),
                text=text,
            )
        )
    return words
