"""The JSON API: every endpoint needs a workspace token and sees only that workspace."""

from __future__ import annotations

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from creatordesk import __version__
from creatordesk.accounts.api import TokenAuth
from creatordesk.accounts.api import router as accounts_router
from creatordesk.campaigns.api import router as campaigns_router
from creatordesk.creators.api import router as creators_router
from creatordesk.performance.api import router as performance_router
from creatordesk.reviews.api import router as reviews_router

api = NinjaAPI(
    title="CreatorDesk API",
    version=__version__,
    description="Creators, campaigns and reviews of one workspace. Authenticate with a token from "
    "Settings → API tokens: `Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    docs_url="/docs",
)


@api.exception_handler(OverflowError)
def number_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # An id or filter beyond what the database can store matches nothing; say so instead of failing.
    return api.create_response(request, {"detail": "A number in the request is out of range."}, status=422)


@api.exception_handler(UnicodeEncodeError)
def broken_text(request: HttpRequest, exc: UnicodeEncodeError) -> HttpResponse:
    # Lone surrogates in JSON strings cannot be stored; they are a client error, not ours.
    return api.create_response(
        request, {"detail": "The request contains text that is not valid Unicode."}, status=422
    )


@api.exception_handler(DataError)
def unstorable_value(request: HttpRequest, exc: DataError) -> HttpResponse:
    # A value the database refuses (PostgreSQL: a NUL character in text) is the client's to fix.
    return api.create_response(
        request,
        {"detail": "The request contains a value that cannot be stored (e.g. a NUL character)."},
        status=422,
    )


api.add_router("", accounts_router)
api.add_router("", creators_router)
api.add_router("", campaigns_router)
api.add_router("", reviews_router)
api.add_router("", performance_router)
