"""Receiving uploads: a handler that stops reading past the size limit, and storing files atomically."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files import File, uploadhandler
from django.core.files.storage import FileSystemStorage, Storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from creatordesk.reviews.models import Submission


class StorageFull(ValidationError):
    """The media storage could not take a file: disk or quota full, or the file too big for it."""


# ENOSPC: no space left; EDQUOT: the user's quota is used up; EFBIG: larger than the filesystem allows.
FULL_STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def storage_full_error() -> StorageFull:
    return StorageFull(
        _("The server's storage is full; the upload was not saved. Please tell your administrator."),
        code="storage_full",
    )


class UploadTooLarge(StopUpload):
    pass


class MaxSizeUploadHandler(FileUploadHandler):
    """Counts bytes per file; past REVIEW_MAX_UPLOAD_BYTES the rest of the upload is not read or stored."""

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)  # type: ignore[arg-type]
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.REVIEW_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise UploadTooLarge(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    """Django's handler, except that a full temp folder stops the upload with a message, not an error."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        try:
            self.file.write(raw_data)
        except OSError as exc:
            if exc.errno not in FULL_STORAGE_ERRNOS:
                raise
            path = self.file.temporary_file_path()
            with contextlib.suppress(OSError):  # closing flushes, which fails on a full disk too
                self.file.close()
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
            self.request.upload_storage_full = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=True) from exc
        return None


def oversize_error(request: object) -> str | None:
    """The message to show when an upload handler stopped reading a file: too large, or no space."""
    if getattr(request, "upload_storage_full", False):
        return str(storage_full_error().messages[0])
    if not getattr(request, "upload_too_large", False):
        return None
    return too_large_message()


def too_large_message() -> str:
    limit_mb = settings.REVIEW_MAX_UPLOAD_BYTES / 1024**2
    return str(_("The file is larger than the limit of %(mb).0f MB.") % {"mb": limit_mb})


def store_file(storage: Storage, name: str, source: Path) -> str:
    """Store `source` under `name` (or a free name like it) and return the name it got.

    On the local filesystem the file is written to a hidden `.partial` file in the target folder (the
    same filesystem, so the rename cannot turn into a copy), flushed to disk and then renamed into
    place with `os.replace`, which POSIX makes atomic: the final name never points to half a file.
    If writing fails, the partial file is removed; a full storage raises StorageFull. Object stores
    (S3) put an object atomically themselves, so they get a plain `storage.save`.
    """
    if not isinstance(storage, FileSystemStorage):
        with source.open("rb") as handle:
            return storage.save(name, File(handle, name=name))
    name = storage.get_available_name(name)
    final = Path(storage.path(name))
    partial = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as src, partial.open("xb") as out:
            shutil.copyfileobj(src, out, length=1024**2)
            out.flush()
            os.fsync(out.fileno())
        if storage.file_permissions_mode is not None:
            os.chmod(partial, storage.file_permissions_mode)
        os.replace(partial, final)
        _fsync_folder(final.parent)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        if exc.errno in FULL_STORAGE_ERRNOS:
            raise storage_full_error() from exc
        raise
    return name


def _fsync_folder(folder: Path) -> None:
    # The rename itself is only durable once the folder's entry is on disk (see fsync(2)).
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_full_response(request: HttpRequest, back_url: str) -> HttpResponse:
    """507 Insufficient Storage (RFC 4918, section 11.5) with the message and a way back."""
    context = {"message": storage_full_error().messages[0], "back_url": back_url}
    return render(request, "reviews/upload_failed.html", context, status=507)


def new_version_from_form(
    request: HttpRequest, submission: Submission, *, back_url: str, success: str = "", **uploader: object
) -> HttpResponse | None:
    """Store the version posted with a VersionUploadForm; every outcome becomes a message.

    Returns a response only when the storage is full: that is not the uploader's mistake, so it is
    answered with its own status instead of a redirect.
    """
    from creatordesk.reviews.forms import VersionUploadForm
    from creatordesk.reviews.services import submission_submit

    form = VersionUploadForm(request.POST, request.FILES)
    if getattr(request, "upload_storage_full", False):
        return storage_full_response(request, back_url)
    if oversize := oversize_error(request):
        messages.error(request, oversize)
        return None
    if not form.is_valid():
        messages.error(request, _("Choose a video file."))
        return None
    upload = form.cleaned_data["file"]
    try:
        submission_submit(
            collaboration=submission.collaboration,
            submission=submission,
            source=Path(upload.temporary_file_path()),
            original_name=upload.name,
            caption=form.cleaned_data["caption"],
            **uploader,  # type: ignore[arg-type]
        )
    except StorageFull:
        return storage_full_response(request, back_url)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    if success:
        messages.success(request, success)
    return None
