"""Every state change of users, workspaces, memberships, invitations and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from creatordesk.accounts.models import ApiToken, Invitation, Membership, Role, User, Workspace


def user_create(*, email: str, password: str | None, first_name: str = "", last_name: str = "") -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("A user with this email address already exists."))
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unsupported language."))
    user.language = language
    user.save(update_fields=["language"])
    return user


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def workspace_create(*, name: str, owner: User) -> Workspace:
    workspace = Workspace.objects.create(name=name.strip(), slug=_unique_slug(name))
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def membership_set(*, workspace: Workspace, user: User, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    return membership


def invitation_create(*, workspace: Workspace, email: str, role: str, invited_by: User) -> Invitation:
    from creatordesk.accounts.tasks import send_invitation_email

    email = User.objects.normalize_email(email).lower()
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already a member of this workspace.") % {"email": email})
    invitation = Invitation.objects.create(
        workspace=workspace, email=email, role=role, invited_by=invited_by, token=Invitation.new_token()
    )
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation_id=invitation.pk))
    return invitation


def invitation_is_valid(invitation: Invitation) -> bool:
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    return invitation.accepted_at is None and invitation.created_at > timezone.now() - max_age


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation_is_valid(invitation):
        raise ValidationError(_("This invitation has expired or was already used."))
    membership = membership_set(workspace=invitation.workspace, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


def api_token_create(*, workspace: Workspace, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw = "cd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        workspace=workspace,
        user=user,
        name=name.strip() or "API",
        digest=ApiToken.digest_of(raw),
        prefix=raw[:8],
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


def api_token_touch(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
