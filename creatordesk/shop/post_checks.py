"""Posted as approved: whether a posted video is the approved cut, still discloses the ad and links the
campaign's product.

The picture and sound are compared with the engine's matcher (`creatordesk.engine.matching`), the
caption with the same disclosure rules the pre-review applies, the product link by the product IDs
and shop links the campaign names. TikTok's APIs do not hand out the posted file, so the team adds
it on the check page; until then the caption and link are checked alone.
"""

from __future__ import annotations

import datetime
import logging
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.briefs import brief_of
from creatordesk.campaigns.models import Campaign, Product
from creatordesk.djangolib.local_copy import local_copy
from creatordesk.engine.types import InputError
from creatordesk.performance.models import Post
from creatordesk.reviews.models import Outcome, Version
from creatordesk.reviews.services.submissions import engine_context
from creatordesk.reviews.uploads import store_file
from creatordesk.shop.models import AffiliateOrder, PostCheck

if TYPE_CHECKING:
    from creatordesk.engine.matching import MatchResult

log = logging.getLogger(__name__)

APPROVALS = (Outcome.APPROVED, Outcome.APPROVED_WITH_CHANGES)
# What a finding means for the post: "block" needs someone to act, "warn" a look, "info" is context.
SEVERITIES = ("block", "warn", "info")
CODE_LABELS = {
    "different_cut": gettext_lazy("Different cut"),
    "different_video": gettext_lazy("Different video"),
    "audio_replaced": gettext_lazy("Sound replaced"),
    "disclosure_missing": gettext_lazy("Ad disclosure missing"),
    "disclosure_weak": gettext_lazy("Ad disclosure unclear"),
    "caption_unknown": gettext_lazy("Caption not known"),
    "product_link_mismatch": gettext_lazy("Another product linked"),
    "product_link_unverified": gettext_lazy("Product link not verified"),
    "posted_video_missing": gettext_lazy("Posted video not added"),
    "no_approved_version": gettext_lazy("No approved version"),
}
# TikTok Shop links name the product by its numeric ID: shop.tiktok.com/view/product/1729…,
# …/pdp/<slug>/1729…; IDs are 15 to 21 digits long.
_PRODUCT_URL_ID = re.compile(r"/(?:product|pdp)/(?:[^/\s?#]+/)?(\d{15,21})\b")


# ---------------------------------------------------------------------------------------------------
# Services


def post_check_create(*, post: Post) -> PostCheck:
    """A queued check of `post`; the check runs once the current transaction commits."""
    check = PostCheck.objects.create(workspace_id=post.workspace_id, post=post)
    _enqueue(check.pk)
    return check


def post_check_requeue(*, check: PostCheck) -> PostCheck:
    """Run the check again (after a new upload, a new approval or a corrected caption)."""
    PostCheck.objects.filter(pk=check.pk).update(status=PostCheck.Status.QUEUED, error="")
    check.refresh_from_db()
    _enqueue(check.pk)
    return check


def post_check_attach_video(*, check: PostCheck, source: Path, original_name: str) -> PostCheck:
    """Store the posted video of a check (from an upload or a later fetch by link) and run it again.

    The file passes the review uploads' checks first (type, size, duration, readable to the end);
    a refused file raises ValidationError and leaves the check as it was.
    """
    from creatordesk.engine.steps.probe import probe_file

    try:
        probe_file(source, engine_context())
    except InputError as exc:
        shown = Path(original_name).name or "video"
        raise ValidationError(str(exc).replace(str(source), shown).replace(source.name, shown)) from None
    field = check.posted_file
    old_name = field.name or ""
    field.name = store_file(field.storage, field.field.generate_filename(check, original_name), source)
    try:
        PostCheck.objects.filter(pk=check.pk).update(posted_file=field.name)
    except BaseException:
        field.storage.delete(field.name)
        raise
    if old_name:
        transaction.on_commit(lambda: field.storage.delete(old_name))
    return post_check_requeue(check=check)


