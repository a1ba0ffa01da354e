"""Creator list, profile and the creator-facing portal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns.selectors import creator_collaborations
from creatordesk.creators import services
from creatordesk.creators.community import announcements_for
from creatordesk.creators.forms import CreatorEditForm, CreatorForm, PlatformAccountForm
from creatordesk.creators.models import Creator
from creatordesk.creators.portal import creator_from_portal_token, portal_page
from creatordesk.creators.privacy import ErasureRefused, creator_export_data
from creatordesk.creators.privacy import creator_erase as creator_erase_service


@role_required(*MANAGERS)
def creator_create(request: WorkspaceRequest) -> HttpResponse:
    form = CreatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        creator = services.creator_create(workspace=request.workspace, **form.cleaned_data)
        messages.success(request, _("Creator added."))
        return redirect("creators:creator_detail", creator_pk=creator.pk)
    return render(request, "creators/creator_form.html", {"form": form})


@role_required(*MANAGERS)
def creator_edit(request: WorkspaceRequest, creator_pk: int) -> HttpResponse:
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_pk)
    if creator.erased_at:
        # Editing would bring personal data back into a profile that was erased on request.
        messages.error(request, _("This creator's personal data was erased; the profile cannot be edited."))
        return redirect("creators:creator_detail", creator_pk=creator.pk)
    # The form edits a copy, so a refused submission never changes the instance the service compares with.
    form = CreatorEditForm(request.POST or None, instance=Creator.objects.get(pk=creator.pk))
    if request.method == "POST" and form.is_valid():
        services.creator_update(creator=creator, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("creators:creator_detail", creator_pk=creator.pk)
    return render(request, "creators/creator_edit.html", {"form": form, "creator": creator})


@workspace_required
def creator_detail(request: WorkspaceRequest, creator_pk: int) -> HttpResponse:
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_pk)
    context = {
        "creator": creator,
        "collaborations": creator_collaborations(creator=creator),
        "accounts": creator.accounts.all(),
        "activity": creator.activity.all()[:200],
        "account_form": PlatformAccountForm(),
        "can_manage": request.membership.role in MANAGERS,
    }
    return render(request, "creators/creator_detail.html", context)


@require_POST
@role_required(*MANAGERS)
def creator_portal_link(request: WorkspaceRequest, creator_pk: int) -> HttpResponse:
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_pk)
    if request.POST.get("revoke"):
        services.creator_revoke_portal_links(creator=creator)
        messages.success(request, _("All earlier portal links of this creator no longer work."))
        return redirect("creators:creator_detail", creator_pk=creator.pk)
    if request.POST.get("send"):
        try:
            email = services.creator_portal_link_send(creator=creator, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The portal link is on its way to %(email)s.") % {"email": email})
        return redirect("creators:creator_detail", creator_pk=creator.pk)
    url = services.creator_portal_url(creator=creator)
    return render(request, "creators/_portal_link.html", {"creator": creator, "portal_url": url})


@portal_page
def portal(request: WorkspaceRequest, token: str) -> HttpResponse:
    creator = creator_from_portal_token(token)
    if creator is None:
        raise Http404(_("This link is invalid or has expired. Ask your contact for a new one."))
    context = {
        "creator": creator,
        "collaborations": creator_collaborations(creator=creator),
        "announcements": announcements_for(creator=creator)[:10],
        "token": token,
    }
    return render(request, "creators/portal.html", context)


@role_required(*MANAGERS)
def creator_export(request: WorkspaceRequest, creator_pk: int) -> HttpResponse:
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_pk)
    response = JsonResponse(
        creator_export_data(creator=creator), json_dumps_params={"indent": 2, "default": str}
    )
    response["Content-Disposition"] = f'attachment; filename="creator-{creator.pk}.json"'
    return response


@role_required(*MANAGERS)
def creator_erase(request: WorkspaceRequest, creator_pk: int) -> HttpResponse:
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_pk)
    if request.method == "POST" and request.POST.get("confirm") == creator.display_name:
        name = creator.display_name
        try:
            creator_erase_service(creator=creator, actor=request.user)
        except ErasureRefused as exc:
            messages.error(request, str(exc))
            return render(request, "creators/creator_erase.html", {"creator": creator}, status=409)
        messages.success(request, _("All data of %(name)s was erased.") % {"name": name})
        return redirect("creators:creator_detail", creator_pk=creator.pk)
    if request.method == "POST":
        messages.error(request, _("Type the creator's name exactly to confirm."))
    return render(request, "creators/creator_erase.html", {"creator": creator})


@require_POST
@role_required(*MANAGERS)
def account_add(request: WorkspaceRequest, creator_pk: int) -> HttpResponse:
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_pk)
    form = PlatformAccountForm(request.POST)
    if form.is_valid():
        try:
            services.account_upsert(creator=creator, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("creators:creator_detail", creator_pk=creator.pk)
