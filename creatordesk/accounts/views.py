"""Sign-in related pages, workspace switching, members and invitations, API tokens, language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from creatordesk.accounts import selectors, services
from creatordesk.accounts.forms import AcceptInvitationForm, ApiTokenForm, InvitationForm, LanguageForm
from creatordesk.accounts.middleware import SESSION_WORKSPACE_KEY
from creatordesk.accounts.models import ApiToken, Invitation, User
from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest
from creatordesk.accounts.throttling import password_reset_allowed, password_reset_sent


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


def _members_page(request: WorkspaceRequest, form: InvitationForm, status: int = 200) -> HttpResponse:
    workspace = request.workspace
    return render(
        request,
        "accounts/members.html",
        {
            "members": selectors.workspace_members(workspace),
            "invitations": selectors.open_invitations(workspace),
            "form": form,
            "can_invite": request.membership.role in MANAGERS,
        },
        status=status,
    )


@workspace_required
def members(request: WorkspaceRequest) -> HttpResponse:
    return _members_page(request, InvitationForm(grantor_role=request.membership.role))


@require_POST
@role_required(*MANAGERS)
def invitation_create(request: WorkspaceRequest) -> HttpResponse:
    form = InvitationForm(request.POST, grantor_role=request.membership.role)
    if form.is_valid():
        try:
            services.invitation_create(
                workspace=request.workspace,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            form.add_error("role" if exc.code == "role_not_grantable" else "email", exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("accounts:members")
    return _members_page(request, form, status=400)


def invitation_accept(request: WorkspaceRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("workspace"), token=token)
    if not services.invitation_is_valid(invitation):
        return render(request, "accounts/invitation_invalid.html", status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.email.lower() != invitation.email:
        return render(request, "accounts/invitation_other_user.html", {"invitation": invitation}, status=403)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (user is not None or (existing is None and form.is_valid())):
        try:
            new_user = user is None
            if user is None:
                membership = services.invitation_accept_new_user(
                    invitation=invitation,
                    password=form.cleaned_data["password"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
                user = membership.user
            else:
                membership = services.invitation_accept(invitation=invitation, user=user)
        except ValidationError as exc:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": " ".join(exc.messages)}, status=403
            )
        if new_user:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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
            valid_days=form.cleaned_data["valid_days"],
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


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The login page with the lockout message instead of axes' bare text (AXES_LOCKOUT_CALLABLE)."""
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username", "")})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = ngettext(
        "Too many failed sign-ins. Sign-in is blocked for %(minutes)d minute; an administrator can "
        "unlock it sooner.",
        "Too many failed sign-ins. Sign-in is blocked for %(minutes)d minutes; an administrator can "
        "unlock it sooner.",
        minutes,
    ) % {"minutes": minutes}
    return render(
        request,
        "accounts/login.html",
        {"form": form, "lockout_message": message, "next": request.POST.get("next", "")},
        status=429,  # Too Many Requests (RFC 6585), axes' default code
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, sending at most a few emails per inbox and per client address.

    Over the limit nothing is sent, but the answer is the same "check your inbox" page as always,
    so the limit reveals nothing about which addresses have accounts (OWASP Forgot Password
    Cheat Sheet).
    """

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        if not password_reset_allowed(request=self.request, email=email):
            return HttpResponseRedirect(self.get_success_url())
        # The same users form.save() mails: active, with a usable password.
        sends_mail = next(iter(form.get_users(email)), None) is not None
        response = super().form_valid(form)
        if sends_mail:
            password_reset_sent(request=self.request, email=email)
        return response
