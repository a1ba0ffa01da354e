"""Writes of the TikTok Shop area that reach the Affiliate Center: target collaborations and the blocklist."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User, Workspace
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus, SampleShipment
from creatordesk.campaigns.services import collaboration_move, shipment_set_status
from creatordesk.creators.activity import activity_record
from creatordesk.creators.models import Creator, Platform, PlatformAccount
from creatordesk.performance.connectors import ConnectorError
from creatordesk.shop.affiliate_api import (
    DraftInvalid,
    FreeSampleRule,
    RejectReason,
    ReviewDecision,
    TargetCollaborationChange,
    TargetCollaborationDraft,
    TargetCollaborationUpdate,
    commission_rate_from_percent,
)
from creatordesk.shop.connection import affiliate_client_for
from creatordesk.shop.models import CreatorBlock, ShopCollaboration, SyncRun

log = logging.getLogger(__name__)

BLOCK_REASON_MAX_LENGTH = 300
# A run still "running" after this long lost its worker; a new one may start.
SYNC_STALE_AFTER = datetime.timedelta(minutes=30)


@dataclass
class CollaborationCreated:
    """The stored collaboration and what TikTok did not take as asked."""

    collaboration: ShopCollaboration
    # "Creator: product" pairs TikTok kept in another target collaboration.
    conflicts: list[str] = field(default_factory=list)
    link_error: str = ""


def _rate(percent: Decimal | str | None, label: str) -> int | None:
    if percent is None or percent == "":
        return None
    try:
        return commission_rate_from_percent(percent)
    except ValueError:
        raise ValidationError(
            _("%(label)s must lie between 1 %% and 80 %% in steps of 0.01 %%.") % {"label": label}
        ) from None


def _product_ids(campaign: Campaign) -> dict[str, str]:
    products = list(campaign.products.all())
    if not products:
        raise ValidationError(_("The campaign has no products; add the products to invite creators for."))
    missing = [p.name for p in products if not p.shop_product_id]
    if missing:
        raise ValidationError(
            _("These products have no TikTok Shop product ID yet: %(names)s.") % {"names": ", ".join(missing)}
        )
    return {p.shop_product_id: p.name for p in products}


def _open_ids(campaign: Campaign, collaborations: Sequence[Collaboration]) -> dict[str, Creator]:
    if not collaborations:
        raise ValidationError(_("Pick at least one creator."))
    if any(c.campaign_id != campaign.pk for c in collaborations):
        raise ValidationError(_("Every creator must belong to this campaign."))
    creators = [c.creator for c in collaborations]
    accounts = PlatformAccount.objects.for_workspace(campaign.workspace).filter(
        platform=Platform.TIKTOK, creator__in=creators
    )
    open_id_of = {a.creator_id: a.open_id for a in accounts if a.open_id}
    missing = [c.display_name for c in creators if c.pk not in open_id_of]
    if missing:
        raise ValidationError(
            _("These creators have no TikTok Creator Open ID on file: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    return {open_id_of[c.pk]: c for c in creators}


def shop_collaboration_create(
    *,
    campaign: Campaign,
    collaborations: Sequence[Collaboration],
    commission_percent: Decimal | str,
    shop_ads_commission_percent: Decimal | str | None,
    free_sample: bool,
    sample_approval_exempt: bool,
    message: str,
    ends_at: datetime.datetime,
    seller_email: str,
    actor: object = None,
) -> CollaborationCreated:
    """Invite the campaign's chosen creators to its products in the Affiliate Center, and keep the result.

    Everything is checked before anything is sent; ShopNotConnected, ValidationError and
    ConnectorError leave nothing stored.
    """
    products = _product_ids(campaign)
    creators = _open_ids(campaign, collaborations)
    rate = _rate(commission_percent, _("The commission"))
    assert rate is not None
    draft = TargetCollaborationDraft(
        name=campaign.name[:100],
        product_ids=list(products),
        commission_rate=rate,
        creator_open_ids=list(creators),
        end_time=ends_at,
        seller_email=seller_email,
        message=message,
        shop_ads_commission_rate=_rate(shop_ads_commission_percent, _("The Shop Ads commission")),
        free_sample=FreeSampleRule(free_sample, free_sample and sample_approval_exempt),
    )
    problems = draft.problems()
    if problems:
        raise ValidationError(problems)
    client = affiliate_client_for(workspace_id=campaign.workspace_id)
    try:
        created = client.create_target_collaboration(draft)
    except DraftInvalid as exc:
        raise ValidationError(list(exc.problems)) from None
    link, link_error = "", ""
    try:
        link = client.target_collaboration_link(created.id)
    except ConnectorError as exc:
        # The collaboration exists at TikTok now; it is kept, and the next sync fetches the link.
        link_error = str(exc)
    with transaction.atomic():
        stored = _collaboration_store(campaign, draft, created.id, link)
        for collaboration in collaborations:
            _invited(collaboration, stored, actor)
    conflicts = [
        f"{creators[c.creator_open_id].display_name}: {products.get(c.product_id, c.product_id)}"
        for c in created.conflicts
        if c.creator_open_id in creators
    ]
    return CollaborationCreated(stored, conflicts, link_error)


def _collaboration_store(
    campaign: Campaign, draft: TargetCollaborationDraft, external_id: str, link: str
) -> ShopCollaboration:
    return ShopCollaboration.objects.create(
        workspace=campaign.workspace,
        campaign=campaign,
        external_id=external_id,
        name=draft.name,
        status="ONGOING",
        commission_rate_bp=draft.commission_rate,
        shop_ads_commission_rate_bp=draft.shop_ads_commission_rate,
        has_free_sample=draft.free_sample.has_free_sample,
        sample_approval_exempt=draft.free_sample.is_sample_approval_exempt,
        message=draft.message,
        ends_at=draft.end_time,
        acceptance_link=link,
        creator_open_ids=list(draft.creator_open_ids),
        product_ids=list(draft.product_ids),
        synced_at=timezone.now(),
    )


def _invited(collaboration: Collaboration, stored: ShopCollaboration, actor: object) -> None:
    if collaboration.status == CollaborationStatus.PROSPECT:
        collaboration_move(collaboration=collaboration, status=CollaborationStatus.INVITED, actor=actor)
    activity_record(
        creator=collaboration.creator,
        collaboration=collaboration,
        verb="shop_invited",
        text=_("Invited to the TikTok Shop target collaboration “%(name)s” at %(rate)s %% commission.")
        % {"name": stored.name, "rate": Decimal(stored.commission_rate_bp) / 100},
        actor=actor,
    )


def creator_block(*, creator: Creator, reason: str, actor: object = None) -> CreatorBlock:
    """Put the creator on the workspace's blocklist; the next syncs remove them from open collaborations."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why the creator is blocked.")})
    if len(reason) > BLOCK_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(max)s characters or fewer.")
                % {"max": BLOCK_REASON_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        block, _created = CreatorBlock.objects.update_or_create(
            workspace_id=creator.workspace_id,
            creator=creator,
            defaults={"reason": reason, "created_by": actor if isinstance(actor, User) else None},
        )
        activity_record(
            creator=creator, verb="blocked", text=_("Blocked: %(reason)s") % {"reason": reason}, actor=actor
        )
    return block


def creator_unblock(*, creator: Creator, actor: object = None) -> bool:
    """Take the creator off the blocklist; False when they were not on it."""
    with transaction.atomic():
        deleted, _detail = (
            CreatorBlock.objects.for_workspace(creator.workspace).filter(creator=creator).delete()
        )
        if deleted:
            activity_record(
                creator=creator, verb="unblocked", text=_("Taken off the blocklist."), actor=actor
            )
    return bool(deleted)


def sync_run_start(*, workspace: Workspace) -> tuple[SyncRun, bool]:
    """A new sync run for the workspace, or the one already running; True when it is new."""
    with transaction.atomic():
        running = (
            SyncRun.objects.for_workspace(workspace)
            .filter(status=SyncRun.Status.RUNNING, started_at__gte=timezone.now() - SYNC_STALE_AFTER)
            .first()
        )
        if running is not None:
            return running, False
        return SyncRun.objects.create(workspace=workspace, counts={"stage": "queued"}), True


def reject_reason_choices() -> list[tuple[str, str]]:
    """The reasons TikTok accepts for refusing a sample request, labelled in the current language."""
    labels = {
        RejectReason.NOT_MATCH: _("Not a fit for the product"),
        RejectReason.OFFLINE: _("Product no longer offered"),
        RejectReason.OUT_OF_STOCK: _("Out of stock"),
        RejectReason.OTHER: _("Other reason"),
    }
    return [(str(reason), str(labels[reason])) for reason in RejectReason]


def _review_decision(
    shipment: SampleShipment, approve: bool, reason: str | None
) -> tuple[ReviewDecision, RejectReason | None]:
    if shipment.status != SampleShipment.Status.REQUESTED or not shipment.external_id:
        raise ValidationError(_("This sample request no longer waits for a decision."))
    if approve:
        return ReviewDecision.APPROVE, None
    if reason is None or reason not in RejectReason.__members__:
        raise ValidationError({"reason": _("Pick why the sample request is rejected.")})
    return ReviewDecision.REJECT, RejectReason(reason)


def sample_request_review(
    *, shipment: SampleShipment, approve: bool, reason: str | None, actor: object = None
) -> SampleShipment:
    """Approve or reject a TikTok sample request in the Affiliate Center, then record the decision here.

    ValidationError, ShopNotConnected and ConnectorError leave the shipment as it was: TikTok holds the
    request, so nothing is recorded here that TikTok did not take.
    """
    decision, reject_reason = _review_decision(shipment, approve, reason)
    client = affiliate_client_for(workspace_id=shipment.workspace_id)
    client.review_sample_application(shipment.external_id, decision, reject_reason)
    if reject_reason is None:
        status, text = SampleShipment.Status.PREPARING, _("Sample request approved in TikTok Shop.")
    else:
        label = dict(reject_reason_choices())[str(reject_reason)]
        status = SampleShipment.Status.REJECTED
        text = _("Sample request rejected in TikTok Shop: %(reason)s.") % {"reason": label}
    with transaction.atomic():
        shipment_set_status(shipment=shipment, status=status, actor=actor)
        collaboration = shipment.collaboration
        activity_record(
            creator=collaboration.creator,
            collaboration=collaboration,
            verb="shop_sample_" + str(decision).lower(),
            text=text,
            actor=actor,
        )
    return shipment


# TikTok's statuses of a target collaboration that can no longer be changed.
CLOSED_STATUSES = ("CANCELING", "COMPLETED")


def _collaboration_change(
    collaboration: ShopCollaboration, rate: int | None, ends_at: datetime.datetime | None
) -> TargetCollaborationChange:
    if collaboration.status in CLOSED_STATUSES:
        raise ValidationError(_("This target collaboration has ended and can no longer be changed."))
    if rate is None and ends_at is None:
        raise ValidationError(_("Nothing to change: enter a new commission or a new end date."))
    if ends_at is not None and ends_at <= timezone.now():
        raise ValidationError(_("The end date must lie in the future."))
    if rate is not None and not collaboration.product_ids:
        raise ValidationError(_("The products of this collaboration are not known here; sync first."))
    # TikTok replaces the product list with the one sent, so a commission change resends all products.
    return TargetCollaborationChange(
        product_ids=list(collaboration.product_ids) if rate is not None else None,
        commission_rate=rate,
        shop_ads_commission_rate=collaboration.shop_ads_commission_rate_bp if rate is not None else None,
        end_time=ends_at,
    )


def _same_day(a: datetime.datetime, b: datetime.datetime) -> bool:
    return timezone.localdate(a) == timezone.localdate(b)


def shop_collaboration_update(
    *,
    collaboration: ShopCollaboration,
    commission_percent: Decimal | str | None,
    ends_at: datetime.datetime | None,
) -> TargetCollaborationUpdate:
    """Change the commission or end of a target collaboration in TikTok Shop, then here.

    The row changes only after TikTok took the change; ValidationError, ShopNotConnected and
    ConnectorError leave it as it was.
    """
    rate = _rate(commission_percent, _("The commission"))
    # The page sends both fields filled in; only what differs from the stored values is a change.
    if rate == collaboration.commission_rate_bp:
        rate = None
    if (
        ends_at is not None
        and collaboration.ends_at is not None
        and _same_day(ends_at, collaboration.ends_at)
    ):
        ends_at = None
    change = _collaboration_change(collaboration, rate, ends_at)
    client = affiliate_client_for(workspace_id=collaboration.workspace_id)
    try:
        result = client.update_target_collaboration(collaboration.external_id, change)
    except DraftInvalid as exc:
        raise ValidationError(list(exc.problems)) from None
    if rate is not None:
        collaboration.commission_rate_bp = rate
    if ends_at is not None:
        collaboration.ends_at = ends_at
    collaboration.synced_at = timezone.now()
    collaboration.save(update_fields=["commission_rate_bp", "ends_at", "synced_at"])
    return result


def shop_collaboration_remove(*, collaboration: ShopCollaboration) -> ShopCollaboration:
    """End a target collaboration in TikTok Shop; here it shows as being cancelled until the next sync."""
    if collaboration.status in CLOSED_STATUSES:
        raise ValidationError(_("This target collaboration has already ended."))
    affiliate_client_for(workspace_id=collaboration.workspace_id).remove_target_collaboration(
        collaboration.external_id
    )
    collaboration.status = "CANCELING"
    collaboration.synced_at = timezone.now()
    collaboration.save(update_fields=["status", "synced_at"])
    return collaboration
