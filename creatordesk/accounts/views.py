"""Sign-in related pages, workspace switching, members and invitations, API tokens, language."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts import selectors, services
from creatordesk.accounts.forms import AcceptInvitationForm, ApiTokenForm, InvitationForm, LanguageForm
from creatordesk.accounts.middleware import SESSION_WORKSPACE_KEY
from creatordesk.accounts.models import ApiToken, Invitation, User
from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest


def _back(request: WorkspaceRequest, fallback: str = "dashboard:home") -> HttpResponse:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect(fallback)


@require_POST
@workspace_required
def workspace_switch(request: WorkspaceRequest) -> HttpResponse:
    try:
        workspace_id = int(request.POST.get("workspace", ""))
    except ValueError:
        raise Http404 from None
    membership = selectors.memberships_of(request.user).filter(workspace_id=workspace_id).first()
    if membership is None:
        raise Http404
    request.session[SESSION_WORKSPACE_KEY] = membership.workspace_id
    return redirect("dashboard:home")


@require_POST
def language_set(request: WorkspaceRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        response = _back(request)
        response.set_cookie("django_language", language, samesite="Lax")
        return response
    return _back(request)


@workspace_required
def members(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    form = InvitationForm()
    return render(
        request,
        "accounts/members.html",
        {
            "members": selectors.workspace_members(workspace),
            "invitations": selectors.open_invitations(workspace),
            "form": form,
            "can_invite": request.membership.role in MANAGERS,
        },
    )


@require_POST
@role_required(*MANAGERS)
def invitation_create(request: WorkspaceRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    workspace = request.workspace
    if form.is_valid():
        try:
            services.invitation_create(
                workspace=workspace,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("accounts:members")
    return render(
        request,
        "accounts/members.html",
        {
            "members": selectors.workspace_members(workspace),
            "invitations": selectors.open_invitations(workspace),
            "form": form,
            "can_invite": True,
        },
        status=400,
    )


def invitation_accept(request: WorkspaceRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("workspace"), token=token)
    if not services.invitation_is_valid(invitation):
        return render(request, "accounts/invitation_invalid.html", status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.email.lower() != invitation.email:
        return render(request, "accounts/invitation_other_user.html", {"invitation": invitation}, status=403)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST":
        if user is None and existing is None and form.is_valid():
            user = services.user_create(
                email=invitation.email,
                password=form.cleaned_data["password"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user is not None:
            membership = services.invitation_accept(invitation=invitation, user=user)
            request.session[SESSION_WORKSPACE_KEY] = membership.workspace_id
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.workspace.name})
            return redirect("dashboard:home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "needs_login": user is None and existing is not None},
    )


@workspace_required
def api_tokens(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    raw_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, raw_token = services.api_token_create(
            workspace=workspace,
            user=request.user,
            name=form.cleaned_data["name"],
        )
        form = ApiTokenForm()
    tokens = selectors.api_tokens_of(request.user, workspace)
    return render(
        request, "accounts/api_tokens.html", {"tokens": tokens, "form": form, "raw_token": raw_token}
    )


@require_POST
@workspace_required
def api_token_revoke(request: WorkspaceRequest, token_pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_pk, user=request.user, workspace=request.workspace)
    services.api_token_revoke(token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:api_tokens")


@workspace_required
def profile(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {"language_form": LanguageForm(initial={"language": request.user.language})},
    )
