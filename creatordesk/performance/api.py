"""Posts, their metric snapshots, viral alerts, benchmarks and the performance figures in the JSON API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from creatordesk.accounts.api import Page
from creatordesk.accounts.permissions import PERFORMANCE_STAFF, require_role
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.performance import selectors
from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.models import MetricSnapshot, Post, ViralAlert
from creatordesk.performance.services import snapshots_record
from creatordesk.reviews.selectors import approval_sla

router = Router(tags=["performance"])


class PostOut(Schema):
    id: int
    collaboration_id: int
    platform: str
    format: str
    url: str
    external_id: str
    caption: str
    posted_at: datetime.datetime | None


class SnapshotIn(Schema):
    taken_at: datetime.datetime
    views: int | None = Field(None, ge=0)
    likes: int | None = Field(None, ge=0)
    comments: int | None = Field(None, ge=0)
    shares: int | None = Field(None, ge=0)
    saves: int | None = Field(None, ge=0)
    orders: int | None = Field(None, ge=0)
    gmv_eur: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class SnapshotOut(Schema):
    taken_at: datetime.datetime
    views: int
    likes: int
    comments: int
    shares: int
    saves: int
    orders: int
    gmv_eur: Decimal


class AlertOut(Schema):
    id: int
    post_id: int
    threshold: str
    score: float
    explanation: str
    created_at: datetime.datetime
    snoozed_until: datetime.datetime | None


class FunnelStepOut(Schema):
    status: str
    label: str
    count: int = Field(description="Collaborations at this step or further along.")


class ApprovalTimeOut(Schema):
    campaign: str
    median_hours: float = Field(description="Median hours from upload to the first decision.")
    versions: int


class FiguresOut(Schema):
    funnel: list[FunnelStepOut]
    declined: int
    approval_times: list[ApprovalTimeOut]
    chart: dict[str, Any] = Field(
        description="Cumulative GMV, orders and views per day: `labels` (days), `campaigns` and the "
        "leading `creators`, each a series per figure."
    )


@router.get("/performance/posts", response=list[PostOut])
@paginate(Page)
def list_posts(request: WorkspaceRequest) -> QuerySet[Post]:
    return Post.objects.for_workspace(request.workspace)


@router.get("/performance/posts/{post_id}", response=PostOut)
def get_post(request: WorkspaceRequest, post_id: int) -> Post:
    return get_scoped_or_404(Post, request.workspace, pk=post_id)


@router.get("/performance/posts/{post_id}/snapshots", response=list[SnapshotOut])
@paginate(Page)
def list_snapshots(request: WorkspaceRequest, post_id: int) -> QuerySet[MetricSnapshot]:
    post = get_scoped_or_404(Post, request.workspace, pk=post_id)
    return post.snapshots.order_by("taken_at")


@router.post("/performance/posts/{post_id}/snapshots", response={201: SnapshotOut})
def create_snapshot(request: WorkspaceRequest, post_id: int, payload: SnapshotIn) -> Status[MetricSnapshot]:
    require_role(request, *PERFORMANCE_STAFF)
    post = get_scoped_or_404(Post, request.workspace, pk=post_id)
    snapshots_record(rows=[(post, Snapshot(**payload.dict()))])
    return Status(201, post.snapshots.get(taken_at=payload.taken_at))


@router.get("/performance/alerts", response=list[AlertOut])
@paginate(Page)
def list_alerts(request: WorkspaceRequest) -> QuerySet[ViralAlert]:
    return ViralAlert.objects.for_workspace(request.workspace)


# The selector's row is the answer: the page and the API show the same figures.
@router.get("/performance/benchmarks", response=list[selectors.BenchmarkRow])
@paginate(Page)
def list_benchmarks(request: WorkspaceRequest) -> list[selectors.BenchmarkRow]:
    return selectors.benchmark_rows(request.workspace)


@router.get("/performance/figures", response=FiguresOut)
def get_figures(request: WorkspaceRequest) -> FiguresOut:
    """The figures of the performance page: the collaboration funnel, approval times and the chart."""
    funnel, declined = selectors.pipeline_funnel(request.workspace)
    return FiguresOut(
        funnel=[FunnelStepOut(status=s.status, label=s.label, count=s.count) for s in funnel],
        declined=declined,
        approval_times=[
            ApprovalTimeOut(campaign=name, median_hours=hours, versions=count)
            for name, hours, count in approval_sla(workspace=request.workspace)
        ],
        chart=selectors.chart_series(request.workspace),
    )
