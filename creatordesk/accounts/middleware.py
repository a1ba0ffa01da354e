"""Per-request user language and current workspace, session idle timeout, browser policy headers."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from creatordesk.accounts.selectors import membership_of

SESSION_WORKSPACE_KEY = "workspace_id"
SESSION_STARTED_KEY = "started_at"
SESSION_SEEN_KEY = "seen_at"
# The last-seen time is stored at most this often, so ordinary browsing does not write the session
# row on every request; the idle timeout is thus exact to within this many seconds.
SESSION_SEEN_RESOLUTION_S = 60
PORTAL_PREFIX = "/creators/portal/"


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


def session_stamp_sign_in(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Start the idle and absolute session clocks at sign-in (a `user_logged_in` receiver)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now


class SessionIdleTimeoutMiddleware:
    """Signs out a session unused for SESSION_IDLE_TIMEOUT_MINUTES, or older than SESSION_COOKIE_AGE.

    OWASP ASVS 4.0 V3.3.2 asks for both an inactivity and an absolute timeout. Django's cookie age
    alone is neither: every saved session starts it over. Runs after the message middleware so the
    next page can say why the user has to sign in again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED_KEY, now)
            seen = session.get(SESSION_SEEN_KEY, now)
            idle_limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            if now - seen > idle_limit or now - started > settings.SESSION_COOKIE_AGE:
                minutes = settings.SESSION_IDLE_TIMEOUT_MINUTES
                logout(request)
                setattr(request, "membership", None)  # noqa: B010
                setattr(request, "workspace", None)  # noqa: B010
                if now - seen > idle_limit:
                    message = ngettext(
                        "You were signed out after %(minutes)d minute without activity. Please sign in again.",
                        "You were signed out after %(minutes)d minutes without activity. Please sign in again.",
                        minutes,
                    ) % {"minutes": minutes}
                else:
                    message = _("Your session has ended. Please sign in again.")
                messages.info(request, message)
            elif SESSION_SEEN_KEY not in session or now - seen >= SESSION_SEEN_RESOLUTION_S:
                session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Turns off browser features the app never uses (camera, microphone, geolocation, payment, ...),
    so injected or third-party code cannot ask for them (W3C Permissions Policy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PortalNoStoreMiddleware:
    """Creator-portal pages are opened through a secret link, often on shared or mobile devices:
    neither the browser nor a proxy may keep a copy (RFC 9111 §5.2.2.5; Pragma for HTTP/1.0 caches)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(PORTAL_PREFIX):
            add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, ...
            response.headers["Pragma"] = "no-cache"
        return response
