"""A campaign's brief: saving it, and turning it into the engine's Brief and the YAML the CLI reads."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from creatordesk.campaigns.models import Brief, Campaign, ProductImage
from creatordesk.campaigns.products import reject_unstorable_text
from creatordesk.djangolib.links import absolute_url
from creatordesk.djangolib.local_copy import local_copy
from creatordesk.engine import types as engine
from creatordesk.engine.brief import LANGUAGES, brief_to_yaml

# Fields kept one entry per line; the engine reads each line as one term.
LINE_FIELDS = ("must_mentions", "dos", "donts", "banned_terms", "competitors", "hook_ideas", "example_videos")
TEXT_FIELDS = ("goal", "video_format", "caption")
# TikTok accepts uploads of up to an hour; a longer bound is a typo, not a brief.
MAX_DURATION_S = 3600
_url = URLValidator(schemes=["http", "https"])


def brief_of(campaign: Campaign) -> Brief | None:
    try:
        return campaign.brief
    except Brief.DoesNotExist:
        return None


def split_lines(value: str | Iterable[str]) -> list[str]:
    """Entries of a one-per-line field, trimmed, without empty lines."""
    items = [value] if isinstance(value, str) else list(value)
    return [line.strip() for item in items for line in str(item).splitlines() if line.strip()]


def brief_save(
    *,
    campaign: Campaign,
    language: str = "de",
    goal: str = "",
    must_mentions: str | Iterable[str] = "",
    dos: str | Iterable[str] = "",
    donts: str | Iterable[str] = "",
    banned_terms: str | Iterable[str] = "",
    competitors: str | Iterable[str] = "",
    disclosure_required: bool = True,
    video_format: str = "",
    min_duration_s: int | None = None,
    max_duration_s: int | None = None,
    hook_ideas: str | Iterable[str] = "",
    example_videos: str | Iterable[str] = "",
    caption: str = "",
    draft_due_on: datetime.date | None = None,
    post_due_on: datetime.date | None = None,
) -> Brief:
    """Create or replace the campaign's brief; errors are keyed by field so a form can show them in place."""
    lines = {
        "must_mentions": split_lines(must_mentions),
        "dos": split_lines(dos),
        "donts": split_lines(donts),
        "banned_terms": split_lines(banned_terms),
        "competitors": split_lines(competitors),
        "hook_ideas": split_lines(hook_ideas),
        "example_videos": split_lines(example_videos),
    }
    texts = {"goal": goal.strip(), "video_format": video_format.strip(), "caption": caption.strip()}
    reject_unstorable_text(**texts, **{field: "\n".join(items) for field, items in lines.items()})
    _check(
        language=language,
        min_duration_s=min_duration_s,
        max_duration_s=max_duration_s,
        example_videos=lines["example_videos"],
        draft_due_on=draft_due_on,
        post_due_on=post_due_on,
    )
    with transaction.atomic():
        brief = Brief.objects.select_for_update().filter(campaign=campaign).first()
        brief = brief or Brief(workspace_id=campaign.workspace_id, campaign=campaign)
        for field, items in lines.items():
            setattr(brief, field, "\n".join(items))
        for field, text in texts.items():
            setattr(brief, field, text)
        brief.language = language
        brief.disclosure_required = disclosure_required
        brief.min_duration_s, brief.max_duration_s = min_duration_s, max_duration_s
        brief.draft_due_on, brief.post_due_on = draft_due_on, post_due_on
        brief.full_clean(exclude=["campaign"])
        brief.save()
    campaign.brief = brief
    return brief


def _check(
    *,
    language: str,
    min_duration_s: int | None,
    max_duration_s: int | None,
    example_videos: list[str],
    draft_due_on: datetime.date | None,
    post_due_on: datetime.date | None,
) -> None:
    errors: dict[str, str] = {}
    if language not in LANGUAGES:
        errors["language"] = _("Choose German or English.")
    for field, seconds in (("min_duration_s", min_duration_s), ("max_duration_s", max_duration_s)):
        if seconds is not None and not 1 <= seconds <= MAX_DURATION_S:
            errors[field] = _("Enter a length between 1 and %(max)s seconds.") % {"max": MAX_DURATION_S}
    if min_duration_s and max_duration_s and max_duration_s < min_duration_s:
        errors["max_duration_s"] = _("The maximum length cannot be shorter than the minimum length.")
    for link in example_videos:
        try:
            _url(link)
        except ValidationError:
            errors["example_videos"] = _("“%(link)s” is not a web address (https://…).") % {"link": link[:80]}
            break
    if draft_due_on and post_due_on and post_due_on < draft_due_on:
        errors["post_due_on"] = _("The post deadline cannot be before the draft deadline.")
    if errors:
        raise ValidationError(errors)


