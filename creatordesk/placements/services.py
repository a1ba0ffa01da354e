"""Every write of the placements area: delivery rows, ad set settings, test plans and analyses."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from creatordesk.accounts.models import User, Workspace
from creatordesk.placements.exports import PlacementRow
from creatordesk.placements.models import (
    AdSetSetting,
    ExclusionAnalysis,
    ExclusionPlan,
    Level,
    PlacementChoice,
    PlacementRecord,
    Source,
)

# What names a row: the same ad on the same placement, period and attribution setting is one row, so
# importing a file again, or the API's copy of an exported day, replaces it instead of adding to it.
_IDENTITY = (
    "account_id",
    "account_name",
    "campaign_id",
    "campaign_name",
    "adset_id",
    "adset_name",
    "ad_id",
    "ad_name",
    "publisher_platform",
    "platform_position",
    "starts",
    "ends",
    "attribution_setting",
)
# The figures a later copy of the same row may change.
_VALUES = (
    "platform_label",
    "placement_label",
    "day",
    "currency",
    "spend",
    "impressions",
    "reach",
    "link_clicks",
    "results",
    "result_indicator",
    "cost_per_result",
    "revenue",
    "attribution_label",
    "objective",
    "ad_text_length",
)


def row_key(row: PlacementRow) -> str:
    # Ids win over names when a file has both: a renamed campaign is still the same campaign.
    parts = [str(getattr(row, name)) for name in _IDENTITY]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _values(row: PlacementRow) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in _VALUES if name != "ad_text_length"}
    values["ad_text_length"] = None if row.ad_text is None else len(row.ad_text)
    return values


def _same(record: PlacementRecord, values: dict[str, Any]) -> bool:
    def normal(value: Any) -> Any:
        return value.normalize() if isinstance(value, Decimal) else value

    return all(normal(getattr(record, name)) == normal(value) for name, value in values.items())


@dataclass
class RowPlan:
    """What writing one row does: create, update or nothing."""

    row: PlacementRow
    key: str
    action: str
    record: PlacementRecord | None = None


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    plans: list[RowPlan] = field(default_factory=list)

    def add(self, action: str) -> None:
        name = {"create": "created", "update": "updated", "unchanged": "unchanged"}[action]
        setattr(self, name, getattr(self, name) + 1)


def records_plan(*, workspace: Workspace, rows: Sequence[PlacementRow]) -> WriteCounts:
    """What writing `rows` would do to the stored rows, without writing (the dry run's answer)."""
    keyed = [(row_key(row), row) for row in rows]
    stored = {
        record.key: record
        for record in PlacementRecord.objects.for_workspace(workspace).filter(key__in=[k for k, _ in keyed])
    }
    counts = WriteCounts()
    for key, row in keyed:
        record = stored.get(key)
        action = "create" if record is None else ("unchanged" if _same(record, _values(row)) else "update")
        counts.add(action)
        counts.plans.append(RowPlan(row=row, key=key, action=action, record=record))
    return counts


@transaction.atomic
def records_write(*, workspace: Workspace, rows: Sequence[PlacementRow], source: Source) -> WriteCounts:
    """Store `rows` in one transaction, planned again inside it so the counts are what was written."""
    counts = records_plan(workspace=workspace, rows=rows)
    new = []
    for plan in counts.plans:
        values = _values(plan.row)
        if plan.action == "create":
            identity = {name: getattr(plan.row, name) for name in _IDENTITY}
            new.append(
                PlacementRecord(workspace=workspace, key=plan.key, source=source, **identity, **values)
            )
        elif plan.action == "update" and plan.record is not None:
            PlacementRecord.objects.filter(pk=plan.record.pk).update(source=source, **values)
    PlacementRecord.objects.bulk_create(new, batch_size=500)
    return counts


def ad_set_setting_save(
    *,
    workspace: Workspace,
    adset_key: str,
    placements: str,
    start: date | None,
    objective: str = "",
    ad_text_lengths: dict[str, int] | None = None,
    source: str = "user",
) -> AdSetSetting:
    """Record what is known about an ad set; the text lengths are kept when none are given."""
    if placements not in PlacementChoice.values:
        raise ValueError(f"unknown placement choice {placements!r}")
    defaults: dict[str, Any] = {
        "placements": placements,
        "start": start,
        "objective": objective,
        "source": source,
    }
    if ad_text_lengths is not None:
        defaults["ad_text_lengths"] = {str(k): int(v) for k, v in ad_text_lengths.items()}
    setting, _created = AdSetSetting.objects.update_or_create(
        workspace=workspace, adset_key=adset_key[:200], defaults=defaults
    )
    return setting


def ad_set_settings_save_all(
    *, workspace: Workspace, settings: Iterable[tuple[str, dict[str, Any]]], source: str
) -> int:
    """Store the settings the Marketing API reported for several ad sets at once."""
    count = 0
    with transaction.atomic():
        for key, values in settings:
            ad_set_setting_save(workspace=workspace, adset_key=key, source=source, **values)
            count += 1
    return count


def exclusion_plan_create(*, workspace: Workspace, actor: User | None, **inputs: Any) -> ExclusionPlan:
    """Keep a planned exclusion test; its figures are computed from these inputs when shown."""
    plan = ExclusionPlan(workspace=workspace, created_by=actor, **inputs)
    plan.full_clean(exclude=["workspace", "created_by"])
    plan.save()
    return plan


def exclusion_analysis_create(
    *,
    workspace: Workspace,
    actor: User | None,
    name: str,
    cell_a_key: str,
    cell_b_key: str,
    level: str = Level.CAMPAIGN,
    margin: Decimal | None = None,
    plan: ExclusionPlan | None = None,
) -> ExclusionAnalysis:
    """Keep which campaigns (or ad sets) were a test's two cells; the analysis reads their stored rows."""
    if cell_a_key == cell_b_key:
        raise ValueError("the two cells must be different campaigns or ad sets")
    if plan is not None and plan.workspace_id != workspace.pk:
        raise ValueError("the plan belongs to another workspace")
    analysis = ExclusionAnalysis(
        workspace=workspace,
        created_by=actor,
        name=name,
        level=level,
        cell_a_key=cell_a_key,
        cell_b_key=cell_b_key,
        margin=margin,
        plan=plan,
    )
    analysis.full_clean(exclude=["workspace", "created_by", "plan"])
    analysis.save()
    return analysis
