"""Pages of the TikTok Shop sync: the overview with its runs, target collaborations, and the blocklist."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ExpressionWrapper, F, FloatField, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.models import Workspace
from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns.models import Campaign, SampleShipment
from creatordesk.creators.models import Creator, Platform, PlatformAccount
from creatordesk.djangolib.htmx import is_htmx_partial
from creatordesk.performance.connectors import ConnectorError
from creatordesk.shop import services
from creatordesk.shop.affiliate_api import Money, Range, commission_rate_to_percent
from creatordesk.shop.connection import ShopNotConnected, affiliate_client_for, shop_connected
from creatordesk.shop.forms import BlockForm, TargetCollaborationForm
from creatordesk.shop.models import CreatorBlock, ShopCollaboration, SyncRun
from creatordesk.shop.samples import PostingRow, posting_figures
from creatordesk.shop.sync import creator_performance_read
from creatordesk.shop.tasks import shop_sync_run

RUNS_SHOWN = 10
CAMPAIGNS_SHOWN = 20
# Each creator is one API call; a refresh reads at most this many.
FIGURES_SHOWN = 30


@workspace_required
def index(request: WorkspaceRequest) -> HttpResponse:
    return render(request, "shop/sync_index.html", _index_context(request))


def _index_context(request: WorkspaceRequest) -> dict[str, object]:
    workspace = request.workspace
    return {
        "not_connected": shop_connected(workspace_id=workspace.pk),
        "runs": SyncRun.objects.for_workspace(workspace)[:RUNS_SHOWN],
        "collaborations": ShopCollaboration.objects.for_workspace(workspace)
        .select_related("campaign")
        .annotate(commission_percent=ExpressionWrapper(F("commission_rate_bp") / 100.0, FloatField())),
        "blocked": CreatorBlock.objects.for_workspace(workspace).count(),
        "can_manage": request.membership.role in MANAGERS,
        "campaigns": Campaign.objects.for_workspace(workspace).order_by("-created_at")[:CAMPAIGNS_SHOWN],
        "sample_requests": _sample_requests(workspace),
        "reject_reasons": services.reject_reason_choices(),
        "closed_statuses": services.CLOSED_STATUSES,
        "tomorrow": timezone.localdate() + datetime.timedelta(days=1),
        "figure_accounts": _open_id_accounts(workspace).count(),
    }


def _open_id_accounts(workspace: Workspace) -> QuerySet[PlatformAccount]:
    return (
        PlatformAccount.objects.for_workspace(workspace)
        .filter(platform=Platform.TIKTOK)
        .exclude(open_id="")
        .select_related("creator")
        .order_by("creator__display_name", "pk")
    )


@dataclass(frozen=True)
class CreatorFigures:
    """A creator's last 30 days on the TikTok Shop marketplace, as text for the page."""

    creator: Creator
    gmv: str = ""
    units: str = ""
    post_rate: str = ""
    pps: str = ""
    error: str = ""


def _number(value: object) -> str:
    return str(number_format(value, force_grouping=True))  # type: ignore[arg-type]


def _shown(value: object) -> str:
    """A figure as the creator shares it: exact, as a range, or not at all."""
    if value is None:
        return _("not shared")
    if isinstance(value, Range):
        if isinstance(value.low, Money) and isinstance(value.high, Money):
            return f"{_number(value.low.amount)}–{_number(value.high.amount)} {value.high.currency}"
        return f"{_shown(value.low)}–{_shown(value.high)}"
    if isinstance(value, Money):
        return f"{_number(value.amount)} {value.currency}"
    return _number(value)


def _figures_of(creator: Creator) -> CreatorFigures:
    try:
        performance = creator_performance_read(creator=creator)
    except ConnectorError as exc:
        return CreatorFigures(creator, error=str(exc))
    if performance is None:
        return CreatorFigures(creator, error=_("No TikTok Creator Open ID on file."))
    post_rate = performance.post_rate
    return CreatorFigures(
        creator,
        gmv=_shown(performance.gmv),
        units=_shown(performance.units_sold),
        post_rate=_shown(commission_rate_to_percent(post_rate)) + " %"
        if post_rate is not None
        else _shown(None),
        pps=_shown(performance.pps),
    )


