"""Numbers as each reader's language writes them: "40 %" in German (DIN 5008), "40%" in English."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats, translation

register = template.Library()

# A no-break space keeps the sign on the figure's line.
_PERCENT_SIGN = {"de": "\u00a0%", "en": "%"}


@register.filter
def percent(value: float | Decimal | int | str | None, decimals: int = 0) -> str:
    """`value` (already in percent) with the reader's decimal mark and percent sign; "—" when unknown."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return "—"
    if not number.is_finite():
        return "—"
    places = max(int(decimals), 0)
    # number_format cuts extra decimals off; round half up first, as people do.
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    language = (translation.get_language() or "en").split("-")[0]
    figure = formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    return figure + _PERCENT_SIGN.get(language, "%")


@register.filter
def ratio_percent(value: float | None, decimals: int = 0) -> str:
    """A share between 0 and 1 as a percent figure."""
    if value is None:
        return "—"
    return percent(Decimal(str(value)) * 100, decimals)
