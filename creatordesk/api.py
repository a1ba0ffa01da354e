"""The JSON API: every endpoint needs a workspace token and sees only that workspace.

Errors have one shape: `{"detail": "..."}` for 401/403/404, and for a refused request (422)
`{"detail": [{"loc": ["body", "field"], "msg": "..."}]}`, whether the schema or a service refused it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError

from creatordesk import __version__
from creatordesk.accounts.api import MAX_PAGE_SIZE, TokenAuth
from creatordesk.accounts.api import router as accounts_router
from creatordesk.campaigns.api import router as campaigns_router
from creatordesk.creators.api import router as creators_router
from creatordesk.creators.import_api import router as creator_imports_router
from creatordesk.performance.api import router as performance_router
from creatordesk.performance.import_api import router as metric_imports_router
from creatordesk.placements.api import router as placements_router
from creatordesk.reviews.api import router as reviews_router
from creatordesk.shop.api import router as shop_router

api = NinjaAPI(
    title="CreatorDesk API",
    version=__version__,
    description="Creators, campaigns and reviews of one workspace. Authenticate with a token from "
    "Settings → API tokens: `Authorization: Bearer <token>`. "
    f"Lists take `limit` (at most {MAX_PAGE_SIZE}) and "
    '`offset` and answer `{"items": [...], "count": total}`. A refused request answers 422 with '
    '`{"detail": [{"loc": [..., "field"], "msg": "..."}]}`, in the language of `Accept-Language`.',
    auth=TokenAuth(),
    docs_url="/docs",
)

NOT_FOUND = {"detail": "Not found"}


def refusal(request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def service_refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": ["body"], "msg": message} for message in exc.messages]
    return refusal(request, errors)


def _schema_message(error: dict[str, Any]) -> str:
    """Pydantic's message for a refused value, in the request's language where Django has the words."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Enter a number.")
    if kind in {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"}:
        return _("Enter a valid date.")
    if kind in {"datetime_parsing", "datetime_type", "datetime_from_date_parsing"}:
        return _("Enter a valid date/time.")
    if kind in {"enum", "literal_error"}:
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind == "less_than_equal" and "le" in ctx:
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": ctx["le"]}
    if kind == "greater_than_equal" and "ge" in ctx:
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx["ge"]
        }
    return str(error.get("msg", _("Enter a valid value.")))


@api.exception_handler(SchemaValidationError)
def schema_refused(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    return refusal(request, [{"loc": list(e.get("loc", ())), "msg": _schema_message(e)} for e in exc.errors])


@api.exception_handler(Http404)
def not_found_here(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Another workspace's row and a missing one answer alike, with nothing of the lookup in it.
    return api.create_response(request, NOT_FOUND, status=404)


@api.exception_handler(OverflowError)
def number_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # An id or filter beyond what the database can store matches nothing; say so instead of failing.
    return refusal(request, [{"loc": [], "msg": _("A number in the request is out of range.")}])


@api.exception_handler(UnicodeEncodeError)
def broken_text(request: HttpRequest, exc: UnicodeEncodeError) -> HttpResponse:
    # Lone surrogates in JSON strings cannot be stored; they are a client error, not ours.
    return refusal(
        request, [{"loc": ["body"], "msg": _("The request contains text that is not valid Unicode.")}]
    )


@api.exception_handler(DataError)
def unstorable_value(request: HttpRequest, exc: DataError) -> HttpResponse:
    # A value the database refuses (PostgreSQL: a NUL character in text) is the client's to fix.
    message = _("The request contains a value that cannot be stored (e.g. a NUL character).")
    return refusal(request, [{"loc": ["body"], "msg": message}])


@csrf_exempt
def unknown_path(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any /api/ path the API does not have: a client reads JSON here, not the HTML 404 page."""
    return JsonResponse(NOT_FOUND, status=404)


api.add_router("", accounts_router)
api.add_router("", creators_router)
api.add_router("", campaigns_router)
api.add_router("", reviews_router)
api.add_router("", shop_router)
api.add_router("", performance_router)
api.add_router("", creator_imports_router)
api.add_router("", metric_imports_router)
api.add_router("", placements_router)
