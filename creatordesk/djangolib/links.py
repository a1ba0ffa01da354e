"""The scheme and host that links in emails and webhooks start with.

SITE_URL when it is set. Otherwise the address of the request that caused the message, so an app
reached at http://192.168.1.20:8000 does not mail links to 127.0.0.1. Messages are sent by a task
worker, which has no request: the address is taken while the request is still running (the
middleware below keeps it for that long) and stored with the message.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

# Only when neither SITE_URL nor a request is there (a management command, a periodic task in
# development); `serve` sets SITE_URL and `check --deploy` warns about it, so production never gets here.
LAST_RESORT_BASE = "http://127.0.0.1:8000"

_request_base: ContextVar[str] = ContextVar("creatordesk_request_base", default="")


class RequestBaseMiddleware:
    """Keeps the scheme and host of the running request for links built while it runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_base.set(_base_of(request))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)


def _base_of(request: HttpRequest) -> str:
    # get_host() checks ALLOWED_HOSTS, so a forged Host header never ends up in a mailed link.
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return ""


def request_base() -> str:
    """The running request's "scheme://host", or "" outside a request."""
    return _request_base.get()


def site_base(*, recorded: str = "") -> str:
    """SITE_URL when set, else the base recorded with a message, else the running request's."""
    return settings.SITE_URL or recorded or request_base() or LAST_RESORT_BASE


def absolute_url(path: str, *, recorded: str = "") -> str:
    return site_base(recorded=recorded) + path