def post_checks_create_missing() -> list[int]:
    """Create and queue a check for every post of a collaboration with an approved version that has none.

    Returns the new checks' ids. The caption and the product link are checked straight away; the
    video is compared once someone adds the posted file.
    """
    posts = (
        Post.objects.filter(checks__isnull=True, collaboration__submissions__versions__outcome__in=APPROVALS)
        .distinct()
        .only("pk", "workspace_id")
    )
    return [post_check_create(post=post).pk for post in posts]


def post_check_run(*, check: PostCheck) -> PostCheck:
    """Compare the posted video, caption and product link with what was approved; store the result.

    Every failure (an unreadable file, a lost approved file, a tool that stops) ends the check as
    FAILED with its message rather than as an error of the task.
    """
    PostCheck.objects.filter(pk=check.pk).update(status=PostCheck.Status.RUNNING, error="")
    check.refresh_from_db()
    post = Post.objects.select_related("collaboration__campaign").get(pk=check.post_id)
    try:
        outcome = _evaluate(check, post)
    except (InputError, OSError, ValueError) as exc:
        return _failed(check, str(exc))
    except Exception as exc:  # a check must end with a state a person can see, never stay "running"
        log.exception("post check %s failed", check.pk)
        return _failed(check, f"{type(exc).__name__}: {exc}")
    check.approved_version = outcome.approved
    check.verdict = outcome.verdict
    check.video_similarity = outcome.video_similarity
    check.audio_similarity = outcome.audio_similarity
    check.findings = outcome.findings
    check.status = PostCheck.Status.DONE
    check.error = ""
    check.finished_at = timezone.now()
    check.save()
    return check


def _enqueue(check_id: int) -> None:
    from creatordesk.shop.check_tasks import post_check_task

    transaction.on_commit(lambda: post_check_task.enqueue(check_id=check_id))


def _failed(check: PostCheck, message: str) -> PostCheck:
    check.status = PostCheck.Status.FAILED
    check.error = message[:2000] or _("The check stopped without a message.")
    check.finished_at = timezone.now()
    check.save(update_fields=["status", "error", "finished_at"])
    return check


# ---------------------------------------------------------------------------------------------------
# The check itself


@dataclass
class _Outcome:
    approved: Version | None
    verdict: str = PostCheck.Verdict.NOT_CHECKED
    video_similarity: float | None = None
    audio_similarity: float | None = None
    findings: list[dict[str, Any]] | None = None


def _finding(
    code: str, severity: str, detail: str, start_s: float | None = None, end_s: float | None = None
) -> dict[str, Any]:
    rounded = [None if value is None else round(value, 2) for value in (start_s, end_s)]
    return {"code": code, "severity": severity, "start_s": rounded[0], "end_s": rounded[1], "detail": detail}


def approved_version_of(post: Post) -> Version | None:
    """The collaboration's most recently approved version."""
    return (
        Version.objects.filter(submission__collaboration_id=post.collaboration_id, outcome__in=APPROVALS)
        .order_by("-decided_at", "-pk")
        .first()
    )


def _evaluate(check: PostCheck, post: Post) -> _Outcome:
    outcome = _Outcome(approved=approved_version_of(post), findings=[])
    findings: list[dict[str, Any]] = []
    if outcome.approved is None:
        findings.append(
            _finding("no_approved_version", "info", _("No version of this collaboration is approved yet."))
        )
    elif not check.posted_file:
        findings.append(
            _finding(
                "posted_video_missing",
                "info",
                _("The posted video has not been added, so its picture and sound were not compared."),
            )
        )
    else:
        findings += _compare_video(outcome, outcome.approved, check)
    campaign = post.collaboration.campaign
    findings += disclosure_findings(post.caption, campaign)
    findings += product_link_findings(post, campaign)
    outcome.findings = sorted(findings, key=lambda f: SEVERITIES.index(f["severity"]))
    return outcome


