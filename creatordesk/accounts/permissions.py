"""Role checks for views and API endpoints: who may change what inside a workspace."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from creatordesk.accounts.models import Role

MANAGERS = (Role.OWNER, Role.MANAGER)
REVIEWERS = (Role.OWNER, Role.MANAGER, Role.REVIEWER)
PERFORMANCE_STAFF = (Role.OWNER, Role.MANAGER, Role.PERFORMANCE)
# Ad accounts' spend and results belong to performance marketing; creator managers do not see them.
PAID_MEDIA = (Role.OWNER, Role.PERFORMANCE)

View = Callable[..., HttpResponseBase]


def grantable_roles(grantor_role: str) -> tuple[str, ...]:
    """The roles someone with `grantor_role` may give others.

    Owners give any role. Managers give their own role and those below it, but neither owner nor
    performance: the performance role sees the platform API credentials that managers may not
    (ASVS 4.0 V4.1.3, least privilege: a grant never exceeds what the grantor holds). Other roles
    grant nothing.
    """
    if grantor_role == Role.OWNER:
        return tuple(Role.values)
    if grantor_role == Role.MANAGER:
        return (Role.MANAGER, Role.REVIEWER, Role.VIEWER)
    return ()


def workspace_required(view: View) -> View:
    """Signed in and a member of some workspace; otherwise a page that says so."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "workspace", None) is None:
            return render(request, "accounts/no_workspace.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def require_role(request: HttpRequest, *roles: str) -> None:
    """In an API endpoint: refuse (403) a token whose member does not hold one of `roles`.

    Under token auth the membership comes from the token; views use `role_required` instead.
    """
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in roles:
        raise HttpError(403, _("Your role may not do this."))


def role_required(*roles: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @workspace_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.membership.role not in roles:  # type: ignore[attr-defined]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
