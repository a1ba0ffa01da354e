"""Every write of the AI-visuals area: uploads, checks, reviewers' decisions, references and the palette."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User, Workspace
from creatordesk.campaigns.models import Campaign
from creatordesk.creators.models import Creator
from creatordesk.djangolib.local_copy import local_copy
from creatordesk.engine.tools import exiftool
from creatordesk.engine.visuals.brief import USES, BrandColour, VisualBrief
from creatordesk.engine.visuals.context import VisualContext
from creatordesk.engine.visuals.load import load_image
from creatordesk.engine.visuals.types import VisualInputError
from creatordesk.lib.process_tags import scratch_prefix
from creatordesk.reviews import stages as stage_rules
from creatordesk.reviews.models import Outcome
from creatordesk.reviews.services.stages import (
    DEFAULT_STAGE,
    StageRow,
    campaign_stage_owners,
    campaign_stages,
    member_role,
    review_settings,
)
from creatordesk.visuals.models import (
    AssetDecision,
    AssetStatus,
    BrandPalette,
    BrandReference,
    CheckStatus,
    FindingDecision,
    ReferenceKind,
    VisualAsset,
    VisualCheck,
)

SUFFIXES = {
    "JPEG": "jpg",
    "MPO": "jpg",
    "PNG": "png",
    "WEBP": "webp",
    "TIFF": "tif",
    "HEIF": "heic",
    "AVIF": "avif",
}


def visual_context() -> VisualContext:
    return VisualContext(max_bytes=settings.VISUALS_MAX_BYTES, max_pixels=settings.VISUALS_MAX_PIXELS)


def _scratch() -> Path:
    folder = Path(settings.VAR_DIR) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def _upload_on_disk(upload: File) -> Iterator[Path]:
    """The upload as a local file (Django keeps large uploads on disk already)."""
    temporary = getattr(upload, "temporary_file_path", None)
    if temporary is not None:
        yield Path(temporary())
        return
    with tempfile.NamedTemporaryFile(prefix=scratch_prefix("upload"), dir=_scratch()) as copy:
        upload.seek(0)
        shutil.copyfileobj(upload, copy, length=1024 * 1024)
        copy.flush()
        upload.seek(0)
        yield Path(copy.name)


def image_upload_check(upload: File) -> tuple[str, str]:
    """Refuse anything but a whole, decodable image within the limits, before storing it; (suffix, sha256).

    The same safe loader as `creatordesk visual-check` decides: size, type, truncation and
    decompression bombs are caught here, not in the background check.
    """
    if (upload.size or 0) == 0:
        raise ValidationError(_("The file is empty."))
    if (upload.size or 0) > settings.VISUALS_MAX_BYTES:
        raise ValidationError(
            _("The image is larger than %(mb)s MB.") % {"mb": settings.VISUALS_MAX_BYTES // 1024**2}
        )
    with _upload_on_disk(upload) as path:
        try:
            loaded = load_image(path, visual_context())
        except VisualInputError as exc:
            detail = str(exc).split(": ", 1)[-1]
            raise ValidationError(
                _("This image cannot be checked: %(detail)s") % {"detail": detail}
            ) from None
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return SUFFIXES.get(loaded.format, "jpg"), digest.hexdigest()


def _store(field: Any, upload: File, suffix: str) -> None:
    upload.seek(0)
    field.save(f"image.{suffix}", upload, save=False)


def asset_create(
    *,
    workspace: Workspace,
    actor: User | None,
    upload: File,
    title: str,
    campaign: Campaign | None = None,
    creator: Creator | None = None,
    previous: VisualAsset | None = None,
    **fields: Any,
) -> VisualAsset:
    """Store a checked upload as an asset and queue its check; nothing is stored for a refused file."""
    for related in (campaign, creator, previous, fields.get("prompt")):
        if related is not None and related.workspace_id != workspace.pk:
            raise ValidationError(_("That belongs to another workspace."))
    unknown = [use for use in fields.get("uses", []) if use not in USES]
    if unknown:
        raise ValidationError(_("Unknown use: %(use)s") % {"use": unknown[0]})
    suffix, digest = image_upload_check(upload)
    asset = VisualAsset(
        workspace=workspace,
        uploaded_by=actor,
        title=title[:200] or (upload.name or "")[:200],
        campaign=campaign,
        creator=creator,
        previous=previous,
        original_name=(upload.name or "")[:200],
        sha256=digest,
        **fields,
    )
    _store(asset.file, upload, suffix)
    try:
        with transaction.atomic():
            asset.save()
            asset_check_start(asset=asset)
    except Exception:
        asset.file.delete(save=False)
        raise
    return asset


def asset_check_start(*, asset: VisualAsset) -> VisualCheck:
    """Queue a check of the asset (after the transaction commits)."""
    from creatordesk.visuals.tasks import visuals_check_asset

    check = VisualCheck.objects.create(workspace_id=asset.workspace_id, asset=asset, stage="queued")
    VisualAsset.objects.filter(pk=asset.pk).update(status=AssetStatus.CHECKING)
    transaction.on_commit(partial(visuals_check_asset.enqueue, check_id=check.pk))
    return check


# --- Running a check ---------------------------------------------------------------------------------


def _palette(workspace_id: int) -> BrandPalette | None:
    return BrandPalette.objects.filter(workspace_id=workspace_id).first()


def _references(asset: VisualAsset) -> dict[str, list[BrandReference]]:
    found: dict[str, list[BrandReference]] = {kind: [] for kind in ReferenceKind.values}
    # The workspace's references, and those of the asset's own campaign.
    scope = (
        Q(campaign__isnull=True) | Q(campaign_id=asset.campaign_id)
        if asset.campaign_id
        else Q(campaign__isnull=True)
    )
    for reference in BrandReference.objects.filter(scope, workspace_id=asset.workspace_id):
        found[reference.kind].append(reference)
    return found


@contextmanager
def local_brief(asset: VisualAsset) -> Iterator[VisualBrief]:
    """The asset's brief for the checker, with every reference image as a local file while it runs."""
    palette = _palette(asset.workspace_id)
    with ExitStack() as stack:
        scratch = _scratch()

        def local(field: Any) -> Path:
            return stack.enter_context(local_copy(field, scratch))

        references = _references(asset)
        packshots = references[ReferenceKind.PACKSHOT]
        yield VisualBrief(
            is_ad=asset.is_ad,
            realistic_person=asset.realistic_person,
            realistic_product=asset.realistic_product,
            health_product=asset.health_product,
            declared=asset.declared,
            uses=tuple(asset.uses),
            expected_text=tuple(line.strip() for line in asset.expected_text.splitlines() if line.strip()),
            brand_colours=tuple(
                BrandColour(c["name"], c["hex"]) for c in (palette.colours if palette else [])
            ),
            palette_tolerance=palette.tolerance if palette else 12.0,
            min_brand_share=palette.min_share if palette else 0.15,
            packshot=local(packshots[0].image) if packshots else None,
            packshot_required=asset.packshot_required,
            rejected_images=tuple(local(r.image) for r in references[ReferenceKind.REJECTED]),
            competitor_images=tuple(local(r.image) for r in references[ReferenceKind.COMPETITOR]),
            stock_images=tuple(local(r.image) for r in references[ReferenceKind.STOCK]),
            previous_version=local(asset.previous.file) if asset.previous else None,
        )