@require_POST
@workspace_required
def figures_refresh(request: WorkspaceRequest) -> HttpResponse:
    """Read the marketplace figures of the workspace's creators with an Open ID, now."""
    accounts = list(_open_id_accounts(request.workspace)[:FIGURES_SHOWN])
    context: dict[str, object] = {"figure_accounts": len(accounts)}
    try:
        affiliate_client_for(workspace_id=request.workspace.pk)
    except ShopNotConnected as exc:
        context["figures_error"] = str(exc)
    else:
        context["figures"] = [_figures_of(account.creator) for account in accounts]
    if is_htmx_partial(request):
        return render(request, "shop/sample_requests_figures.html", context)
    return render(request, "shop/sync_index.html", _index_context(request) | context)


@dataclass(frozen=True)
class SampleRequest:
    """A TikTok sample request waiting for the seller, with the creator's record on earlier samples."""

    shipment: SampleShipment
    earlier: PostingRow | None


def _sample_requests(workspace: Workspace) -> list[SampleRequest]:
    shipments = list(
        SampleShipment.objects.for_workspace(workspace)
        .filter(status=SampleShipment.Status.REQUESTED)
        .exclude(external_id="")
        .select_related("collaboration__creator", "collaboration__campaign", "product")
        .order_by("requested_on", "pk")
    )
    if not shipments:
        return []
    earlier = {row.key: row for row in posting_figures(workspace=workspace).by_creator}
    return [SampleRequest(s, earlier.get(s.collaboration.creator_id)) for s in shipments]


