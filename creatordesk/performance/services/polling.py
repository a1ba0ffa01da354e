"""Polling the platform APIs for a post's current figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from creatordesk.performance.connections import connectors_for_workspace
from creatordesk.performance.connectors import METRIC_FIELDS, Connector, ConnectorError, Snapshot
from creatordesk.performance.models import Post
from creatordesk.performance.services.posts import snapshots_record


def _merged(snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """One snapshot per moment: figures of several sources at the same time are combined."""
    by_time: dict[datetime, dict[str, object]] = {}
    for snap in snapshots:
        values = by_time.setdefault(snap.taken_at, {})
        for name in METRIC_FIELDS:
            if (value := getattr(snap, name)) is not None:
                values[name] = value
    return [Snapshot(taken_at=t, **v) for t, v in sorted(by_time.items())]  # type: ignore[arg-type]


@dataclass
class PollResult:
    post_id: int
    status: str  # "ok", "skipped" (no connector or credentials), "error"
    detail: str = ""
    snapshots: int = 0


def post_metrics_poll(
    *, post: Post, connectors: Sequence[Connector] | None = None, check_viral: bool = True
) -> PollResult:
    """Ask every configured connector of the post's platform for current figures and store them.

    A caller polling many posts passes check_viral=False and calls `viral_check_posts` once for
    the lot, so the workspace's curves are read once instead of once per post.
    """
    if connectors is None:
        chosen = connectors_for_workspace(workspace_id=post.workspace_id, platform=post.platform)
    else:
        chosen = list(connectors)
    usable = [c for c in chosen if c.configured()]
    if not post.external_id or not usable:
        reason = _("no platform ID") if not post.external_id else _("no connector credentials")
        return PollResult(post.pk, "skipped", str(reason))
    fetched: list[Snapshot] = []
    errors = []
    for connector in usable:
        try:
            fetched += connector.fetch_metrics(post)
        except ConnectorError as exc:
            errors.append(f"{connector.name}: {exc}")
    stored = snapshots_record(rows=[(post, s) for s in _merged(fetched)], check_viral=check_viral)
    return PollResult(post.pk, "error" if errors and not stored else "ok", "; ".join(errors), stored)