def campaign_images(campaign: Campaign) -> list[ProductImage]:
    return list(
        ProductImage.objects.filter(product__campaigns=campaign, workspace_id=campaign.workspace_id)
        .select_related("product")
        .order_by("product__name", "created_at", "pk")
    )


def engine_brief_for(campaign: Campaign) -> engine.Brief:
    """The engine's view of the campaign's brief, with reference images as local file paths.

    Images in a storage without local paths (object storage) are left out; `local_engine_brief`
    copies them to a scratch folder instead.
    """
    paths = []
    for image in campaign_images(campaign):
        try:
            path = Path(image.image.path)
        except NotImplementedError:
            continue
        # The engine refuses a brief naming a missing file; a lost picture should not stop the review.
        if path.is_file():
            paths.append(path)
    return _engine_brief(campaign, tuple(paths))


@contextmanager
def local_engine_brief(campaign: Campaign, scratch_dir: Path) -> Iterator[engine.Brief]:
    """Like engine_brief_for, but copies images held in object storage for as long as the block runs."""
    with ExitStack() as stack:
        paths = []
        for image in campaign_images(campaign):
            try:
                path = stack.enter_context(local_copy(image.image, scratch_dir))
            except OSError:  # lost from the store; the review goes on without this picture
                continue
            if path.is_file():
                paths.append(path)
        yield _engine_brief(campaign, tuple(paths))


def _engine_brief(campaign: Campaign, reference_images: tuple[Path, ...]) -> engine.Brief:
    names = ", ".join(campaign.products.order_by("name").values_list("name", flat=True))
    brief = brief_of(campaign)
    if brief is None:
        return engine.Brief(product_name=names, reference_images=reference_images)
    return engine.Brief(
        product_name=names,
        reference_images=reference_images,
        must_mentions=tuple(split_lines(brief.must_mentions)),
        banned_terms=tuple(split_lines(brief.banned_terms)),
        competitors=tuple(split_lines(brief.competitors)),
        brand_names=(campaign.workspace.name,),
        disclosure_required=brief.disclosure_required,
        min_duration_s=float(brief.min_duration_s) if brief.min_duration_s else None,
        max_duration_s=float(brief.max_duration_s) if brief.max_duration_s else None,
        caption=brief.caption,
        language=brief.language if brief.language in LANGUAGES else "de",
        extra={"campaign": campaign.name},
    )


@dataclass(frozen=True)
class ReferenceImageFile:
    """A reference image as the brief file names it: a file beside the YAML, and where to get it."""

    name: str
    url: str


def reference_image_files(campaign: Campaign) -> tuple[list[ReferenceImageFile], int]:
    """The campaign's reference images as files to save next to the brief, and how many are lost."""
    files, lost = [], 0
    for image in campaign_images(campaign):
        if not image.image.name or not image.image.storage.exists(image.image.name):
            lost += 1
            continue
        suffix = Path(image.image.name).suffix.lower() or ".jpg"
        # The product's name tells the reader what the picture shows; the id keeps names apart.
        name = f"{slugify(image.product.name) or 'product'}-{image.pk}{suffix}"
        url = absolute_url(reverse("campaigns:product_image", args=[image.pk]))
        files.append(ReferenceImageFile(name=name, url=url))
    return files, lost


def brief_yaml(campaign: Campaign) -> str:
    """The brief file `creatordesk review --brief` reads.

    Reference images are named as files next to the brief, never by where this server keeps them
    (a server path means nothing to the reader and tells an outsider how the server is laid out);
    the header says where to download each one.
    """
    files, lost = reference_image_files(campaign)
    header = "# " + _("CreatorDesk brief for the pre-review: creatordesk review VIDEO --brief FILE") + "\n"
    if files:
        header += "# " + _("Save the reference images next to this file, under these names:") + "\n"
        header += "".join(f"#   {file.name}  {file.url}\n" for file in files)
    if lost:
        note = ngettext(
            "%(count)s reference image is missing from the file store and is not listed.",
            "%(count)s reference images are missing from the file store and are not listed.",
            lost,
        )
        header += "# " + note % {"count": lost} + "\n"
    body = brief_to_yaml(_engine_brief(campaign, ()))
    if files:
        listed = yaml.safe_dump(
            {"reference_images": [file.name for file in files]}, allow_unicode=True, sort_keys=False
        )
        body = body.replace("reference_images: []\n", listed, 1)
    return header + body
