"""The review queue, the review page with player, findings and comments, decisions and exports."""

from __future__ import annotations

import csv
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.models import Role
from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns.models import Campaign
from creatordesk.creators.models import Creator
from creatordesk.djangolib.ranged_file import ranged_file_response
from creatordesk.lib.ids import parse_id
from creatordesk.lib.spreadsheet_cells import safe_row
from creatordesk.reviews import selectors, services
from creatordesk.reviews.forms import (
    CommentForm,
    DecisionForm,
    FindingStateForm,
    ReviewSettingsForm,
    StageFormSet,
    SubmissionCreateForm,
    VersionUploadForm,
    stage_initial,
)
from creatordesk.reviews.models import (
    AnalysisStatus,
    Comment,
    Finding,
    Outcome,
    ReviewStage,
    Submission,
    Version,
)
from creatordesk.reviews.templatetags.review_extras import actor_label, event_label
from creatordesk.reviews.uploads import StorageFull, new_version_from_form, oversize_error

REVIEWERS = (Role.OWNER, Role.MANAGER, Role.REVIEWER)


def _int(value: str | None) -> int | None:
    # An unreadable or impossible number in a link ignores that filter, as a missing one does.
    return parse_id(value)


@workspace_required
def queue(request: WorkspaceRequest) -> HttpResponse:
    campaign_id, creator_id = _int(request.GET.get("campaign")), _int(request.GET.get("creator"))
    stage, status = request.GET.get("stage", ""), request.GET.get("status", "")
    # A chosen status decides the tab, so a link to "approved" never lands on an empty Open tab.
    done = status in selectors.DONE_STATUSES if status else request.GET.get("tab") == "done"
    rows = selectors.review_queue(
        workspace=request.workspace,
        campaign_id=campaign_id,
        creator_id=creator_id,
        stage=stage,
        done=done,
        status=status,
    )
    context = {
        "rows": rows,
        "campaigns": Campaign.objects.for_workspace(request.workspace),
        "creators": Creator.objects.for_workspace(request.workspace),
        "stages": sorted(
            set(ReviewStage.objects.for_workspace(request.workspace).values_list("name", flat=True))
            | {"Review"}
        ),
        "filters": {"campaign": campaign_id, "creator": creator_id, "stage": stage, "status": status},
        "statuses": selectors.QUEUE_STATUSES,
        "done": done,
        "can_upload": request.membership.role in MANAGERS,
    }
    return render(request, "reviews/queue.html", context)