@require_POST
@role_required(*MANAGERS)
def sample_request_review(request: WorkspaceRequest, shipment_id: int) -> HttpResponse:
    shipment = get_scoped_or_404(SampleShipment, request.workspace, pk=shipment_id)
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "reject"):
        raise Http404
    try:
        services.sample_request_review(
            shipment=shipment,
            approve=decision == "approve",
            reason=request.POST.get("reason") or None,
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (ShopNotConnected, ConnectorError) as exc:
        messages.error(
            request,
            _("TikTok Shop did not take the decision, so nothing changed: %(error)s") % {"error": exc},
        )
    else:
        name = shipment.collaboration.creator.display_name
        if decision == "approve":
            messages.success(request, _("The sample request of %(name)s is approved.") % {"name": name})
        else:
            messages.success(request, _("The sample request of %(name)s is rejected.") % {"name": name})
    return redirect("shop:sync_index")


def _end_of(day_text: str) -> datetime.datetime | None:
    if not day_text:
        return None
    try:
        day = datetime.date.fromisoformat(day_text)
    except ValueError:
        raise ValidationError(_("Enter the end date as a date.")) from None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


@require_POST
@role_required(*MANAGERS)
def collaboration_update(request: WorkspaceRequest, shop_collaboration_id: int) -> HttpResponse:
    collaboration = get_scoped_or_404(ShopCollaboration, request.workspace, pk=shop_collaboration_id)
    old_rate = collaboration.commission_rate_bp
    try:
        result = services.shop_collaboration_update(
            collaboration=collaboration,
            commission_percent=request.POST.get("commission_percent", "").strip() or None,
            ends_at=_end_of(request.POST.get("ends_on", "").strip()),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (ShopNotConnected, ConnectorError) as exc:
        messages.error(
            request, _("TikTok Shop did not take the change, so nothing changed: %(error)s") % {"error": exc}
        )
    else:
        messages.success(
            request, _("The target collaboration “%(name)s” is updated.") % {"name": collaboration.name}
        )
        if collaboration.commission_rate_bp < old_rate:
            messages.info(request, _("TikTok applies a lower commission from 00:00 tomorrow."))
        if not result.complete:
            messages.warning(
                request,
                _("TikTok did not apply every part of the change; the next sync shows what it holds."),
            )
    return redirect("shop:sync_index")


@require_POST
@role_required(*MANAGERS)
def collaboration_remove(request: WorkspaceRequest, shop_collaboration_id: int) -> HttpResponse:
    collaboration = get_scoped_or_404(ShopCollaboration, request.workspace, pk=shop_collaboration_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm that the target collaboration should end."))
        return redirect("shop:sync_index")
    try:
        services.shop_collaboration_remove(collaboration=collaboration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (ShopNotConnected, ConnectorError) as exc:
        messages.error(
            request, _("TikTok Shop did not end it, so nothing changed: %(error)s") % {"error": exc}
        )
    else:
        messages.success(
            request,
            _("The target collaboration “%(name)s” is ending in TikTok Shop.") % {"name": collaboration.name},
        )
    return redirect("shop:sync_index")


@require_POST
@role_required(*MANAGERS)
def sync_start(request: WorkspaceRequest) -> HttpResponse:
    run, started = services.sync_run_start(workspace=request.workspace)
    if started:
        workspace_id, run_id = request.workspace.pk, run.pk
        transaction.on_commit(lambda: shop_sync_run.enqueue(workspace_id=workspace_id, run_id=run_id))
    if is_htmx_partial(request):
        return render(request, "shop/sync_progress.html", {"run": run})
    return redirect("shop:sync_index")


@workspace_required
def sync_status(request: WorkspaceRequest) -> HttpResponse:
    """The progress of one run, polled by the overview while it runs."""
    run_id = request.GET.get("run", "")
    run: SyncRun | None
    if run_id:
        run = get_scoped_or_404(SyncRun, request.workspace, pk=int(run_id) if run_id.isdigit() else 0)
    else:
        # Without a run asked for, the newest one: what the overview would show.
        run = SyncRun.objects.for_workspace(request.workspace).order_by("-started_at").first()
    if run is None:
        return HttpResponse('<div id="sync-progress"></div>')
    response = render(request, "shop/sync_progress.html", {"run": run})
    if run.status != SyncRun.Status.RUNNING and request.GET.get("was") == SyncRun.Status.RUNNING:
        response["HX-Refresh"] = "true"  # the whole page shows the new collaborations and counts
    return response


@role_required(*MANAGERS)
def collaboration_create(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    form = TargetCollaborationForm(
        request.POST or None, campaign=campaign, initial={"seller_email": request.user.email}
    )
    not_connected = shop_connected(workspace_id=request.workspace.pk)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.shop_collaboration_create(
                campaign=campaign,
                ends_at=form.ends_at(),
                actor=request.user,
                **{k: v for k, v in form.cleaned_data.items() if k != "ends_on"},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except (ShopNotConnected, ConnectorError) as exc:
            form.add_error(None, str(exc))
        else:
            _report_created(request, created)
            return redirect("shop:sync_index")
    status = 400 if form.errors else 200
    context = {"campaign": campaign, "form": form, "not_connected": not_connected}
    return render(request, "shop/collaboration_create.html", context, status=status)


def _report_created(request: WorkspaceRequest, created: services.CollaborationCreated) -> None:
    messages.success(request, _("The target collaboration was created in TikTok Shop."))
    if created.conflicts:
        messages.warning(
            request,
            _("TikTok kept these creators in another target collaboration for the product: %(pairs)s.")
            % {"pairs": "; ".join(created.conflicts)},
        )
    if created.link_error:
        messages.warning(
            request, _("The acceptance link could not be fetched yet; the next sync fetches it.")
        )


@workspace_required
def blocklist(request: WorkspaceRequest) -> HttpResponse:
    can_manage = request.membership.role in MANAGERS
    form = BlockForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.creator_block(
                    creator=form.cleaned_data["creator"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The creator is on the blocklist."))
                return redirect("shop:sync_blocklist")
    context = {
        "form": form,
        "blocks": CreatorBlock.objects.for_workspace(request.workspace).select_related(
            "creator", "created_by"
        ),
        "can_manage": can_manage,
        "connections_url": reverse("performance:connections"),
    }
    return render(request, "shop/blocklist.html", context, status=400 if form.errors else 200)


@require_POST
@role_required(*MANAGERS)
def blocklist_remove(request: WorkspaceRequest, creator_pk: int) -> HttpResponse:
    creator = get_scoped_or_404(Creator, request.workspace, pk=creator_pk)
    if services.creator_unblock(creator=creator, actor=request.user):
        messages.success(request, _("%(name)s is off the blocklist.") % {"name": creator.display_name})
    return redirect("shop:sync_blocklist")
