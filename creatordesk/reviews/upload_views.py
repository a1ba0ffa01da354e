"""JSON endpoints of resumable uploads (protocol in chunked_uploads), for staff and for creators' portals."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns.models import Collaboration
from creatordesk.creators.models import Creator
from creatordesk.creators.portal import creator_from_portal_token, portal_page
from creatordesk.reviews import chunked_uploads as chunked
from creatordesk.reviews.forms import CreatorSubmissionForm, SubmissionCreateForm, VersionUploadForm
from creatordesk.reviews.models import Submission, UploadSession, UploadState
from creatordesk.reviews.uploads import StorageFull

UPLOAD_METHODS = ["GET", "HEAD", "PATCH", "DELETE"]


class UploadFileForm(forms.Form):
    """What the browser knows of the chosen file before sending it."""

    name = forms.CharField(max_length=255)
    size = forms.IntegerField(min_value=0)
    type = forms.CharField(max_length=100, required=False)


def _error(message: str, status: int, **extra: object) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _form_errors(*forms_: forms.Form) -> str:
    lines = []
    for form in forms_:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            lines += [f"{label}: {e}" if label else str(e) for e in errors]
    return " ".join(lines)


def _start(
    request: HttpRequest,
    form: forms.Form,
    *,
    collaboration: Callable[[dict[str, object]], Collaboration],
    submission: Submission | None,
    upload_url: Callable[[UploadSession], str],
    **uploader: object,
) -> JsonResponse:
    # The file itself follows in chunks; every other field is checked now, as the single post does.
    form.fields.pop("file")
    meta = UploadFileForm(request.POST)
    if not (form.is_valid() and meta.is_valid()):
        return _error(_form_errors(form, meta) or _("Choose a video file."), 400)
    data = form.cleaned_data
    try:
        session = chunked.upload_session_start(
            collaboration=collaboration(data),
            submission=submission,
            original_name=meta.cleaned_data["name"],
            size_bytes=meta.cleaned_data["size"],
            content_type=meta.cleaned_data["type"],
            title=str(data.get("title", "")),
            caption=str(data.get("caption", "")),
            **uploader,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        status = 413 if exc.code == "too_large" else 400
        return _error(" ".join(exc.messages), status)
    body = {
        "url": upload_url(session),
        "offset": 0,
        "size": session.size_bytes,
        "chunk_size": chunked.CHUNK_BYTES,
    }
    return JsonResponse(body, status=201)


def _byte_count(value: str | None) -> int | None:
    # isdecimal() alone lets through digits such as "٣" that are no HTTP number.
    if not value or not value.isascii() or not value.isdecimal() or len(value) > 18:
        return None
    return int(value)


def _state(session: UploadSession) -> dict[str, object]:
    return {"offset": chunked.received_bytes(session), "size": session.size_bytes}


def _serve(
    request: HttpRequest,
    session: UploadSession,
    *,
    done_url: Callable[[UploadSession], str],
    thanks: str = "",
) -> HttpResponse:
    """Status, append or cancel one upload; the answers are JSON a script can act on."""
    if request.method in ("GET", "HEAD"):
        response = JsonResponse(_state(session) | {"done": session.state == UploadState.DONE})
        response["Upload-Offset"] = str(chunked.received_bytes(session))
        response["Upload-Length"] = str(session.size_bytes)
        response["Cache-Control"] = "no-store"
        return response
    if request.method == "DELETE":
        chunked.upload_session_cancel(session=session)
        return JsonResponse({"cancelled": True})
    outcome = _append(request, session)
    if isinstance(outcome, HttpResponse):
        return outcome
    if outcome.state != UploadState.DONE:
        return JsonResponse(_state(outcome) | {"done": False})
    if thanks:
        messages.success(request, thanks)
    return JsonResponse(_state(outcome) | {"done": True, "location": done_url(outcome)})


def _append(request: HttpRequest, session: UploadSession) -> UploadSession | HttpResponse:
    """Add the request's chunk to the upload; an error answer saying why when it was not taken."""
    offset = _byte_count(request.headers.get("Upload-Offset"))
    length = _byte_count(request.META.get("CONTENT_LENGTH")) or 0
    if offset is None:
        return _error(_("The chunk has no valid Upload-Offset header."), 400, **_state(session))
    try:
        return chunked.upload_session_append(session=session, offset=offset, length=length, stream=request)  # type: ignore[arg-type]
    except chunked.UploadBusy as exc:
        return _error(
            _("The previous part is still arriving; try again in a moment."), 409, offset=exc.expected
        )
    except chunked.OffsetMismatch as exc:
        message = _("The upload continues at byte %(offset)s.") % {"offset": exc.expected}
        return _error(message, 409, offset=exc.expected, size=session.size_bytes)
    except chunked.UploadGone:
        return _error(_("This upload no longer exists. Please upload the file again."), 404)
    except StorageFull as exc:
        return _error(" ".join(exc.messages), 507)
    except ValidationError as exc:
        # Too large, or the complete file was refused: either way nothing of it was kept.
        return _error(" ".join(exc.messages), 413 if exc.code == "too_large" else 400)


