"""One pull from the Affiliate Center: target collaborations, sample requests, affiliate orders, and the
blocklist enforced on open collaborations.

Everything is read before anything is written, and the writes share one transaction: an API error on
any page leaves the run FAILED with the error and the database as it was. Samples and orders go
through `records`, the write path the Seller Center imports use too.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import Workspace
from creatordesk.creators.activity import activity_record
from creatordesk.creators.models import Creator, Platform, PlatformAccount
from creatordesk.performance.connectors import ConnectorError
from creatordesk.shop import records
from creatordesk.shop.affiliate_api import (
    AffiliateClient,
    AffiliateOrderLine,
    CreatorPerformance,
    KnownCreator,
    Money,
    SampleApplication,
    match_creator,
)
from creatordesk.shop.connection import ShopNotConnected, affiliate_client_for
from creatordesk.shop.models import CreatorBlock, ShopCollaboration, Source, SyncRun

log = logging.getLogger(__name__)

FIRST_RUN_DAYS = 90
# Orders change after they are placed (refunds, settled commission): each run reads a day back again.
ORDERS_OVERLAP = datetime.timedelta(days=1)
# The target collaboration search reports no status of its own, so it is asked once per live status;
# a known collaboration in none of them has ended.
LIVE_STATUSES = ("ONGOING", "EXPIRING", "CANCELING")
ENDED = "COMPLETED"
SETTLED_ORDER = "COMPLETED"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Removal:
    """A blocked creator found promoting a product in open collaboration."""

    open_collaboration_id: str
    product_id: str
    product_title: str
    creator_id: int
    open_id: str


@dataclass
class _Read:
    statuses: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    samples: list[records.SampleRecord] = field(default_factory=list)
    orders: list[records.OrderRecord] = field(default_factory=list)
    newest_order: datetime.datetime | None = None
    removals: list[Removal] = field(default_factory=list)


def shop_sync(
    *, workspace: Workspace, run: SyncRun | None = None, progress: Progress | None = None
) -> SyncRun:
    """Read the Affiliate Center and store what it holds, all or nothing; the run says how it went."""
    run = run or SyncRun.objects.create(workspace=workspace)
    since = orders_since(workspace)

    def stage(name: str) -> None:
        SyncRun.objects.filter(pk=run.pk).update(counts={"stage": name})
        if progress is not None:
            progress(name)

    try:
        client = affiliate_client_for(workspace_id=workspace.pk)
        read = _read_all(client, workspace, since, stage)
        stage("removing")
        _remove_blocked(client, read.removals)
        stage("storing")
        counts = _store(workspace, read)
    except (ConnectorError, ShopNotConnected) as exc:
        return _finish(run, SyncRun.Status.FAILED, error=str(exc))
    except Exception as exc:
        log.exception("TikTok Shop sync of workspace %s failed", workspace.pk)
        _finish(run, SyncRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    next_since = read.newest_order - ORDERS_OVERLAP if read.newest_order else since
    return _finish(run, SyncRun.Status.DONE, counts=counts, orders_since=max(since, next_since))


def orders_since(workspace: Workspace) -> datetime.datetime:
    """Where the next run starts reading orders: the last good run's mark, else 90 days back."""
    last = (
        SyncRun.objects.for_workspace(workspace)
        .filter(status=SyncRun.Status.DONE, orders_since__isnull=False)
        .order_by("-started_at")
        .first()
    )
    if last is not None and last.orders_since is not None:
        return last.orders_since
    return timezone.now() - datetime.timedelta(days=FIRST_RUN_DAYS)


def _finish(run: SyncRun, status: str, **values: object) -> SyncRun:
    run.status = status
    run.finished_at = timezone.now()
    for name, value in values.items():
        setattr(run, name, value)
    if status == SyncRun.Status.FAILED:
        run.counts = {}
    run.save()
    return run


# --- Reading ----------------------------------------------------------------------------------------


def _read_all(
    client: AffiliateClient, workspace: Workspace, since: datetime.datetime, stage: Progress
) -> _Read:
    read = _Read()
    stage("collaborations")
    read.statuses, read.links = _collaborations_read(client, workspace)
    stage("samples")
    read.samples = [sample_record(app) for app in client.search_sample_applications()]
    stage("orders")
    lines = client.search_affiliate_orders(created_from=since)
    read.orders = [order_record(line) for line in lines]
    read.newest_order = max((line.created_at for line in lines if line.created_at), default=None)
    stage("open_collaborations")
    read.removals = _blocked_in_open_collaborations(client, workspace)
    return read


def _collaborations_read(
    client: AffiliateClient, workspace: Workspace
) -> tuple[dict[str, str], dict[str, str]]:
    """The status of every known target collaboration, and acceptance links still missing."""
    known = dict(
        ShopCollaboration.objects.for_workspace(workspace).values_list("external_id", "acceptance_link")
    )
    statuses: dict[str, str] = {}
    for status in LIVE_STATUSES if known else ():
        for found in client.search_target_collaborations(status=status):
            if found.id in known:
                statuses.setdefault(found.id, status)
    links = {
        external_id: client.target_collaboration_link(external_id)
        for external_id, link in known.items()
        if not link and external_id in statuses
    }
    for external_id in known.keys() - statuses.keys():
        statuses[external_id] = ENDED
    return statuses, links


def sample_record(app: SampleApplication) -> records.SampleRecord:
    return records.SampleRecord(
        external_id=app.id,
        status=records.sample_status_from_tiktok(app.status),
        creator_username=app.creator.username,
        creator_open_id=app.creator.open_id,
        product_id=app.product_id,
        tracking_number=app.tracking_number,
    )


