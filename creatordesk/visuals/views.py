"""Pages of the AI-visuals area: the asset library, an asset's check and review, downloads, brand settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.models import Role
from creatordesk.accounts.permissions import MANAGERS, REVIEWERS, role_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns.models import Campaign
from creatordesk.djangolib.htmx import is_htmx_partial
from creatordesk.engine.tools.ffmpeg import ToolError
from creatordesk.visuals import presenting, services
from creatordesk.visuals.forms import AssetUploadForm, PaletteForm, ReferenceForm
from creatordesk.visuals.models import BrandPalette, BrandReference, GeneratedPrompt, VisualAsset, VisualCheck

# Everyone who makes or reviews campaign images; viewers only look.
MAKERS = (Role.OWNER, Role.MANAGER, Role.REVIEWER, Role.PERFORMANCE)
ALL_MEMBERS = (*MAKERS, Role.VIEWER)


def _campaigns(request: WorkspaceRequest) -> list[tuple[int, str]]:
    return list(Campaign.objects.for_workspace(request.workspace).order_by("name").values_list("pk", "name"))


def _library(request: WorkspaceRequest, form: AssetUploadForm, status: int = 200) -> HttpResponse:
    assets = VisualAsset.objects.for_workspace(request.workspace).select_related("campaign", "creator")
    campaign = request.GET.get("campaign", "")
    if campaign.isdecimal() and int(campaign) < 2**63:
        assets = assets.filter(campaign_id=int(campaign))
    context = {"form": form, "assets": assets[:200], "campaigns": _campaigns(request), "chosen": campaign}
    return render(request, "visuals/library.html", context, status=status)


@role_required(*ALL_MEMBERS)
def library(request: WorkspaceRequest) -> HttpResponse:
    prompt = request.GET.get("prompt", "")
    initial = (
        {"prompt": int(prompt), "declared": "generated"} if prompt.isdecimal() and int(prompt) < 2**63 else {}
    )
    return _library(request, AssetUploadForm(campaigns=_campaigns(request), initial=initial))


@require_POST
@role_required(*MAKERS)
def upload(request: WorkspaceRequest) -> HttpResponse:
    """Check the file, store it and queue its check; a refused file stores nothing."""
    form = AssetUploadForm(request.POST, request.FILES, campaigns=_campaigns(request))
    if not form.is_valid():
        return _library(request, form, status=400)
    data = form.cleaned_data
    campaign = (
        get_scoped_or_404(Campaign, request.workspace, pk=data["campaign"]) if data["campaign"] else None
    )
    prompt = (
        get_scoped_or_404(GeneratedPrompt, request.workspace, pk=data["prompt"]) if data["prompt"] else None
    )
    try:
        asset = services.asset_create(
            workspace=request.workspace,
            actor=request.user,
            upload=data["file"],
            title=data["title"],
            campaign=campaign,
            declared=data["declared"],
            is_ad=data["is_ad"],
            realistic_person=data["realistic_person"],
            realistic_product=data["realistic_product"],
            health_product=data["health_product"],
            uses=data["uses"],
            expected_text=data["expected_text"],
            packshot_required=data["packshot_required"],
            prompt=prompt,
            variant_id=prompt.variant_id if prompt else "",
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return _library(request, form, status=400)
    return redirect("visuals:asset_detail", asset_id=asset.pk)


@role_required(*ALL_MEMBERS)
def asset_detail(request: WorkspaceRequest, asset_id: int) -> HttpResponse:
    asset = get_scoped_or_404(VisualAsset, request.workspace, pk=asset_id)
    context = presenting.asset_page(asset, user=request.user)
    context["can_review"] = request.membership.role in REVIEWERS
    return render(request, "visuals/asset_detail.html", context)


@role_required(*ALL_MEMBERS)
def check_progress(request: WorkspaceRequest, asset_id: int) -> HttpResponse:
    """The check's progress while it runs; a full page reload once it is done."""
    asset = get_scoped_or_404(VisualAsset, request.workspace, pk=asset_id)
    check = asset.checks.first()
    response = render(request, "visuals/_check_progress.html", {"asset": asset, "check": check})
    if is_htmx_partial(request) and check is not None and check.status in ("done", "failed"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@role_required(*MAKERS)
def recheck(request: WorkspaceRequest, asset_id: int) -> HttpResponse:
    asset = get_scoped_or_404(VisualAsset, request.workspace, pk=asset_id)
    services.asset_check_start(asset=asset)
    return redirect("visuals:asset_detail", asset_id=asset.pk)


@require_POST
@role_required(*REVIEWERS)
def finding_decide(
    request: WorkspaceRequest, asset_id: int, visual_check_id: int, index: int
) -> HttpResponse:
    """Confirm or dismiss one finding, as reviewers do with a video's findings."""
    check = get_scoped_or_404(VisualCheck, request.workspace, pk=visual_check_id, asset_id=asset_id)
    try:
        services.finding_decide(
            check=check,
            index=index,
            confirmed=request.POST.get("decision") == "confirm",
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("visuals:asset_detail", asset_id=asset_id)


@require_POST
@role_required(*REVIEWERS)
def decide(request: WorkspaceRequest, asset_id: int) -> HttpResponse:
    """One review stage's decision on the image."""
    asset = get_scoped_or_404(VisualAsset, request.workspace, pk=asset_id)
    try:
        services.asset_decide(
            asset=asset,
            stage_name=request.POST.get("stage", ""),
            outcome=request.POST.get("outcome", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision saved."))
    return redirect("visuals:asset_detail", asset_id=asset.pk)


def _file_response(field_file: object) -> FileResponse:
    try:
        handle = field_file.open("rb")  # type: ignore[attr-defined]
    except OSError:
        raise Http404 from None
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@role_required(*ALL_MEMBERS)
def asset_image(request: WorkspaceRequest, asset_id: int) -> FileResponse:
    asset = get_scoped_or_404(VisualAsset, request.workspace, pk=asset_id)
    return _file_response(asset.file)


@role_required(*ALL_MEMBERS)
def asset_download(request: WorkspaceRequest, asset_id: int) -> HttpResponse:
    """The image with its IPTC DigitalSourceType written (Content Credentials are never stripped)."""
    asset = get_scoped_or_404(VisualAsset, request.workspace, pk=asset_id)
    try:
        download = services.asset_download(asset=asset)
    except OSError:  # the stored file is gone
        raise Http404 from None
    except ToolError as exc:
        messages.error(request, _("The source type could not be written: %(error)s") % {"error": exc})
        return redirect("visuals:asset_detail", asset_id=asset.pk)
    response = HttpResponse(download.content, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{presenting.safe_filename(download.filename)}"'
    response["X-Digital-Source-Type"] = download.source_type
    response["Cache-Control"] = "private, no-store"
    return response


# --- Brand -------------------------------------------------------------------------------------------


@role_required(*ALL_MEMBERS)
def brand(request: WorkspaceRequest) -> HttpResponse:
    palette = BrandPalette.objects.filter(workspace=request.workspace).first()
    initial = {
        "colours": "\n".join(f"{c['name']} {c['hex']}" for c in (palette.colours if palette else [])),
        "tolerance": palette.tolerance if palette else 12,
        "min_share": round((palette.min_share if palette else 0.15) * 100, 1),
    }
    palette_form = (
        PaletteForm(request.POST or None, initial=initial)
        if request.POST.get("form") == "palette"
        else PaletteForm(initial=initial)
    )
    reference_form = (
        ReferenceForm(request.POST or None, request.FILES or None)
        if request.POST.get("form") == "reference"
        else ReferenceForm()
    )
    if (
        request.method == "POST"
        and request.membership.role in MANAGERS
        and _brand_post(request, palette_form, reference_form)
    ):
        return redirect("visuals:brand")
    context = {
        "palette_form": palette_form,
        "reference_form": reference_form,
        "references": BrandReference.objects.for_workspace(request.workspace),
        "can_edit": request.membership.role in MANAGERS,
    }
    return render(request, "visuals/brand.html", context, status=400 if request.method == "POST" else 200)


def _brand_post(request: WorkspaceRequest, palette_form: PaletteForm, reference_form: ReferenceForm) -> bool:
    if request.POST.get("form") == "palette" and palette_form.is_valid():
        data = palette_form.cleaned_data
        services.palette_save(
            workspace=request.workspace,
            colours=data["colours"],
            tolerance=data["tolerance"],
            min_share=data["min_share"] / 100,
        )
        messages.success(request, _("Brand colours saved."))
        return True
    if request.POST.get("form") == "reference" and reference_form.is_valid():
        data = reference_form.cleaned_data
        try:
            services.reference_add(
                workspace=request.workspace, kind=data["kind"], upload=data["image"], name=data["name"]
            )
        except ValidationError as exc:
            reference_form.add_error("image", exc)
            return False
        messages.success(request, _("Reference image added."))
        return True
    return False


@role_required(*ALL_MEMBERS)
def reference_image(request: WorkspaceRequest, reference_id: int) -> FileResponse:
    reference = get_scoped_or_404(BrandReference, request.workspace, pk=reference_id)
    return _file_response(reference.image)
