"""Posts, their metric snapshots and viral alerts in the JSON API."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.models import MetricSnapshot, Post, ViralAlert
from creatordesk.performance.services import snapshots_record
from creatordesk.performance.views import PERFORMANCE_STAFF

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


@router.get("/performance/posts", response=list[PostOut])
def list_posts(request: WorkspaceRequest) -> list[Post]:
    return list(Post.objects.for_workspace(request.workspace)[:500])


@router.get("/performance/posts/{post_id}", response=PostOut)
def get_post(request: WorkspaceRequest, post_id: int) -> Post:
    return get_scoped_or_404(Post, request.workspace, pk=post_id)


@router.get("/performance/posts/{post_id}/snapshots", response=list[SnapshotOut])
def list_snapshots(request: WorkspaceRequest, post_id: int) -> list[MetricSnapshot]:
    post = get_scoped_or_404(Post, request.workspace, pk=post_id)
    return list(post.snapshots.order_by("taken_at")[:5000])


@router.post("/performance/posts/{post_id}/snapshots", response={201: SnapshotOut})
def create_snapshot(request: WorkspaceRequest, post_id: int, payload: SnapshotIn) -> Status[MetricSnapshot]:
    post = get_scoped_or_404(Post, request.workspace, pk=post_id)
    if request.membership.role not in PERFORMANCE_STAFF:
        raise HttpError(403, "Your role may not record metrics.")
    snapshots_record(rows=[(post, Snapshot(**payload.dict()))])
    return Status(201, post.snapshots.get(taken_at=payload.taken_at))


@router.get("/performance/alerts", response=list[AlertOut])
def list_alerts(request: WorkspaceRequest) -> list[ViralAlert]:
    return list(ViralAlert.objects.for_workspace(request.workspace)[:500])