def _compare_video(outcome: _Outcome, approved: Version, check: PostCheck) -> list[dict[str, Any]]:
    from creatordesk.engine.matching import compare, fingerprint_video

    scratch_root = Path(settings.VAR_DIR) / "tmp"
    scratch_root.mkdir(parents=True, exist_ok=True)
    timeout = engine_context().tool_timeout_s
    with tempfile.TemporaryDirectory(dir=scratch_root, prefix="postcheck-") as folder:
        scratch = Path(folder)
        try:
            with local_copy(approved.file, scratch) as path:
                approved_print = fingerprint_video(path, timeout_s=timeout)
        except (InputError, OSError) as exc:
            raise InputError(
                _("The approved version's file cannot be read: %(reason)s") % {"reason": exc}
            ) from exc
        try:
            with local_copy(check.posted_file, scratch) as path:
                posted_print = fingerprint_video(path, timeout_s=timeout)
        except (InputError, OSError) as exc:
            raise InputError(_("The posted video cannot be read: %(reason)s") % {"reason": exc}) from exc
    result = compare(approved_print, posted_print)
    outcome.verdict = result.verdict
    outcome.video_similarity = round(result.video_similarity, 3)
    outcome.audio_similarity = None if result.audio_similarity is None else round(result.audio_similarity, 3)
    return match_findings(result, approved_duration_s=approved_print.duration_s)


def match_findings(result: MatchResult, *, approved_duration_s: float) -> list[dict[str, Any]]:
    """Findings of a MatchResult: ranges of the approved video (missing, changed), of the posted one (extra)."""
    if result.verdict == "different_video":
        return [_finding("different_video", "block", result.reason, 0.0, approved_duration_s)]
    findings = []
    for start, end in result.missing:
        detail = _("Missing from the posted video: %(start).1f–%(end).1f s of the approved version.")
        findings.append(_finding("different_cut", "block", detail % {"start": start, "end": end}, start, end))
    for start, end in result.changed:
        detail = _("Changed or moved in the posted video: %(start).1f–%(end).1f s of the approved version.")
        findings.append(_finding("different_cut", "block", detail % {"start": start, "end": end}, start, end))
    for start, end in result.extra:
        detail = _("Not in the approved version: %(start).1f–%(end).1f s of the posted video.")
        findings.append(_finding("different_cut", "block", detail % {"start": start, "end": end}, start, end))
    if result.audio_replaced:
        detail = _(
            "The picture is the approved one, but the approved sound is hardly heard under it "
            "(music or a voice-over instead)."
        )
        findings.append(_finding("audio_replaced", "info", detail))
    return findings


def disclosure_findings(caption: str, campaign: Campaign) -> list[dict[str, Any]]:
    """Whether the caption still opens with an ad label, by the pre-review's disclosure rules.

    Only when the campaign's brief asks for a disclosure (no brief: asked, as in the pre-review).
    """
    brief = brief_of(campaign)
    if brief is not None and not brief.disclosure_required:
        return []
    text = caption.strip()
    if not text:
        detail = _("The post's caption is not known here, so its ad disclosure was not checked.")
        return [_finding("caption_unknown", "info", detail)]
    return [
        _finding(
            finding.category,
            "block" if finding.category == "disclosure_missing" else "warn",
            f"{finding.explanation} ({finding.citation})"
            + (f" “{finding.evidence}”" if finding.evidence else ""),
        )
        for finding in _caption_disclosure(text, brief.language if brief is not None else "de")
    ]


def _caption_disclosure(text: str, default_lang: str) -> list[Any]:
    from creatordesk.engine.rules import DEFAULT_PACKS, load_packs
    from creatordesk.engine.rules.disclosure import check_disclosure
    from creatordesk.engine.rules.matcher import PassageIndex
    from creatordesk.engine.rules.text import passages
    from creatordesk.engine.steps.onscreen_spans import guess_language
    from creatordesk.engine.types import TextSpan

    lang = guess_language(text, default_lang)
    indexes = [PassageIndex(p) for p in passages([TextSpan(0.0, 0.0, text, "caption", lang)]) if p.tokens]
    found = []
    for pack in load_packs(DEFAULT_PACKS):
        if pack.disclosure is not None:
            found += [
                f
                for f in check_disclosure(indexes, pack.disclosure, duration_s=0.0, lang=lang)
                if f.category in ("disclosure_missing", "disclosure_weak")
            ]
    return found


