"""Every state change of users, workspaces, memberships, invitations and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from creatordesk.accounts.models import ApiToken, Invitation, Membership, Role, ThrottleHit, User, Workspace
from creatordesk.accounts.permissions import grantable_roles
from creatordesk.djangolib.links import request_base


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


def _role_of(user: User | None, workspace: Workspace) -> str | None:
    if user is None:
        return None
    return Membership.objects.filter(workspace=workspace, user=user).values_list("role", flat=True).first()


def _check_grant(*, workspace: Workspace, granted_by: User | None, role: str, current: str | None) -> None:
    """Nobody grants a role with access they lack, and only owners change an owner's membership."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_role")
    grantor_role = _role_of(granted_by, workspace)
    if grantor_role is None or role not in grantable_roles(grantor_role):
        raise ValidationError(
            _("You cannot grant the role %(role)s.") % {"role": Role(role).label}, code="role_not_grantable"
        )
    if current == Role.OWNER and grantor_role != Role.OWNER:
        raise ValidationError(_("Only an owner can change an owner's role."), code="owner_protected")


@transaction.atomic
def membership_set(
    *, workspace: Workspace, user: User, role: str, granted_by: User | None = None
) -> Membership:
    """Give `user` the `role` in `workspace`, as `granted_by`.

    Without `granted_by` the change is made by the installation itself (workspace set-up, the demo
    data, fixtures); every request path passes the acting user, whose own role limits the grant.
    """
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_role")
    existing = Membership.objects.select_for_update().filter(workspace=workspace, user=user).first()
    if granted_by is not None:
        _check_grant(
            workspace=workspace, granted_by=granted_by, role=role, current=existing.role if existing else None
        )
    if existing is not None and existing.role == Role.OWNER and role != Role.OWNER:
        others = Membership.objects.filter(workspace=workspace, role=Role.OWNER).exclude(pk=existing.pk)
        if not others.exists():
            raise ValidationError(_("A workspace keeps at least one owner."), code="last_owner")
    membership, _created = Membership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    return membership


def invitation_create(*, workspace: Workspace, email: str, role: str, invited_by: User) -> Invitation:
    from creatordesk.accounts.tasks import send_invitation_email

    email = User.objects.normalize_email(email).lower()
    _check_grant(workspace=workspace, granted_by=invited_by, role=role, current=None)
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already a member of this workspace.") % {"email": email})
    invitation = Invitation.objects.create(
        workspace=workspace, email=email, role=role, invited_by=invited_by, token=Invitation.new_token()
    )
    # The link's host: SITE_URL, or else the host this invitation was made on (the worker has no request).
    site_url = request_base()
    transaction.on_commit(
        lambda: send_invitation_email.enqueue(invitation_id=invitation.pk, site_url=site_url)
    )
    return invitation


def invitation_is_valid(invitation: Invitation) -> bool:
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    return invitation.accepted_at is None and invitation.created_at > timezone.now() - max_age


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation_is_valid(invitation):
        raise ValidationError(_("This invitation has expired or was already used."))
    # The inviter's role is checked again now: one who has since lost it (or left) cannot grant it.
    if invitation.invited_by is None:
        raise ValidationError(_("The person who sent this invitation is no longer here to vouch for it."))
    membership = membership_set(
        workspace=invitation.workspace, user=user, role=invitation.role, granted_by=invitation.invited_by
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def invitation_accept_new_user(
    *, invitation: Invitation, password: str, first_name: str = "", last_name: str = ""
) -> Membership:
    """Create the invited person's account and accept the invitation with it, all or nothing.

    An invitation the inviter can no longer vouch for creates no account.
    """
    user = user_create(email=invitation.email, password=password, first_name=first_name, last_name=last_name)
    return invitation_accept(invitation=invitation, user=user)


def api_token_create(
    *, workspace: Workspace, user: User, name: str, valid_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token valid for `valid_days` (API_TOKEN_DEFAULT_DAYS by default); the raw value is
    returned once and never stored."""
    days = valid_days if valid_days is not None else settings.API_TOKEN_DEFAULT_DAYS
    if days < 1:
        raise ValidationError(_("A token must be valid for at least one day."))
    raw = "cd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        workspace=workspace,
        user=user,
        name=name.strip() or "API",
        digest=ApiToken.digest_of(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


# "Last used" is shown to the minute; writing it on every request would make each API call a write.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def api_token_touch(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < API_TOKEN_TOUCH_INTERVAL:
        return
    token.last_used_at = now
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def throttle_hit_record(*, scope: str, key: str, window: timedelta) -> int:
    """Record one attempt under (scope, key); return how many fall inside the window, this one included."""
    now = timezone.now()
    ThrottleHit.objects.filter(created_at__lt=now - window).delete()
    # Only a digest is kept: the table must not become a list of addresses people asked about.
    digest = hashlib.sha256(key.encode()).hexdigest()
    ThrottleHit.objects.create(scope=scope, key_digest=digest)
    return ThrottleHit.objects.filter(scope=scope, key_digest=digest).count()
