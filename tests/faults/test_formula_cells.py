"""No text a user typed runs as a formula when a CSV/XLSX export is opened in a spreadsheet.

A creator named `=HYPERLINK("http://x","click")` used to land verbatim in the audit CSV, where Excel
and LibreOffice turn it into a live link (OWASP CSV Injection,
https://owasp.org/www-community/attacks/CSV_Injection). Every page is fetched to find the exports, so
a new export without neutralisation is noticed here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from django.test import Client

from conftest import Side
from creatordesk.api import api
from creatordesk.creators.portal import portal_token_for
from tests.test_workspace_isolation import OBJECT_IDS, _walk, review_objects_b  # noqa: F401 (a fixture)

PAYLOADS = ('=HYPERLINK("http://x","click")', "+cmd", "@SUM(1)", "-2+3", "\t=1+1", "\r=1+1")
SPREADSHEET_TYPES = (
    "text/csv",
    "text/tab-separated-values",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _seed_audit(side: Side) -> None:
    """Audit events whose actor and details start with each payload, made the way users make them."""
    from creatordesk.accounts.models import Role
    from creatordesk.accounts.services import membership_set, user_create
    from creatordesk.creators.services import creator_create
    from creatordesk.reviews.services import comment_add, finding_set_state

    version, finding = side.extra["version"], side.extra["finding"]
    creator = creator_create(workspace=side.workspace, display_name=PAYLOADS[0], tiktok_handle="formula")
    comment_add(version=version, body="+cmd", start_s=1, author_creator=creator)
    for number, payload in enumerate(PAYLOADS[1:]):
        user = user_create(email=f"formula{number}@beta.example", password="x" * 20, first_name=payload)
        membership_set(workspace=side.workspace, user=user, role=Role.REVIEWER)
        comment_add(version=version, body=payload, start_s=1, author=user)
        finding_set_state(finding=finding, state="dismissed", reason=payload, user=user)


# Every export: its route and how to give it rows that carry the payloads.
EXPORTS: dict[str, Callable[[Side], None]] = {
    "reviews/<int:submission_pk>/audit.csv": _seed_audit,
}


def _fill(route: str, side: Side) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "token":
            return portal_token_for(side.creator)
        return str(OBJECT_IDS[name](side)) if name in OBJECT_IDS else "x"

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", sub, route)


def _routes() -> list[str]:
    from django.urls import get_resolver

    routes = {route for route, _pattern in _walk(get_resolver().url_patterns)}
    return sorted(route for route in routes if not route.startswith(("admin/", "api/")))


def _is_spreadsheet(content_type: str) -> bool:
    return content_type.startswith(SPREADSHEET_TYPES)


def _cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8"), newline="")) for cell in row]


@pytest.mark.usefixtures("review_objects_b")
def test_every_page_that_answers_with_a_spreadsheet_is_a_known_export(side_b: Side) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(side_b.owner)
    found = set()
    for route in _routes():
        response = client.get(_fill(route, side_b))
        if _is_spreadsheet(response.get("Content-Type", "")):
            found.add(route)
    assert found == set(EXPORTS), "a spreadsheet export without a formula test, or a stale entry"


def test_no_api_operation_answers_with_a_spreadsheet() -> None:
    schema = api.get_openapi_schema()
    types = {
        content_type
        for ops in schema["paths"].values()
        for op in ops.values()
        for response in op.get("responses", {}).values()
        for content_type in response.get("content", {})
    }
    assert not [t for t in types if _is_spreadsheet(t)], "an API export needs safe_cell and a test here"


@pytest.mark.parametrize("route", sorted(EXPORTS))
@pytest.mark.usefixtures("review_objects_b")
def test_export_shows_formula_text_as_text(route: str, side_b: Side) -> None:
    EXPORTS[route](side_b)
    client = Client()
    client.force_login(side_b.owner)
    response = client.get(_fill(route, side_b))
    assert response.status_code == 200
    cells = _cells(response.content)
    dangerous = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not dangerous, f"cells a spreadsheet would run: {dangerous}"
    # Names are stored stripped, so a leading TAB or CR arrives as the `=` behind it.
    for payload in PAYLOADS:
        assert any(cell.startswith("'" + payload.strip()) for cell in cells), (
            f"{payload!r} is not kept as text"
        )
