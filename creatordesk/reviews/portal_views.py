"""The creator's side of reviews: through their signed link a creator sees only their own work."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.campaigns.models import Collaboration
from creatordesk.creators.models import Creator
from creatordesk.creators.portal import creator_from_portal_token, portal_page
from creatordesk.djangolib.ranged_file import ranged_file_response
from creatordesk.reviews import selectors, services
from creatordesk.reviews.feedback import creator_feedback
from creatordesk.reviews.forms import CommentForm, CreatorSubmissionForm, VersionUploadForm
from creatordesk.reviews.models import Comment, Submission, Version
from creatordesk.reviews.uploads import StorageFull, new_version_from_form, oversize_error
from creatordesk.reviews.views import analysis_status_response


def _creator(token: str) -> Creator:
    creator = creator_from_portal_token(token)
    if creator is None:
        raise Http404(_("This link is invalid or has expired. Ask your contact for a new one."))
    return creator


def _own_submission(creator: Creator, submission_pk: int) -> Submission:
    return get_object_or_404(Submission, pk=submission_pk, collaboration__creator=creator)


def _own_version(creator: Creator, version_pk: int) -> Version:
    return get_object_or_404(Version, pk=version_pk, submission__collaboration__creator=creator)


@portal_page
def collaboration(request: HttpRequest, token: str, collaboration_pk: int) -> HttpResponse:
    creator = _creator(token)
    collab = get_object_or_404(
        Collaboration.objects.select_related("campaign"), pk=collaboration_pk, creator=creator
    )
    form = CreatorSubmissionForm(request.POST or None, request.FILES or None)
    if oversize := oversize_error(request):
        form.add_error(None, oversize)
    status = 400 if form.errors else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.submission_submit(
                collaboration=collab,
                title=data["title"],
                source=Path(data["file"].temporary_file_path()),
                original_name=data["file"].name,
                caption=data["caption"],
                by_creator=creator,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
            status = 507 if isinstance(exc, StorageFull) else 400
        else:
            return redirect("portal:submission", token=token, submission_pk=version.submission_id)
    submissions = collab.submissions.order_by("-created_at")
    latest = selectors.latest_versions(submissions)
    rows = [(s, latest.get(s.pk)) for s in submissions]
    context = {"creator": creator, "collaboration": collab, "rows": rows, "form": form, "token": token}
    return render(request, "reviews/portal_collaboration.html", context, status=status)


@portal_page
def submission(request: HttpRequest, token: str, submission_pk: int) -> HttpResponse:
    creator = _creator(token)
    sub = _own_submission(creator, submission_pk)
    page = selectors.review_page(submission=sub, number=None, creator_view=True)
    if page is None:
        raise Http404
    context = {
        "creator": creator,
        "token": token,
        "submission": sub,
        "page": page,
        "version": page.version,
        "feedback": creator_feedback(submission=sub, version=page.version),
        "upload_form": VersionUploadForm(),
        "media_url": reverse("portal:media", args=[token, page.version.pk]),
        "status_url": reverse("portal:status", args=[token, page.version.pk]),
        "reply_url": reverse("portal:comment", args=[token, page.version.pk]),
    }
    return render(request, "reviews/portal_submission.html", context)


@require_POST
@portal_page
def version_upload(request: HttpRequest, token: str, submission_pk: int) -> HttpResponse:
    creator = _creator(token)
    submission = _own_submission(creator, submission_pk)
    back = reverse("portal:submission", args=[token, submission.pk])
    thanks = _("Thank you! Your new version is being checked.")
    return new_version_from_form(
        request, submission, back_url=back, success=thanks, by_creator=creator
    ) or redirect(back)


@require_POST
@portal_page
def comment(request: HttpRequest, token: str, version_pk: int) -> HttpResponse:
    creator = _creator(token)
    version = _own_version(creator, version_pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = get_object_or_404(Comment, pk=data["parent"], version=version, internal=False)
        try:
            services.comment_add(
                version=version,
                body=data["body"],
                start_s=data["start_s"],
                parent=parent,
                author_creator=creator,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("portal:submission", token=token, submission_pk=version.submission_id)


@portal_page
def media(request: HttpRequest, token: str, version_pk: int) -> HttpResponseBase:
    version = _own_version(_creator(token), version_pk)
    return ranged_file_response(request, version.file.open("rb"), version.size_bytes, version.file.name or "")


@portal_page
def status(request: HttpRequest, token: str, version_pk: int) -> HttpResponse:
    version = _own_version(_creator(token), version_pk)
    return analysis_status_response(request, version, reverse("portal:status", args=[token, version.pk]))