@role_required(*MANAGERS)
def submission_create(request: WorkspaceRequest) -> HttpResponse:
    form = SubmissionCreateForm(request.POST or None, request.FILES or None, workspace=request.workspace)
    if oversize := oversize_error(request):
        form.add_error(None, oversize)
    status = 400 if form.errors else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.submission_submit(
                collaboration=data["collaboration"],
                title=data["title"],
                source=Path(data["file"].temporary_file_path()),
                original_name=data["file"].name,
                caption=data["caption"],
                by_user=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
            status = 507 if isinstance(exc, StorageFull) else 400
        else:
            return redirect("reviews:review", submission_pk=version.submission_id)
    return render(request, "reviews/submission_form.html", {"form": form}, status=status)


@workspace_required
def review(request: WorkspaceRequest, submission_pk: int) -> HttpResponse:
    submission = get_scoped_or_404(Submission, request.workspace, pk=submission_pk)
    page = selectors.review_page(submission=submission, number=_int(request.GET.get("v")))
    if page is None:
        raise Http404
    states = services.version_stage_states(page.version)
    can_review = request.membership.role in REVIEWERS
    stage_rows = services.version_stage_rows(page.version, user=request.user)
    context = {
        "page": page,
        "submission": submission,
        "version": page.version,
        "stage_states": states,
        "stage_rows": stage_rows,
        "decisions": page.version.decisions.select_related("reviewer"),
        "open_stages": [r.state for r in stage_rows if r.may_decide] if can_review else [],
        "can_review": can_review,
        "comment_form": CommentForm(),
        "reply_url": reverse("reviews:comment_add", args=[page.version.pk]) if can_review else "",
        "decision_form": DecisionForm(),
        "upload_form": VersionUploadForm(),
        "outcomes": Outcome.choices,
        "open_blocks": services.open_block_count(page.version),
        "events": submission.events.all(),
        "previous": next((v for v in page.versions if v.number == page.version.number - 1), None),
    }
    return render(request, "reviews/review.html", context)


@workspace_required
def version_status(request: WorkspaceRequest, version_pk: int) -> HttpResponse:
    version = get_scoped_or_404(Version, request.workspace, pk=version_pk)
    return analysis_status_response(request, version, reverse("reviews:version_status", args=[version.pk]))


def analysis_status_response(request: HttpRequest, version: Version, status_url: str) -> HttpResponse:
    """The polling partial of a pre-review; the page reloads once when the analysis has ended."""
    response = render(
        request, "reviews/_analysis_status.html", {"version": version, "status_url": status_url}
    )
    ended = version.analysis_status in (AnalysisStatus.DONE, AnalysisStatus.FAILED)
    if ended and request.GET.get("was") != version.analysis_status:
        response["HX-Refresh"] = "true"  # show the findings that just arrived
    return response


@workspace_required
def version_media(request: WorkspaceRequest, version_pk: int) -> HttpResponseBase:
    version = get_scoped_or_404(Version, request.workspace, pk=version_pk)
    return ranged_file_response(request, version.file.open("rb"), version.size_bytes, version.file.name or "")


@require_POST
@role_required(*MANAGERS)
def version_upload(request: WorkspaceRequest, submission_pk: int) -> HttpResponse:
    submission = get_scoped_or_404(Submission, request.workspace, pk=submission_pk)
    back = reverse("reviews:review", args=[submission.pk])
    return new_version_from_form(request, submission, back_url=back, by_user=request.user) or redirect(back)


@require_POST
@role_required(*REVIEWERS)
def comment_add(request: WorkspaceRequest, version_pk: int) -> HttpResponse:
    version = get_scoped_or_404(Version, request.workspace, pk=version_pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        parent = get_scoped_or_404(Comment, request.workspace, pk=data["parent"]) if data["parent"] else None
        try:
            services.comment_add(
                version=version,
                body=data["body"],
                start_s=data["start_s"],
                duration_s=data["duration_s"],
                internal=data["internal"],
                parent=parent,
                author=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("The comment could not be saved: %(e)s") % {"e": form.errors.as_text()})
    return redirect(f"/reviews/{version.submission_id}/?v={version.number}#comments")


@require_POST
@role_required(*REVIEWERS)
def comment_resolve(request: WorkspaceRequest, comment_pk: int) -> HttpResponse:
    comment = get_scoped_or_404(Comment, request.workspace, pk=comment_pk)
    services.comment_set_resolved(
        comment=comment, resolved=request.POST.get("resolved") == "1", actor=request.user
    )
    return redirect(f"/reviews/{comment.version.submission_id}/?v={comment.version.number}#comments")


@require_POST
@role_required(*REVIEWERS)
def finding_state(request: WorkspaceRequest, finding_pk: int) -> HttpResponse:
    finding = get_scoped_or_404(Finding, request.workspace, pk=finding_pk)
    form = FindingStateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose confirm or dismiss."))
        services.finding_set_state(
            finding=finding,
            state=form.cleaned_data["state"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"/reviews/{finding.version.submission_id}/?v={finding.version.number}#findings")


@require_POST
@role_required(*REVIEWERS)
def decision_add(request: WorkspaceRequest, version_pk: int) -> HttpResponse:
    version = get_scoped_or_404(Version, request.workspace, pk=version_pk)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a decision."))
        data = form.cleaned_data
        services.decision_record(
            version=version,
            stage_name=data["stage"],
            reviewer=request.user,
            outcome=data["outcome"],
            note=data["note"],
            confirm_open_blocks=data["confirm_open_blocks"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision saved."))
    return redirect(f"/reviews/{version.submission_id}/?v={version.number}")


@workspace_required
def compare(request: WorkspaceRequest, submission_pk: int) -> HttpResponse:
    submission = get_scoped_or_404(Submission, request.workspace, pk=submission_pk)
    versions = {v.number: v for v in submission.versions.all()}
    new_number = _int(request.GET.get("b")) or max(versions, default=0)
    old_number = _int(request.GET.get("a")) or new_number - 1
    if old_number not in versions or new_number not in versions:
        raise Http404(_("Two versions are needed for a comparison."))
    comparison = selectors.version_compare(old=versions[old_number], new=versions[new_number])
    context = {
        "submission": submission,
        "old": versions[old_number],
        "new": versions[new_number],
        "comparison": comparison,
    }
    return render(request, "reviews/compare.html", context)


@workspace_required
def audit_csv(request: WorkspaceRequest, submission_pk: int) -> HttpResponse:
    submission = get_scoped_or_404(Submission, request.workspace, pk=submission_pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="submission-{submission.pk}-audit.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Time"), _("Who"), _("What happened"), _("Details"), _("Event code")])
    for event in submission.events.all():
        # Actors are names people chose and details quote their text; neither may run as a formula.
        row = [
            event.created_at.isoformat(),
            actor_label(event.actor),
            event_label(event),
            str(event.detail),
            event.verb,
        ]
        writer.writerow(safe_row(row))
    return response


@role_required(*MANAGERS)
def stages(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    data = request.POST if request.method == "POST" else None
    formset = StageFormSet(
        data, initial=stage_initial(campaign.pk), form_kwargs={"workspace": request.workspace}
    )
    current = services.review_settings(campaign.workspace_id).one_person_many_stages
    settings_form = ReviewSettingsForm(data, prefix="settings", initial={"one_person_many_stages": current})
    is_owner = request.membership.role == Role.OWNER
    settings_form.fields["one_person_many_stages"].disabled = not is_owner
    errors: list[str] = []
    if data is not None and formset.is_valid() and settings_form.is_valid():
        # Only an owner changes the workspace's settings; for others the field is shown disabled.
        many = settings_form.cleaned_data["one_person_many_stages"] if is_owner else None
        try:
            services.stages_and_settings_save(
                campaign_id=campaign.pk,
                workspace_id=campaign.workspace_id,
                stages=formset.configs(),
                one_person_many_stages=many,
                actor=request.user,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Review stages saved."))
            return redirect("campaigns:campaign_detail", campaign_pk=campaign.pk)
    context = {"formset": formset, "settings_form": settings_form, "errors": errors, "campaign": campaign}
    return render(request, "reviews/stages.html", context, status=400 if data is not None else 200)


@workspace_required
def sla(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "sla": selectors.approval_sla(workspace=request.workspace),
        "trust": selectors.rule_trust(workspace=request.workspace),
    }
    return render(request, "reviews/_sla.html", context)
