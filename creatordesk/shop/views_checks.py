"""Pages of the posted-as-approved checks: the list, one check with its findings, adding the posted video."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.models import Role
from creatordesk.accounts.permissions import role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.reviews.uploads import StorageFull, oversize_error, storage_full_response
from creatordesk.shop import post_checks
from creatordesk.shop.models import PostCheck

# Who may add a posted video and run a check again: the people who approve videos and those who
# track posts.
CHECK_STAFF = (Role.OWNER, Role.MANAGER, Role.REVIEWER, Role.PERFORMANCE)


@workspace_required
def checks_index(request: WorkspaceRequest) -> HttpResponse:
    rows = post_checks.post_check_list(workspace=request.workspace)
    return render(request, "shop/check_index.html", {"rows": rows})


@workspace_required
def checks_detail(request: WorkspaceRequest, check_id: int) -> HttpResponse:
    check = get_scoped_or_404(PostCheck, request.workspace, pk=check_id)
    page = post_checks.post_check_page(check=check)
    context = {"page": page, "can_act": request.membership.role in CHECK_STAFF}
    return render(request, "shop/check_detail.html", context)


@require_POST
@role_required(*CHECK_STAFF)
def checks_upload(request: WorkspaceRequest, check_id: int) -> HttpResponse:
    check = get_scoped_or_404(PostCheck, request.workspace, pk=check_id)
    back = redirect("shop:checks_detail", check_id=check.pk)
    if getattr(request, "upload_storage_full", False):
        return storage_full_response(request, back.url)
    upload = request.FILES.get("file")
    # Uploads are always streamed to a temporary file (FILE_UPLOAD_HANDLERS); anything else is no file.
    if not isinstance(upload, TemporaryUploadedFile):
        messages.error(request, oversize_error(request) or _("Choose a video file."))
        return back
    try:
        post_checks.post_check_attach_video(
            check=check, source=Path(upload.temporary_file_path()), original_name=upload.name or "video"
        )
    except StorageFull:
        return storage_full_response(request, back.url)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(request, _("Posted video added; the check runs again."))
    return back


@require_POST
@role_required(*CHECK_STAFF)
def checks_again(request: WorkspaceRequest, check_id: int) -> HttpResponse:
    check = get_scoped_or_404(PostCheck, request.workspace, pk=check_id)
    post_checks.post_check_requeue(check=check)
    messages.success(request, _("The check runs again."))
    return redirect("shop:checks_detail", check_id=check.pk)
