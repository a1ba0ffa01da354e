"""Campaigns with their collaborations and settings, products with reference images, and the brief."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creatordesk.accounts.permissions import MANAGERS, role_required, workspace_required
from creatordesk.accounts.scoping import WorkspaceRequest, get_scoped_or_404
from creatordesk.campaigns import briefs, selectors, services
from creatordesk.campaigns import products as product_services
from creatordesk.campaigns.forms import (
    AddCreatorForm,
    BriefForm,
    CampaignForm,
    ProductForm,
    ProductImageForm,
)
from creatordesk.campaigns.models import Brief, Campaign, Product, ProductImage
from creatordesk.creators.portal import creator_from_portal_token


@workspace_required
def campaign_list(request: WorkspaceRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(workspace=request.workspace)
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@role_required(*MANAGERS)
def campaign_create(request: WorkspaceRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(workspace=request.workspace, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Campaign created."))
            return redirect("campaigns:campaign_detail", campaign_pk=campaign.pk)
    context = {"form": form, "campaign": None}
    return render(request, "campaigns/campaign_form.html", context, status=400 if form.errors else 200)


@role_required(*MANAGERS)
def campaign_edit(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    form = CampaignForm(request.POST or None, instance=campaign, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            product_services.campaign_update(campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:campaign_detail", campaign_pk=campaign.pk)
    context = {"form": form, "campaign": campaign}
    return render(request, "campaigns/campaign_form.html", context, status=400 if form.errors else 200)


@workspace_required
def campaign_detail(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    context = {
        "campaign": campaign,
        "products": campaign.products.prefetch_related("images"),
        "brief": briefs.brief_of(campaign),
        "collaborations": selectors.campaign_collaborations(campaign=campaign),
        "add_form": AddCreatorForm(workspace=request.workspace),
        "can_manage": request.membership.role in MANAGERS,
    }
    return render(request, "campaigns/campaign_detail.html", context)


@require_POST
@role_required(*MANAGERS)
def collaboration_add(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    form = AddCreatorForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        services.collaboration_create(campaign=campaign, creator=form.cleaned_data["creator"])
        messages.success(request, _("Creator added to the campaign."))
    else:
        messages.error(request, _("Choose a creator of this workspace."))
    return redirect("campaigns:campaign_detail", campaign_pk=campaign.pk)


# Products


@workspace_required
def product_list(request: WorkspaceRequest) -> HttpResponse:
    rows = Product.objects.for_workspace(request.workspace).prefetch_related("images", "campaigns")
    context = {"products": rows, "can_manage": request.membership.role in MANAGERS}
    return render(request, "campaigns/product_list.html", context)


@role_required(*MANAGERS)
def product_create(request: WorkspaceRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = product_services.product_create(workspace=request.workspace, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Product created. Add reference images so the pre-review can find it.")
            )
            return redirect("campaigns:product_detail", product_pk=product.pk)
    context = {"form": form, "product": None}
    return render(request, "campaigns/product_form.html", context, status=400 if form.errors else 200)


@role_required(*MANAGERS)
def product_edit(request: WorkspaceRequest, product_pk: int) -> HttpResponse:
    product = get_scoped_or_404(Product, request.workspace, pk=product_pk)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            product_services.product_update(product=product, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Product saved."))
            return redirect("campaigns:product_detail", product_pk=product.pk)
    context = {"form": form, "product": product}
    return render(request, "campaigns/product_form.html", context, status=400 if form.errors else 200)


@workspace_required
def product_detail(request: WorkspaceRequest, product_pk: int) -> HttpResponse:
    product = get_scoped_or_404(Product, request.workspace, pk=product_pk)
    return _product_page(request, product, ProductImageForm())


def _product_page(
    request: WorkspaceRequest, product: Product, image_form: ProductImageForm, status: int = 200
) -> HttpResponse:
    context = {
        "product": product,
        "images": product.images.all(),
        "campaigns": product.campaigns.all(),
        "image_form": image_form,
        "can_manage": request.membership.role in MANAGERS,
    }
    return render(request, "campaigns/product_detail.html", context, status=status)


@require_POST
@role_required(*MANAGERS)
def product_image_add(request: WorkspaceRequest, product_pk: int) -> HttpResponse:
    product = get_scoped_or_404(Product, request.workspace, pk=product_pk)
    form = ProductImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            product_services.product_image_add(product=product, upload=form.cleaned_data["image"])
        except ValidationError as exc:
            form.add_error("image", exc)
        else:
            messages.success(request, _("Image added."))
            return redirect("campaigns:product_detail", product_pk=product.pk)
    return _product_page(request, product, form, status=400)


@workspace_required
def product_image(request: WorkspaceRequest, image_pk: int) -> FileResponse:
    return _image_response(get_scoped_or_404(ProductImage, request.workspace, pk=image_pk))


@require_POST
@role_required(*MANAGERS)
def product_image_delete(request: WorkspaceRequest, image_pk: int) -> HttpResponse:
    image = get_scoped_or_404(ProductImage, request.workspace, pk=image_pk)
    product_services.product_image_delete(image=image)
    messages.success(request, _("Image deleted."))
    return redirect("campaigns:product_detail", product_pk=image.product_id)


def portal_product_image(request: HttpRequest, token: str, image_pk: int) -> FileResponse:
    """A reference image for a creator's link, only of products in campaigns the creator works on."""
    creator = creator_from_portal_token(token)
    if creator is None:
        raise Http404
    images = ProductImage.objects.filter(
        workspace_id=creator.workspace_id, product__campaigns__collaborations__creator=creator
    )
    try:
        image = images.filter(pk=image_pk).first()
    except OverflowError:  # an id beyond what the database stores names no image
        image = None
    if image is None:
        raise Http404
    return _image_response(image)


def _image_response(image: ProductImage) -> FileResponse:
    try:
        handle = image.image.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle)
    # Served only to signed-in members or a creator's link; shared caches must not keep a copy.
    response["Cache-Control"] = "private, max-age=3600"
    return response


# Brief


@role_required(*MANAGERS)
def brief_edit(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    brief = briefs.brief_of(campaign) or Brief(campaign=campaign, workspace=request.workspace)
    form = BriefForm(request.POST or None, instance=brief)
    if request.method == "POST" and form.is_valid():
        try:
            briefs.brief_save(campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Brief saved."))
            return redirect("campaigns:brief_preview", campaign_pk=campaign.pk)
    status = 400 if form.errors else 200
    return render(request, "campaigns/brief_form.html", {"form": form, "campaign": campaign}, status=status)


@workspace_required
def brief_preview(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    context = {
        "campaign": campaign,
        "brief": briefs.brief_of(campaign),
        "products": campaign.products.prefetch_related("images"),
        "can_manage": request.membership.role in MANAGERS,
    }
    return render(request, "campaigns/brief_preview.html", context)


@workspace_required
def brief_yaml(request: WorkspaceRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign, request.workspace, pk=campaign_pk)
    response = HttpResponse(briefs.brief_yaml(campaign), content_type="application/yaml; charset=utf-8")
    name = slugify(campaign.name) or "campaign"
    response["Content-Disposition"] = f'attachment; filename="brief-{name}.yaml"'
    return response
