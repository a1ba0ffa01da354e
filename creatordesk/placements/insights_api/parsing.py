"""Read the documented answers of the Meta Marketing API into the app's own types.

Insights rows become `PlacementRow`s, the same type an Ads Manager export gives, so the audit cannot
tell where a row came from. Numbers arrive as strings ("12.34"); a number that cannot be read raises
instead of becoming zero, because a silently zeroed spend would move every share in the audit.
Field names and value shapes follow the research notes, placements.md §1.2–1.7.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from creatordesk.performance.connectors import ConnectorError
from creatordesk.placements.audit import AdSetSettings, PlacementChoice
from creatordesk.placements.exports import PlacementRow

type JSON = Mapping[str, Any]

# "7d_click_1d_view" (the Insights `attribution_setting` value) holds the windows the exports and the
# `action_attribution_windows` parameter write as "7d_click,1d_view" (placements.md §1.4).
_WINDOW = re.compile(r"\d+d_(?:click|view|ev)")
# Creative texts that Meta shows as the ad's caption: `body`, or the message of the object story's
# link or video (AdCreative reference, developers.facebook.com/docs/marketing-api/reference/ad-creative).
_STORY_TEXTS = (("link_data", "message"), ("video_data", "message"))


def obj(value: Any) -> JSON:
    return value if isinstance(value, Mapping) else {}


def objects(value: Any) -> list[JSON]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def text(value: Any) -> str:
    return "" if value is None else str(value)


def _decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, bool):
        raise ConnectorError(f"Meta: {name} is not a number: {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ConnectorError(f"Meta: {name} is not a number: {value!r}") from None
    if not number.is_finite() or number < 0:
        raise ConnectorError(f"Meta: {name} is not a number: {value!r}")
    return number


def _count(value: Any, name: str) -> int:
    number = _decimal(value, name)
    if number != number.to_integral_value():
        raise ConnectorError(f"Meta: {name} is not a whole number: {value!r}")
    return int(number)


def _day(value: Any, name: str) -> date:
    try:
        return date.fromisoformat(text(value))
    except ValueError:
        raise ConnectorError(f"Meta: {name} is not a date: {value!r}") from None


def attribution(value: str) -> str:
    """ "7d_click_1d_view" -> "7d_click,1d_view"; a value without windows ("mixed", "skan") stays as given."""
    windows = _WINDOW.findall(value)
    return ",".join(windows) if windows else value.strip()


def action_total(entries: Any, action_type: str) -> Decimal | None:
    """The `value` of the `actions` (or `action_values`) entry of one type; None when there is none."""
    found = [entry for entry in objects(entries) if entry.get("action_type") == action_type]
    if not found:
        return None
    return sum((_decimal(entry.get("value", 0), action_type) for entry in found), Decimal(0))


def placement_row(
    item: JSON, *, number: int, result_action_type: str, requested_windows: Sequence[str]
) -> PlacementRow:
    """One Insights row with `publisher_platform,platform_position` breakdowns and `time_increment=1`."""
    platform = text(item.get("publisher_platform"))
    position = text(item.get("platform_position"))
    if not platform or "date_start" not in item:
        raise ConnectorError(f"Meta: insights row {number} has no placement or no date")
    starts = _day(item["date_start"], "date_start")
    ends = _day(item.get("date_stop", item["date_start"]), "date_stop")
    stated = text(item.get("attribution_setting"))
    results = action_total(item.get("actions"), result_action_type)
    return PlacementRow(
        row=number,
        day=starts,  # one day per row: the report asks for time_increment=1
        starts=starts,
        ends=ends,
        publisher_platform=platform,
        platform_position=position,
        platform_label=platform,
        placement_label=position,
        spend=_decimal(item.get("spend", 0), "spend"),
        currency=text(item.get("account_currency")),
        impressions=_count(item.get("impressions", 0), "impressions"),
        # Meta leaves reach out for breakdowns that start over 13 months back (placements.md §1.1).
        reach=_count(item["reach"], "reach") if item.get("reach") not in (None, "") else None,
        link_clicks=_count(item.get("inline_link_clicks", 0), "inline_link_clicks"),
        results=results or Decimal(0),
        result_indicator=f"actions:{result_action_type}",
        revenue=action_total(item.get("action_values"), result_action_type),
        attribution_setting=attribution(stated) if stated else ",".join(requested_windows),
        attribution_label=stated,
        objective=text(item.get("objective")),
        account_id=text(item.get("account_id")),
        account_name=text(item.get("account_name")),
        campaign_id=text(item.get("campaign_id")),
        campaign_name=text(item.get("campaign_name")),
        adset_id=text(item.get("adset_id")),
        adset_name=text(item.get("adset_name")),
        ad_id=text(item.get("ad_id")),
        ad_name=text(item.get("ad_name")),
    )


def with_known_revenue(rows: list[PlacementRow]) -> list[PlacementRow]:
    """Rows without a value entry get revenue 0 when the result type carries values in this report.

    Meta leaves a type out of `action_values` on a row without conversions, which is 0; a type that
    never carries a value (a lead) is left out everywhere, and its revenue stays unknown (None).
    """
    if all(row.revenue is None for row in rows):
        return rows
    return [row if row.revenue is not None else replace(row, revenue=Decimal(0)) for row in rows]


def _moment_day(value: Any) -> date | None:
    # Meta writes times with a compact offset ("2026-08-14T10:00:00+0200"); the date is the
    # account's local date, the same calendar the Insights days use.
    try:
        return datetime.fromisoformat(text(value)).date() if value else None
    except ValueError:
        return None


def placement_choice(node: JSON) -> PlacementChoice:
    """MANUAL when the targeting lists publisher platforms; AUTOMATIC (Advantage+) when it lists none."""
    if "targeting" not in node:
        return PlacementChoice.UNKNOWN
    # Leaving publisher_platforms unset means all default platforms, new ones included (§1.2).
    return (
        PlacementChoice.MANUAL
        if obj(node["targeting"]).get("publisher_platforms")
        else PlacementChoice.AUTOMATIC
    )


def ad_text(ad: JSON) -> str | None:
    """The longest caption an ad's creative carries, or None when it has none."""
    creative = obj(ad.get("creative"))
    story = obj(creative.get("object_story_spec"))
    texts = [text(creative.get("body"))]
    texts += [text(obj(story.get(part)).get(key)) for part, key in _STORY_TEXTS]
    longest = max(texts, key=len)
    return longest or None


