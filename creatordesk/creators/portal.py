"""Signed, expiring links that let a creator see only their own collaborations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation

from creatordesk.creators.models import Creator

_SALT = "creatordesk.creator-portal"


def portal_token_for(creator: Creator) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"c": creator.pk, "k": creator.portal_key})


def portal_submission_path(*, creator: Creator, submission_pk: int) -> str:
    """A fresh signed link (path only) to one submission's page in the creator's portal."""
    return reverse("portal:submission", args=[portal_token_for(creator), submission_pk])


def portal_language(creator: Creator) -> str:
    """The first of the creator's languages the app speaks; the site default when none is."""
    spoken = [code.strip().lower().split("-")[0] for code in creator.languages.replace(";", ",").split(",")]
    return next((code for code in spoken if code in dict(settings.LANGUAGES)), settings.LANGUAGE_CODE)


def creator_from_portal_token(token: str) -> Creator | None:
    """The creator a token names, or None when it is forged, expired or revoked."""
    max_age = timedelta(days=settings.CREATOR_LINK_MAX_AGE_DAYS)
    try:
        data = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=max_age)
    except signing.BadSignature:
        return None
    creator_id = data.get("c") if isinstance(data, dict) else None
    if not isinstance(creator_id, int):
        return None
    creator = Creator.objects.select_related("workspace").filter(pk=creator_id).first()
    if creator is None or not creator.portal_key or creator.portal_key != data.get("k"):
        return None
    return creator


def portal_page[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """Answer a portal view in its creator's language, unless the visitor picked one with the switcher.

    The browser's Accept-Language is often not the creator's (a shared phone, an English-set laptop);
    the creator's profile says which language the brand writes to them in. A choice made with the
    language switcher on the page is kept in the language cookie and wins, as on every other page.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, token: str, **kwargs: Any) -> HttpResponseBase:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        creator = None if chosen in dict(settings.LANGUAGES) else creator_from_portal_token(token)
        if creator is None:
            return view(request, *args, token=token, **kwargs)
        language = portal_language(creator)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, token=token, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapped  # type: ignore[return-value]
