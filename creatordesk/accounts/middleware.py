"""Per-request user language and current workspace."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from creatordesk.accounts.selectors import membership_of

SESSION_WORKSPACE_KEY = "workspace_id"


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class WorkspaceMiddleware:
    """Sets request.workspace and request.membership from the session, limited to the user's memberships."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        if request.user.is_authenticated:
            membership = membership_of(request.user, request.session.get(SESSION_WORKSPACE_KEY))
        # Views behind workspace_required read these through WorkspaceRequest.
        setattr(request, "membership", membership)  # noqa: B010
        setattr(request, "workspace", membership.workspace if membership else None)  # noqa: B010
        return self.get_response(request)