def ad_set_settings(node: JSON, ads: Iterable[JSON]) -> AdSetSettings:
    lengths = {}
    for ad in ads:
        caption = ad_text(ad)
        if caption is not None and text(ad.get("id")):
            lengths[text(ad.get("id"))] = len(caption)
    return AdSetSettings(
        placements=placement_choice(node),
        start=_moment_day(node.get("start_time")) or _moment_day(node.get("created_time")),
        objective=text(obj(node.get("campaign")).get("objective")),
        ad_text_lengths=lengths,
    )


# --- Throttling -------------------------------------------------------------------------------------


def _header_json(value: str | None) -> Any:
    try:
        return json.loads(value) if value else None
    except ValueError:
        return None


def _seconds(value: Any) -> float:
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 0.0


def regain_access_s(headers: Mapping[str, str]) -> float:
    """Seconds until a throttled account may call again, from Meta's usage headers (names in lower case).

    `X-Business-Use-Case-Usage` maps business object ids to lists of quotas, each with
    `estimated_time_to_regain_access` in minutes; `X-Ad-Account-Usage` gives `reset_time_duration` in
    seconds, which counts only once `acc_id_util_pct` reached 100 (Marketing API rate limiting,
    developers.facebook.com/docs/marketing-api/overview/rate-limiting). `X-App-Usage` has percentages
    only, so it adds no time.
    """
    waits = [0.0]
    business = _header_json(headers.get("x-business-use-case-usage"))
    for quotas in business.values() if isinstance(business, dict) else ():
        waits += [_seconds(q.get("estimated_time_to_regain_access")) * 60 for q in objects(quotas)]
    account = obj(_header_json(headers.get("x-ad-account-usage")))
    if _seconds(account.get("acc_id_util_pct")) >= 100:
        waits.append(_seconds(account.get("reset_time_duration")))
    return max(waits)