def check_run(*, check: VisualCheck) -> VisualCheck:
    """Run the checker over the asset; the report, or the reason it could not run, lands on the check."""
    from creatordesk.engine.visuals.check import check_image

    asset = check.asset

    def progress(stage: str, fraction: float) -> None:
        VisualCheck.objects.filter(pk=check.pk).update(stage=stage[:40], progress=round(fraction, 3))

    VisualCheck.objects.filter(pk=check.pk).update(status=CheckStatus.RUNNING)
    try:
        with local_brief(asset) as brief, local_copy(asset.file, _scratch()) as path:
            report = check_image(path, ctx=visual_context(), brief=brief, progress=progress).as_dict()
    except VisualInputError as exc:
        fields: dict[str, Any] = {"status": CheckStatus.FAILED, "error": str(exc).split(": ", 1)[-1]}
    else:
        file_facts = cast(dict[str, Any], report["file"])
        file_facts["name"] = asset.original_name or asset.title
        fields = {"status": CheckStatus.DONE, "report": report, "progress": 1.0, "stage": ""}
    VisualCheck.objects.filter(pk=check.pk).update(finished_at=timezone.now(), **fields)
    VisualAsset.objects.filter(pk=asset.pk, status=AssetStatus.CHECKING).update(status=AssetStatus.IN_REVIEW)
    check.refresh_from_db()
    return check