@dataclass(frozen=True)
class _ProductRefs:
    """Products a post points to: by the caption's text, and by the orders its video brought in."""

    campaign_found: tuple[str, ...]
    foreign: tuple[str, ...]


def product_link_findings(post: Post, campaign: Campaign) -> list[dict[str, Any]]:
    """Whether the caption and the orders of this video point to the campaign's products."""
    products = list(campaign.products.all())
    ids = {p.shop_product_id.strip() for p in products if p.shop_product_id.strip()}
    urls = {_plain_url(p.shop_url) for p in products if p.shop_url}
    if not ids and not urls:
        detail = _(
            "The campaign's products have no TikTok Shop product ID or shop link, so nothing to compare."
        )
        return [_finding("product_link_unverified", "info", detail)]
    refs = _product_refs(post, campaign, ids, urls)
    checked = _("Checked: the caption and the affiliate orders of this video.")
    if refs.foreign:
        names = ", ".join(refs.foreign)
        if refs.campaign_found:
            detail = _("Besides the campaign's product, the post points to another product: %(names)s.")
            return [_finding("product_link_mismatch", "warn", f"{detail % {'names': names}} {checked}")]
        detail = _("The post points to a product that is not the campaign's: %(names)s.")
        return [_finding("product_link_mismatch", "block", f"{detail % {'names': names}} {checked}")]
    if not refs.campaign_found:
        detail = _(
            "Neither the caption nor orders of this video name one of the campaign's products; "
            "the product link shown in the app could not be read."
        )
        return [_finding("product_link_unverified", "info", f"{detail} {checked}")]
    return []


def _product_refs(post: Post, campaign: Campaign, ids: set[str], urls: set[str]) -> _ProductRefs:
    caption = post.caption
    plain = _plain_url(caption)
    found = [i for i in ids if re.search(rf"(?<!\d){re.escape(i)}(?!\d)", caption)]
    found += [u for u in urls if u and u in plain]
    foreign: list[str] = []
    others = Product.objects.filter(workspace_id=post.workspace_id).exclude(campaigns=campaign)
    for product in others.only("name", "shop_product_id", "shop_url"):
        pid = product.shop_product_id.strip()
        by_id = bool(pid) and re.search(rf"(?<!\d){re.escape(pid)}(?!\d)", caption) is not None
        by_url = bool(product.shop_url) and _plain_url(product.shop_url) in plain
        if by_id or by_url:
            foreign.append(product.name)
    known = ids | {p.shop_product_id for p in others if p.shop_product_id}
    foreign += [i for i in _PRODUCT_URL_ID.findall(caption) if i not in known]
    foreign += _foreign_order_products(post, ids)
    return _ProductRefs(tuple(sorted(set(found))), tuple(dict.fromkeys(foreign)))


def _foreign_order_products(post: Post, ids: set[str]) -> list[str]:
    """Product IDs of affiliate orders credited to this video that are not the campaign's."""
    if not post.external_id:
        return []
    ordered = (
        AffiliateOrder.objects.filter(workspace_id=post.workspace_id)
        .filter(content_id=post.external_id)
        .exclude(shop_product_id="")
        .values_list("shop_product_id", flat=True)
        .distinct()
    )
    return [pid for pid in ordered if pid not in ids]


def _plain_url(text: str) -> str:
    """A link without scheme, "www." and query, lower case, so the same link written differently matches."""
    text = re.sub(r"https?://(www\.)?", "", text.strip().lower())
    return re.sub(r"[?#]\S*", "", text).rstrip("/")


