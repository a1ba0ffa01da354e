"""The one place that decides between a full page and an HTMX partial."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx_partial(request: HttpRequest) -> bool:
    # A boosted navigation wants the whole page; only targeted swaps get the fragment.
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def render_page(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, partial if is_htmx_partial(request) else template, context, status=status)