def _amount(money: Money | None) -> Decimal | None:
    return money.amount if money is not None else None


def order_record(line: AffiliateOrderLine) -> records.OrderRecord:
    """An order line as CreatorDesk keeps it; paid commission counts once TikTok settled the order."""
    settled = line.order_status == SETTLED_ORDER
    price = line.price.amount if line.price else Decimal(0)
    shop_ads = line.actual_shop_ads_commission if settled else line.estimated_shop_ads_commission
    return records.OrderRecord(
        order_id=line.order_id,
        sku_id=line.sku_id or line.product_id,
        product_id=line.product_id,
        creator_username=line.creator_username,
        creator_open_id=line.creator_open_id,
        content_id=line.content_id,
        content_type=line.content_type,
        status=line.order_status,
        ordered_at=line.created_at,
        currency=line.price.currency if line.price else "EUR",
        units=line.quantity or 0,
        gmv=price * (line.quantity or 0),
        commission_estimated=_amount(line.estimated_paid_commission),
        commission_paid=_amount(line.actual_paid_commission) if settled else None,
        shop_ads_commission=_amount(shop_ads) or Decimal(0),
        refunded_units=line.refunded_quantity or 0,
        returned_units=line.returned_quantity or 0,
        refund_amount=price * (line.refunded_quantity or 0),
    )


def _blocked_known(workspace: Workspace) -> list[KnownCreator]:
    blocked = list(CreatorBlock.objects.for_workspace(workspace).values_list("creator_id", flat=True))
    known = [
        KnownCreator(ref=str(a.creator_id), handle=a.handle, open_id=a.open_id or None)
        for a in PlatformAccount.objects.for_workspace(workspace).filter(
            platform=Platform.TIKTOK, creator_id__in=blocked
        )
    ]
    with_account = {int(k.ref) for k in known}
    for creator in Creator.objects.for_workspace(workspace).filter(pk__in=blocked).exclude(tiktok_handle=""):
        if creator.pk not in with_account:
            known.append(KnownCreator(ref=str(creator.pk), handle=creator.tiktok_handle))
    return known


def _blocked_in_open_collaborations(client: AffiliateClient, workspace: Workspace) -> list[Removal]:
    known = _blocked_known(workspace)
    if not known:
        return []
    found = []
    for open_collaboration in client.search_open_collaborations():
        for content in client.open_collaboration_creator_content(open_collaboration.product_id):
            creator = match_creator(content.creator.open_id, content.creator.username, known)
            if creator is None or not content.creator.open_id:
                continue
            found.append(
                Removal(
                    open_collaboration_id=open_collaboration.id,
                    product_id=open_collaboration.product_id,
                    product_title=open_collaboration.product_title or open_collaboration.product_id,
                    creator_id=int(creator.ref),
                    open_id=content.creator.open_id,
                )
            )
    return found


def creator_performance_read(*, creator: Creator) -> CreatorPerformance | None:
    """The creator's last 30 days on the marketplace (ranges where they share only ranges); None
    without an Open ID on file. Raises ShopNotConnected or ConnectorError."""
    account = (
        PlatformAccount.objects.for_workspace(creator.workspace)
        .filter(creator=creator, platform=Platform.TIKTOK)
        .exclude(open_id="")
        .first()
    )
    if account is None:
        return None
    return affiliate_client_for(workspace_id=creator.workspace_id).creator_performance(account.open_id)


# --- Writing ----------------------------------------------------------------------------------------


def _remove_blocked(client: AffiliateClient, removals: list[Removal]) -> None:
    # Removing twice is harmless at TikTok, so a run that fails later repeats these next time.
    for removal in removals:
        client.remove_creator_from_open_collaboration(
            removal.open_collaboration_id, creator_open_id=removal.open_id, product_id=removal.product_id
        )


def _store(workspace: Workspace, read: _Read) -> dict[str, object]:
    now = timezone.now()
    with transaction.atomic():
        changed = 0
        for external_id, status in read.statuses.items():
            changed += (
                ShopCollaboration.objects.for_workspace(workspace)
                .filter(external_id=external_id)
                .exclude(status=status)
                .update(status=status, synced_at=now)
            )
        for external_id, link in read.links.items():
            changed += (
                ShopCollaboration.objects.for_workspace(workspace)
                .filter(external_id=external_id)
                .update(acceptance_link=link, synced_at=now)
            )
        samples = records.samples_write(workspace=workspace, records=read.samples, source=Source.TIKTOK_API)
        orders = records.orders_write(workspace=workspace, records=read.orders, source=Source.TIKTOK_API)
        _removals_record(workspace, read.removals)
    return {
        "collaborations": changed,
        "samples": samples.as_dict(),
        "orders": orders.as_dict(),
        "removed_creators": len(read.removals),
    }


def _removals_record(workspace: Workspace, removals: list[Removal]) -> None:
    if not removals:
        return
    reasons = dict(
        CreatorBlock.objects.for_workspace(workspace)
        .filter(creator_id__in={r.creator_id for r in removals})
        .values_list("creator_id", "reason")
    )
    creators = Creator.objects.for_workspace(workspace).in_bulk({r.creator_id for r in removals})
    for removal in removals:
        activity_record(
            creator=creators[removal.creator_id],
            verb="shop_removed",
            text=_removed_text(removal.product_title, reasons.get(removal.creator_id, "")),
        )


def _removed_text(product: str, reason: str) -> str:
    return _("Removed again from the open collaboration for %(product)s: %(reason)s") % {
        "product": product,
        "reason": reason,
    }
