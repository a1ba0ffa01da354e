"""An asset's check report as its page shows it: findings marked on the image, one label decision per
channel in the reader's language, the reviewer's list, stages and lineage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from creatordesk.accounts.models import User
from creatordesk.reviews.models import Outcome
from creatordesk.visuals import services
from creatordesk.visuals.models import VisualAsset

CHANNEL_LABELS: dict[str, Promise] = {
    "tiktok": gettext_lazy("TikTok"),
    "meta": gettext_lazy("Instagram, Facebook, Threads"),
    "web": gettext_lazy("Web and other channels"),
}
SEVERITY_LABELS: dict[str, Promise] = {
    "block": gettext_lazy("must be fixed"),
    "warn": gettext_lazy("check"),
    "info": gettext_lazy("note"),
}


def safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._ -]+", "_", name)[:120] or "image"


@dataclass(frozen=True)
class FindingView:
    index: int
    finding: dict[str, Any]
    box_style: str  # CSS placing the finding's mark on the image, "" when it has no region
    decision: Any  # FindingDecision or None
    severity_label: str


def _box(region: dict[str, float] | None) -> str:
    if not region:
        return ""
    return (
        f"left:{region['x'] * 100:.2f}%;top:{region['y'] * 100:.2f}%;"
        f"width:{region['w'] * 100:.2f}%;height:{region['h'] * 100:.2f}%"
    )


def _language() -> str:
    return "de" if (translation.get_language() or "en").startswith("de") else "en"


def _decisions_by_channel(report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    channels: dict[str, list[dict[str, Any]]] = {}
    for decision in report.get("label_decisions", []):
        channels.setdefault(decision["channel"], []).append(
            {
                "rule": decision["rule"],
                "required": decision["required"],
                "reason": decision["reason"][lang],
                "citation": decision["citation"],
                "label": decision["label"][lang] if decision.get("label") else "",
            }
        )
    return [
        {
            "channel": channel,
            "label": str(CHANNEL_LABELS.get(channel, channel)),
            "decisions": rows,
            "required": any(r["required"] for r in rows),
        }
        for channel, rows in channels.items()
    ]


def asset_page(asset: VisualAsset, *, user: User) -> dict[str, Any]:
    """Everything the asset page shows, from the latest check."""
    check = asset.checks.first()
    report = (check.report if check else None) or {}
    lang = _language()
    decisions = {d.index: d for d in check.decisions.all()} if check else {}
    findings = [
        FindingView(
            index=index,
            finding=finding,
            box_style=_box(finding.get("region")),
            decision=decisions.get(index),
            severity_label=str(SEVERITY_LABELS.get(finding.get("severity", ""), finding.get("severity", ""))),
        )
        for index, finding in enumerate(report.get("findings", []))
    ]
    prompt = asset.prompt
    return {
        "asset": asset,
        "check": check,
        "report": report,
        "findings": findings,
        "channels": _decisions_by_channel(report, lang),
        "review_items": [
            {"text": item["text"][lang], "box_style": _box(item.get("region"))}
            for item in report.get("review_items", [])
        ],
        "faces": [],
        "stages": services.asset_stage_rows(asset=asset, user=user),
        "stage_decisions": list(asset.decisions.select_related("reviewer")),
        "outcomes": Outcome.choices,
        "prompt": prompt,
        "template": prompt.template if prompt else None,
        "failed_steps": [s for s in report.get("steps", []) if s["status"] == "failed"],
    }