# --- Reviewers ---------------------------------------------------------------------------------------


def finding_decide(
    *, check: VisualCheck, index: int, confirmed: bool, actor: User | None, note: str = ""
) -> FindingDecision:
    """Confirm or dismiss one finding of a finished check."""
    findings = (check.report or {}).get("findings", [])
    if not 0 <= index < len(findings):
        raise ValidationError(_("No such finding."))
    decision, _created = FindingDecision.objects.update_or_create(
        workspace_id=check.workspace_id,
        check_run=check,
        index=index,
        defaults={
            "rule": findings[index]["rule"],
            "confirmed": confirmed,
            "note": note[:500],
            "decided_by": actor,
        },
    )
    return decision


def _stages(asset: VisualAsset) -> list[tuple[str, int]]:
    return campaign_stages(asset.campaign_id) if asset.campaign_id else [DEFAULT_STAGE]


def asset_stage_rows(*, asset: VisualAsset, user: User) -> list[StageRow]:
    """Every review stage of the image's campaign, who decides it, and whether `user` may decide it now."""
    owners = campaign_stage_owners(asset.campaign_id) if asset.campaign_id else {}
    role = member_role(asset.workspace_id, user)
    many = review_settings(asset.workspace_id).one_person_many_stages
    mine = set(asset.decisions.filter(reviewer=user).values_list("stage_name", flat=True))
    states = stage_rules.stage_states(
        _stages(asset), list(asset.decisions.values_list("stage_name", "outcome"))
    )
    rows = []
    for state in states:
        owners_here = owners.get(state.name, stage_rules.StageOwners())
        why = stage_rules.refusal(
            stage=state.name, owners=owners_here, user_id=user.pk, role=role,
            decided_other_stage=bool(mine - {state.name}), many_allowed=many,
        )  # fmt: skip
        checking = asset.status == AssetStatus.CHECKING
        may = state.open and why is None and state.name not in mine and not checking
        rows.append(StageRow(state, owners_here.describe(), may, why))
    return rows


_STATUS_OF_OUTCOME = {
    Outcome.APPROVED: AssetStatus.APPROVED,
    Outcome.APPROVED_WITH_CHANGES: AssetStatus.APPROVED,
    Outcome.CHANGES_REQUIRED: AssetStatus.CHANGES_REQUESTED,
    Outcome.REJECTED: AssetStatus.REJECTED,
}


@transaction.atomic
def asset_decide(
    *, asset: VisualAsset, stage_name: str, outcome: str, actor: User, note: str = ""
) -> VisualAsset:
    """Record one stage's decision on an image; once every stage has spoken, the image's status follows.

    The campaign's review stages and their owners apply as for videos; a rejected image joins the
    references every later check compares with.
    """
    asset = VisualAsset.objects.select_for_update().get(pk=asset.pk)
    if outcome not in Outcome.values:
        raise ValidationError(_("Unknown review outcome."))
    row = next((r for r in asset_stage_rows(asset=asset, user=actor) if r.state.name == stage_name), None)
    if row is None:
        raise ValidationError(_("No such review stage."))
    if not row.may_decide:
        raise ValidationError(row.refusal or _("This stage cannot be decided now."))
    AssetDecision.objects.create(
        workspace_id=asset.workspace_id, asset=asset, stage_name=stage_name, reviewer=actor, outcome=outcome,
        note=note[:2000],
    )  # fmt: skip
    states = stage_rules.stage_states(
        _stages(asset), list(asset.decisions.values_list("stage_name", "outcome"))
    )
    final = stage_rules.version_outcome(states)
    if final is not None:
        asset.status = _STATUS_OF_OUTCOME[Outcome(final)]
        asset.save(update_fields=["status"])
        if asset.status == AssetStatus.REJECTED:
            reference_add(
                workspace=asset.workspace, kind=ReferenceKind.REJECTED, upload=asset.file, name=asset.title,
                campaign=asset.campaign,
            )  # fmt: skip
    return asset


