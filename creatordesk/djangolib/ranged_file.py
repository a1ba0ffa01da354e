"""Serve a stored file with HTTP Range support, so a video player can seek without downloading it all."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator

from django.core.files import File
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_CHUNK = 256 * 1024


def _stream(handle: File, start: int, length: int) -> Iterator[bytes]:
    with handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(_CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk


def ranged_file_response(request: HttpRequest, handle: File, size: int, name: str) -> HttpResponseBase:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    start, end = 0, size - 1
    match = _RANGE.match(request.headers.get("Range", "").strip())
    status = 200
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        else:  # a suffix range: the last N bytes
            start = max(size - int(match.group(2)), 0)
        if start > end or start >= size:
            handle.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        status = 206
    response = StreamingHttpResponse(
        _stream(handle, start, end - start + 1), status=status, content_type=content_type
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response
