"""An upload handler that stops reading a request as soon as a file passes the size limit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from creatordesk.reviews.models import Submission


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


def oversize_error(request: object) -> str | None:
    """The message to show when the upload handler stopped reading an oversized file."""
    if not getattr(request, "upload_too_large", False):
        return None
    limit_mb = settings.REVIEW_MAX_UPLOAD_BYTES / 1024**2
    return str(_("The file is larger than the limit of %(mb).0f MB.") % {"mb": limit_mb})


def new_version_from_form(request: HttpRequest, submission: Submission, **uploader: object) -> bool:
    """Store the version posted with a VersionUploadForm; every outcome becomes a message."""
    from creatordesk.reviews.forms import VersionUploadForm
    from creatordesk.reviews.services import version_upload

    form = VersionUploadForm(request.POST, request.FILES)
    if oversize := oversize_error(request):
        messages.error(request, oversize)
        return False
    if not form.is_valid():
        messages.error(request, _("Choose a video file."))
        return False
    upload = form.cleaned_data["file"]
    try:
        version_upload(
            submission=submission,
            source=Path(upload.temporary_file_path()),
            original_name=upload.name,
            caption=form.cleaned_data["caption"],
            **uploader,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    return True
