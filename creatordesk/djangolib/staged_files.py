"""Uploaded files that wait on disk between their check and their import.

Each one waits in VAR_DIR/imports/<token>/ as `source.<kind>`, beside a JSON file of what is known
about it. Every importer names that file its own way (`meta.json`, `metrics.json`), so no import
loads another's files. The token is the only handle a browser holds: a wrong, expired or foreign
token looks the same as a missing file. Files nobody came back for are removed by the periodic
recovery task after KEEP_S.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

KEEP_S = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{24}")


class StagedFileMissing(Exception):
    """No staged file with this token for this workspace (imported, expired, discarded or foreign)."""


def root() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def folder(token: str) -> Path:
    return root() / token


def source(token: str, kind: str) -> Path:
    # openpyxl refuses workbooks whose name does not end in .xlsx.
    return folder(token) / f"source.{kind}"


def store(chunks: Iterable[bytes], *, kind: str) -> tuple[str, int]:
    """Copy an upload into a new folder; returns its token and the number of line breaks seen.

    The copy is renamed into place only when complete, so a full disk leaves no half file for a
    worker to read; on any failure the folder is gone again.
    """
    token = secrets.token_urlsafe(18)
    target = folder(token)
    target.mkdir(parents=True)
    lines = 0
    try:
        partial = target / "upload.part"
        with open(partial, "wb") as out:
            for chunk in chunks:
                lines += chunk.count(b"\n")
                out.write(chunk)
        os.replace(partial, source(token, kind))
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return token, lines


def write_meta(token: str, name: str, data: dict[str, Any]) -> None:
    """What is known about the file, replaced whole so a reader never sees half of it."""
    temporary = folder(token) / f"{name}.tmp"
    temporary.write_text(json.dumps(data))
    temporary.replace(folder(token) / name)


def read_meta(token: str, name: str, *, workspace_id: int) -> dict[str, Any]:
    """The JSON kept beside the file behind `token`, if it belongs to `workspace_id`."""
    meta = folder(token) / name
    if not _TOKEN.fullmatch(token) or not meta.exists():
        raise StagedFileMissing(token)
    data = json.loads(meta.read_text())
    if not isinstance(data, dict) or data.get("workspace_id") != workspace_id:
        raise StagedFileMissing(token)
    return data


def all_meta(name: str) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """(token, JSON) of every staged file with a `name` file; None for JSON that cannot be read."""
    base = root()
    for meta in sorted(base.glob(f"*/{name}")) if base.exists() else ():
        try:
            data = json.loads(meta.read_text())
        except (OSError, ValueError):
            data = None
        yield meta.parent.name, data if isinstance(data, dict) else None


def discard(token: str) -> None:
    if _TOKEN.fullmatch(token):
        shutil.rmtree(folder(token), ignore_errors=True)


def discard_all(tokens: Iterable[str]) -> None:
    for token in tokens:
        discard(token)


def remove_stale(*, now: float | None = None) -> int:
    """Remove staged files untouched for KEEP_S; returns how many went."""
    base = root()
    if not base.exists():
        return 0
    cutoff = (now if now is not None else time.time()) - KEEP_S
    removed = 0
    for entry in base.iterdir():
        if entry.is_dir() and entry.stat().st_mtime < cutoff:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed
