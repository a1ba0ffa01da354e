"""Every state change of products, their reference images and the campaign settings that offer them."""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.models import Campaign, Product, ProductImage

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE_PX = 8000
# Pillow's format name → the suffix the stored file gets, whatever the uploaded name claimed.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PRODUCT_FIELDS = ("name", "sku", "shop_url", "description", "shop_product_id")


def reject_unstorable_text(**values: object) -> None:
    """Refuse text no database column can hold, with a message instead of a server error.

    PostgreSQL refuses NUL characters; neither database can encode a lone surrogate (a broken
    emoji half that JSON can carry as \\ud83d).
    """
    for field, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                {field: _("This text contains a broken character; type it again.")}
            ) from None
        if "\x00" in value:
            raise ValidationError({field: _("Remove the invisible control characters from this text.")})


def product_create(
    *,
    workspace: Workspace,
    name: str,
    sku: str = "",
    shop_url: str = "",
    description: str = "",
    shop_product_id: str = "",
    unit_cost_eur: Decimal | None = None,
) -> Product:
    product = Product(workspace=workspace)
    return _product_save(
        product,
        name=name,
        sku=sku,
        shop_url=shop_url,
        description=description,
        shop_product_id=shop_product_id,
        unit_cost_eur=unit_cost_eur,
    )


def product_update(
    *,
    product: Product,
    name: str,
    sku: str = "",
    shop_url: str = "",
    description: str = "",
    shop_product_id: str = "",
    unit_cost_eur: Decimal | None = None,
) -> Product:
    return _product_save(
        product,
        name=name,
        sku=sku,
        shop_url=shop_url,
        description=description,
        shop_product_id=shop_product_id,
        unit_cost_eur=unit_cost_eur,
    )


def _product_save(product: Product, *, unit_cost_eur: Decimal | None, **fields: str) -> Product:
    reject_unstorable_text(**fields)
    for field in PRODUCT_FIELDS:
        setattr(product, field, fields[field].strip())
    if unit_cost_eur is not None and unit_cost_eur < 0:
        raise ValidationError({"unit_cost_eur": _("A cost cannot be negative.")})
    product.unit_cost_eur = unit_cost_eur
    product.full_clean()
    product.save()
    return product


def reference_image_suffix(upload: File) -> str:
    """Check an upload is a decodable JPEG, PNG or WebP within the limits; return its true file suffix.

    The content decides, never the file name: a renamed text file or a truncated picture would
    otherwise only fail later, inside the pre-review's product-visibility step.
    """
    if (upload.size or 0) > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 10 MB. Upload a smaller file."))
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns about very large pixel counts; such a picture is refused here instead.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(IMAGE_FORMATS)) as picture:
                image_format = picture.format or ""
                if max(picture.size) > MAX_IMAGE_SIDE_PX:
                    raise ValidationError(_too_many_pixels())
                picture.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_too_many_pixels()) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(_("This file is not a readable JPEG, PNG or WebP image.")) from None
    finally:
        upload.seek(0)
    return IMAGE_FORMATS[image_format]


def _too_many_pixels() -> str:
    return _("The image is larger than %(max)s pixels on a side. Upload a smaller version.") % {
        "max": MAX_IMAGE_SIDE_PX
    }


def product_image_add(*, product: Product, upload: File) -> ProductImage:
    suffix = reference_image_suffix(upload)
    image = ProductImage(workspace_id=product.workspace_id, product=product)
    # The upload path is random (see product_image_path); only the checked suffix is kept.
    image.image.save(f"reference.{suffix}", upload, save=False)
    try:
        image.save()
    except Exception:
        image.image.delete(save=False)
        raise
    return image


def product_image_delete(*, image: ProductImage) -> None:
    storage, name = image.image.storage, image.image.name
    image.delete()
    if name:
        # The file goes only once the row is gone for good, so a rolled-back delete keeps its picture.
        transaction.on_commit(lambda: storage.delete(name))


def campaign_update(
    *,
    campaign: Campaign,
    name: str,
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    products: Iterable[Product] = (),
    budget_eur: Decimal | None = None,
    commission_rate: Decimal | None = None,
    target_categories: str = "",
    target_countries: str = "",
    target_languages: str = "",
) -> Campaign:
    """Replace a campaign's settings, including the products it offers, with the given ones."""
    targets = {
        "target_categories": target_categories.strip(),
        "target_countries": target_countries.strip(),
        "target_languages": target_languages.strip(),
    }
    reject_unstorable_text(name=name, description=description, **targets)
    products = list(products)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
    if any(p.workspace_id != campaign.workspace_id for p in products):
        raise ValidationError({"products": _("Choose products of this workspace.")})
    if budget_eur is not None and budget_eur < 0:
        raise ValidationError({"budget_eur": _("The budget cannot be negative.")})
    if commission_rate is not None and not 0 <= commission_rate <= 100:
        raise ValidationError({"commission_rate": _("The commission rate must be between 0 and 100 %.")})
    campaign.name = name.strip()
    campaign.description = description
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    campaign.budget_eur, campaign.commission_rate = budget_eur, commission_rate
    for field, value in targets.items():
        setattr(campaign, field, value)
    campaign.full_clean(exclude=["products"])
    with transaction.atomic():
        campaign.save()
        campaign.products.set(products)
    return campaign