# Staff: a manager uploads for a creator.


@require_POST
@role_required(*MANAGERS)
def submission_upload_start(request: WorkspaceRequest) -> HttpResponse:
    form = SubmissionCreateForm(request.POST, workspace=request.workspace)
    return _start(
        request,
        form,
        collaboration=lambda data: data["collaboration"],  # type: ignore[arg-type,return-value]
        submission=None,
        upload_url=lambda s: reverse("reviews:upload", args=[s.pk]),
        by_user=request.user,
    )


@require_POST
@role_required(*MANAGERS)
def version_upload_start(request: WorkspaceRequest, submission_pk: int) -> HttpResponse:
    submission = get_scoped_or_404(Submission, request.workspace, pk=submission_pk)
    return _start(
        request,
        VersionUploadForm(request.POST),
        collaboration=lambda data: submission.collaboration,
        submission=submission,
        upload_url=lambda s: reverse("reviews:upload", args=[s.pk]),
        by_user=request.user,
    )


@require_http_methods(UPLOAD_METHODS)
@role_required(*MANAGERS)
def upload(request: WorkspaceRequest, upload_id: UUID) -> HttpResponse:
    session = get_scoped_or_404(UploadSession, request.workspace, pk=upload_id, uploaded_by=request.user)
    return _serve(request, session, done_url=lambda s: reverse("reviews:review", args=[s.submission_id]))


# Creators, through their signed portal link.


def _creator(token: str) -> Creator:
    creator = creator_from_portal_token(token)
    if creator is None:
        raise Http404(_("This link is invalid or has expired. Ask your contact for a new one."))
    return creator


@require_POST
@portal_page
def portal_submission_upload_start(request: HttpRequest, token: str, collaboration_pk: int) -> HttpResponse:
    creator = _creator(token)
    collaboration = get_object_or_404(Collaboration, pk=collaboration_pk, creator=creator)
    return _start(
        request,
        CreatorSubmissionForm(request.POST),
        collaboration=lambda data: collaboration,
        submission=None,
        upload_url=lambda s: reverse("portal:upload", args=[token, s.pk]),
        by_creator=creator,
    )


@require_POST
@portal_page
def portal_version_upload_start(request: HttpRequest, token: str, submission_pk: int) -> HttpResponse:
    creator = _creator(token)
    submission = get_object_or_404(
        Submission.objects.select_related("collaboration"), pk=submission_pk, collaboration__creator=creator
    )
    return _start(
        request,
        VersionUploadForm(request.POST),
        collaboration=lambda data: submission.collaboration,
        submission=submission,
        upload_url=lambda s: reverse("portal:upload", args=[token, s.pk]),
        by_creator=creator,
    )


@require_http_methods(UPLOAD_METHODS)
@portal_page
def portal_upload(request: HttpRequest, token: str, upload_id: UUID) -> HttpResponse:
    creator = _creator(token)
    session = get_object_or_404(UploadSession, pk=upload_id, uploaded_by_creator=creator)
    # A new version thanks the creator, as the single post does; a first video opens its own page.
    thanks = _("Thank you! Your new version is being checked.") if session.submission_id else ""
    return _serve(
        request,
        session,
        done_url=lambda s: reverse("portal:submission", args=[token, s.submission_id]),
        thanks=thanks,
    )
