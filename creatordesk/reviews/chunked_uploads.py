"""Resumable uploads: a video arrives in chunks appended to a partial file, and survives a dropped connection.

The protocol, small and close to tus (https://tus.io/protocols/resumable-upload):

- `POST <start url>` with the form's fields and `name`, `size`, `type` of the file opens an upload
  (201, JSON with its `url` and the suggested `chunk_size`). Its size is checked against the limit here.
- `PATCH <url>` with header `Upload-Offset: <n>` and the raw bytes from byte n appends a chunk. The
  offset must be exactly the number of bytes the server holds, else 409 with the right `offset`.
- `HEAD`/`GET <url>` tell the received offset (header `Upload-Offset`, JSON `offset`), so a client
  whose connection dropped asks and goes on from there.
- The chunk that completes the file hands it to the same service as a single-post upload, which
  probes it (type, size, duration, dimensions) and stores it atomically; the answer names the page
  to go to, or the reason the file was refused.
- `DELETE <url>` cancels and removes what arrived.

The partial file lives in MEDIA_ROOT, which machines behind one load balancer share, so a chunk may
land on any of them; its length on disk is the received offset, so bytes written by a request that
broke off half-way count too. Uploads untouched for a day are removed when the next one starts.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.reviews import services
from creatordesk.reviews.models import Submission, UploadSession, UploadState
from creatordesk.reviews.uploads import FULL_STORAGE_ERRNOS, storage_full_error, too_large_message

if TYPE_CHECKING:
    from creatordesk.accounts.models import User
    from creatordesk.campaigns.models import Collaboration
    from creatordesk.creators.models import Creator

# Small enough that a chunk lost on a mobile connection costs seconds, large enough that the
# per-request overhead stays under a few percent on a fast one.
CHUNK_BYTES = 4 * 1024**2
STALE_AFTER = timedelta(days=1)
_COPY_BYTES = 256 * 1024


class OffsetMismatch(Exception):
    """A chunk that does not start where the received bytes end; `expected` is where it must."""

    def __init__(self, expected: int) -> None:
        super().__init__(expected)
        self.expected = expected


class UploadBusy(OffsetMismatch):
    """Another request is appending to the same upload right now."""


class UploadGone(Exception):
    """The upload was cancelled, removed as stale, or its partial file is missing."""


class ChunkTooLarge(ValidationError):
    """More bytes than the upload announced (and so possibly more than the limit) were sent."""


def partial_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "partial-uploads"


def partial_path(session: UploadSession) -> Path:
    return partial_folder() / f"{session.pk.hex}.part"


def received_bytes(session: UploadSession) -> int:
    if session.state == UploadState.DONE:
        return session.size_bytes
    try:
        return partial_path(session).stat().st_size
    except FileNotFoundError:
        return 0


def upload_session_start(
    *,
    collaboration: Collaboration,
    submission: Submission | None,
    original_name: str,
    size_bytes: int,
    content_type: str = "",
    title: str = "",
    caption: str = "",
    by_user: User | None = None,
    by_creator: Creator | None = None,
) -> UploadSession:
    """Open an upload for a new submission of `collaboration`, or a new version of `submission`."""
    if size_bytes <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size_bytes > settings.REVIEW_MAX_UPLOAD_BYTES:
        raise ValidationError(too_large_message(), code="too_large")
    if submission is not None:
        # Checked again when the file is complete; here it spares sending a video nobody needs.
        services.submission_refuse_if_approved(submission=submission)
    session = UploadSession.objects.create(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        submission=submission,
        title=title,
        caption=caption,
        uploaded_by=by_user,
        uploaded_by_creator=by_creator,
        original_name=Path(original_name).name[:200] or "video",
        content_type=content_type[:100],
        size_bytes=size_bytes,
    )
    partial_folder().mkdir(parents=True, exist_ok=True)
    partial_path(session).touch(exist_ok=False)
    return session


@contextlib.contextmanager
def _appending(session: UploadSession) -> Iterator[IO[bytes]]:
    try:
        handle = partial_path(session).open("r+b")
    except FileNotFoundError:
        raise UploadGone from None
    with handle:
        try:
            # One writer per upload: a client retrying while its first request is still being read
            # would otherwise interleave the same bytes twice.
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadBusy(os.fstat(handle.fileno()).st_size) from None
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upload_session_append(
    *, session: UploadSession, offset: int, length: int, stream: IO[bytes]
) -> UploadSession:
    """Append up to `length` bytes read from `stream` at `offset`; the last byte completes the upload.

    Raises OffsetMismatch (or UploadBusy), UploadGone, ChunkTooLarge (the upload is then removed,
    nothing of it kept), StorageFull, or the ValidationError that refused the complete file.
    """
    if session.state == UploadState.DONE:
        if offset == session.size_bytes and length == 0:
            return session  # the answer to the last chunk was lost; it is asked for again
        raise OffsetMismatch(session.size_bytes)
    if session.state == UploadState.FAILED:
        raise ValidationError(session.error)
    with _appending(session) as handle:
        received = handle.seek(0, os.SEEK_END)
        if offset != received:
            raise OffsetMismatch(received)
        if received + length > session.size_bytes:
            upload_session_cancel(session=session)
            raise ChunkTooLarge(too_large_message(), code="too_large")
        try:
            _copy(stream, handle, length)
        except OSError as exc:
            if exc.errno in FULL_STORAGE_ERRNOS:
                raise storage_full_error() from exc
            raise
        finally:
            UploadSession.objects.filter(pk=session.pk).update(updated_at=timezone.now())
        if handle.tell() == session.size_bytes:
            return _complete(session)
    return session


def _copy(stream: IO[bytes], handle: IO[bytes], length: int) -> None:
    left = length
    try:
        while left > 0:
            block = stream.read(min(_COPY_BYTES, left))
            if not block:
                break  # the client went away; what arrived counts, and it resumes from there
            handle.write(block)
            left -= len(block)
    except OSError as exc:
        if exc.errno in FULL_STORAGE_ERRNOS:
            raise
        # A connection reset while reading: the bytes written so far are kept for the resume.
    finally:
        handle.flush()
        os.fsync(handle.fileno())


def _complete(session: UploadSession) -> UploadSession:
    """Hand the whole file to the service that checks and stores every upload, then drop the partial."""
    source = partial_path(session)
    try:
        version = services.submission_submit(
            collaboration=session.collaboration,
            submission=session.submission,
            source=source,
            original_name=session.original_name,
            title=session.title,
            caption=session.caption,
            by_user=session.uploaded_by,
            by_creator=session.uploaded_by_creator,
        )
    except ValidationError as exc:
        session.state, session.error = UploadState.FAILED, " ".join(exc.messages)
        session.save(update_fields=["state", "error", "updated_at"])
        source.unlink(missing_ok=True)
        raise
    session.state, session.submission = UploadState.DONE, version.submission
    session.save(update_fields=["state", "submission", "updated_at"])
    source.unlink(missing_ok=True)
    return session


def upload_session_cancel(*, session: UploadSession) -> None:
    partial_path(session).unlink(missing_ok=True)
    session.delete()


def upload_sessions_remove_stale(*, now: datetime | None = None) -> int:
    """Remove uploads untouched for a day, and partial files no upload owns; returns how many went."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    removed = 0
    for session in UploadSession.objects.filter(updated_at__lt=cutoff):
        upload_session_cancel(session=session)
        removed += 1
    folder = partial_folder()
    if folder.is_dir():
        for entry in folder.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if entry.stat().st_mtime < cutoff.timestamp():
                    entry.unlink()
                    removed += 1
    return removed