def reference_add(
    *, workspace: Workspace, kind: str, upload: File, name: str = "", campaign: Campaign | None = None
) -> BrandReference:
    """Add an image later checks compare with (a rejected, competitor or stock image, or the packshot)."""
    if kind not in ReferenceKind.values:
        raise ValidationError(_("Unknown kind of reference."))
    if campaign is not None and campaign.workspace_id != workspace.pk:
        raise ValidationError(_("That belongs to another workspace."))
    upload.open("rb")
    try:
        suffix, _digest = image_upload_check(upload)
        reference = BrandReference(workspace=workspace, kind=kind, name=name[:200], campaign=campaign)
        _store(reference.image, upload, suffix)
    finally:
        upload.close()
    reference.save()
    return reference


def palette_save(
    *, workspace: Workspace, colours: list[dict[str, str]], tolerance: float, min_share: float
) -> BrandPalette:
    palette, _created = BrandPalette.objects.update_or_create(
        workspace=workspace, defaults={"colours": colours, "tolerance": tolerance, "min_share": min_share}
    )
    return palette


# --- Download ----------------------------------------------------------------------------------------

# What the asset's makers declared, as the IPTC source type a download carries. An image "edited with
# AI" is a composite that includes generated parts (IPTC: compositeWithTrainedAlgorithmicMedia).
DECLARED_SOURCE_TYPES = {
    "generated": "trainedAlgorithmicMedia",
    "edited": "compositeWithTrainedAlgorithmicMedia",
}


@dataclass(frozen=True)
class Download:
    """The file to send: its bytes, name, and what was (or why nothing was) written into it."""

    content: bytes
    filename: str
    source_type: str  # written or already present; "" when none applies
    written: bool
    reason: str


def _source_type(asset: VisualAsset, report: dict[str, Any]) -> str:
    if asset.declared in DECLARED_SOURCE_TYPES:
        return DECLARED_SOURCE_TYPES[asset.declared]
    provenance = report.get("provenance") or {}
    signal = provenance.get("ai_signal", "")
    return {"generated": "trainedAlgorithmicMedia", "composite": "compositeWithTrainedAlgorithmicMedia"}.get(
        signal, ""
    )


def asset_download(*, asset: VisualAsset) -> Download:
    """The asset with its IPTC DigitalSourceType written, or untouched when that would harm it.

    Content Credentials are never stripped: a file with a C2PA manifest goes out byte for byte, since
    rewriting it would break the manifest's hash binding (and the manifest states the source already).
    """
    check = asset.checks.filter(status=CheckStatus.DONE).first()
    report = (check.report if check else None) or {}
    source_type = _source_type(asset, report)
    provenance = report.get("provenance") or {}
    name = Path(asset.original_name or asset.file.name or "image").name
    with asset.file.open("rb") as handle:
        original = handle.read()
    if not source_type:
        return Download(original, name, "", False, "no_ai_use_known")
    if (provenance.get("c2pa") or {}).get("present"):
        return Download(original, name, source_type, False, "content_credentials_kept")
    if provenance.get("iptc_digital_source_type") == source_type:
        return Download(original, name, source_type, False, "already_present")
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("download"), dir=_scratch()) as folder:
        copy = Path(folder) / f"asset{Path(asset.file.name or '.jpg').suffix}"
        copy.write_bytes(original)
        exiftool.write_digital_source_type(copy, source_type)
        return Download(copy.read_bytes(), name, source_type, True, "written")