# ---------------------------------------------------------------------------------------------------
# Selectors


@dataclass(frozen=True)
class CheckRow:
    """One check in the list."""

    check: PostCheck
    post_label: str
    creator: str
    campaign: str
    problems: int
    blocking: int


@dataclass(frozen=True)
class FindingRow:
    """One finding as the check page shows it."""

    code: str
    label: str
    severity: str
    start_s: float | None
    end_s: float | None
    detail: str


@dataclass(frozen=True)
class CheckPage:
    """A check with its post, collaboration and findings."""

    check: PostCheck
    post: Post
    findings: list[FindingRow]
    approved: Version | None
    can_compare: bool


@dataclass(frozen=True)
class CheckProblem:
    """An open problem of a posted video, for the dashboard."""

    creator: str
    campaign: str
    what: str
    url: str
    severity: str
    # When the check found it, for the dashboard's "since" column.
    found_at: datetime.datetime


def _problems(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f.get("severity") in ("block", "warn")]


def post_check_list(*, workspace: Workspace) -> list[CheckRow]:
    """The newest check of every post, problems first."""
    checks = (
        PostCheck.objects.for_workspace(workspace)
        .select_related("post__collaboration__creator", "post__collaboration__campaign")
        .order_by("-created_at", "-pk")
    )
    rows = []
    seen: set[int] = set()
    for check in checks:
        if check.post_id in seen:
            continue
        seen.add(check.post_id)
        problems = _problems(check.findings or [])
        collaboration = check.post.collaboration
        rows.append(
            CheckRow(
                check=check,
                post_label=str(check.post),
                creator=collaboration.creator.display_name,
                campaign=collaboration.campaign.name,
                problems=len(problems),
                blocking=sum(1 for f in problems if f["severity"] == "block"),
            )
        )
    rows.sort(key=lambda row: (-row.blocking, -row.problems))
    return rows


def post_check_page(*, check: PostCheck) -> CheckPage:
    post = Post.objects.select_related("collaboration__creator", "collaboration__campaign").get(
        pk=check.post_id
    )
    findings = [
        FindingRow(
            code=str(f.get("code", "")),
            label=str(CODE_LABELS.get(str(f.get("code")), f.get("code", ""))),
            severity=str(f.get("severity", "info")),
            start_s=f.get("start_s"),
            end_s=f.get("end_s"),
            detail=str(f.get("detail", "")),
        )
        for f in check.findings or []
    ]
    approved = check.approved_version or approved_version_of(post)
    return CheckPage(check=check, post=post, findings=findings, approved=approved, can_compare=bool(approved))


def post_check_problems(*, workspace: Workspace) -> list[CheckProblem]:
    """Finished checks of the workspace's posts whose newest result has a blocking or warning finding."""
    newest: dict[int, PostCheck] = {}
    checks = (
        PostCheck.objects.for_workspace(workspace)
        .filter(status__in=(PostCheck.Status.DONE, PostCheck.Status.FAILED))
        .select_related("post__collaboration__creator", "post__collaboration__campaign")
        .order_by("-created_at", "-pk")
    )
    for check in checks:
        newest.setdefault(check.post_id, check)
    items = []
    for check in newest.values():
        collaboration = check.post.collaboration
        url = reverse("shop:checks_detail", args=[check.pk])
        if check.status == PostCheck.Status.FAILED:
            what = [_("The check failed: %(error)s") % {"error": check.error}]
            severity = "warn"
        else:
            problems = _problems(check.findings or [])
            what = [str(CODE_LABELS.get(f["code"], f["code"])) for f in problems]
            severity = "block" if any(f["severity"] == "block" for f in problems) else "warn"
        if what:
            items.append(
                CheckProblem(
                    creator=collaboration.creator.display_name,
                    campaign=collaboration.campaign.name,
                    what=", ".join(dict.fromkeys(what)),
                    url=url,
                    severity=severity,
                    found_at=check.finished_at or check.created_at,
                )
            )
    return items
