"""GDPR: everything stored about a creator, as one export, and its complete erasure.

Every app that keeps data about creators has a `privacy.py` with two functions,
`export_creator(creator) -> dict` and `erase_creator(creator, *, actor, identity) -> dict[str, int]`.
This module calls all of them; docs/privacy.md says what each one removes and what stays anonymised.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.core.files.storage import Storage
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from creatordesk.accounts.models import User
from creatordesk.creators.activity import activity_record
from creatordesk.creators.models import (
    ActivityEvent,
    Broadcast,
    BroadcastRecipient,
    Creator,
    ImportJob,
    Segment,
    new_portal_key,
)
from creatordesk.djangolib import staged_files
from creatordesk.lib.redaction import Identity

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


@dataclass
class ErasureReport:
    """What an erasure changed, per app: row counts and the files it deleted."""

    creator: Creator
    changed: dict[str, dict[str, int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def creator_identity(creator: Creator) -> Identity:
    """The name, email and every handle of the creator, captured before anything is erased."""
    handles = [creator.tiktok_handle, *creator.accounts.values_list("handle", flat=True)]
    return Identity.of(
        creator.display_name,
        creator.email,
        *handles,
        placeholder=_("Erased creator #%(id)s") % {"id": creator.pk},
    )


def redact_rows(
    queryset: QuerySet[Any],
    *,
    identity: Identity,
    text_fields: Iterable[str] = (),
    json_fields: Iterable[str] = (),
) -> int:
    """Redact the identity in the given fields of every row of `queryset`; returns the rows changed.

    Text fields are narrowed in the database; JSON fields are read whole, because the database may
    store them with escaped characters that a LIKE cannot find, so callers pass a narrow queryset.
    """
    text_fields, json_fields = list(text_fields), list(json_fields)
    if not identity.terms:
        return 0
    if not json_fields:
        match = Q()
        for name in text_fields:
            for term in identity.terms:
                match |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(match)
    changed = 0
    for row in queryset.values("pk", *text_fields, *json_fields).iterator():
        updates = _redacted_fields(row, identity, text_fields, json_fields)
        if updates:
            # update(): a history row's timestamps must not change because a name left it.
            queryset.model.objects.filter(pk=row["pk"]).update(**updates)
            changed += 1
    return changed


def _redacted_fields(
    row: dict[str, Any], identity: Identity, text_fields: list[str], json_fields: list[str]
) -> dict[str, Any]:
    """The new value of each field of `row` that names the identity."""
    updates: dict[str, Any] = {}
    for name in text_fields:
        if row[name] and identity.found_in(row[name]):
            updates[name] = identity.redact(row[name])
    for name in json_fields:
        if identity.found_in(json.dumps(row[name], ensure_ascii=False)):
            redacted = identity.redact_json(row[name])
            if redacted != row[name]:  # the match may have been a key, which stays
                updates[name] = redacted
    return updates


# --- The creators app's own part --------------------------------------------------------------


def export_creator(creator: Creator) -> dict[str, object]:
    return {
        "creator": {
            "name": creator.display_name,
            "email": creator.email,
            "phone": creator.phone,
            "country": creator.country,
            "languages": creator.languages,
            "categories": creator.categories,
            "tags": creator.tags,
            "notes": creator.notes,
            "consent_given_at": creator.consent_given_at.isoformat() if creator.consent_given_at else None,
            "consent_method": creator.consent_method,
            "created_at": creator.created_at.isoformat(),
        },
        "platform_accounts": list(
            creator.accounts.values(
                "platform", "handle", "followers", "avg_views", "engagement_rate", "gmv_eur", "url"
            )
        ),
        "activity": [
            {"at": a.created_at.isoformat(), "by": a.actor, "what": a.text} for a in creator.activity.all()
        ],
        "messages_received": [
            {"subject": r.broadcast.subject, "status": r.status}
            for r in creator.broadcasts_received.select_related("broadcast")
        ],
    }


class ErasureRefused(Exception):
    """The erasure cannot run now; the message says why and what to do, and nothing was changed."""


# Where each importer keeps how its staged file is read: the creator list in meta.json itself, the
# metrics file and the Seller Center export under "reading" in metrics.json and shop.json.
_STAGED_READINGS: tuple[tuple[str, str | None], ...] = (
    ("meta.json", None),
    ("metrics.json", "reading"),
    ("shop.json", "reading"),
)


def _pending_imports_naming(workspace_id: int, identity: Identity) -> list[str]:
    """Tokens of the workspace's uploaded files, still waiting to be imported, that name the creator."""
    found: list[str] = []
    for meta_name, key in _STAGED_READINGS:
        for token, meta in staged_files.all_meta(meta_name):
            if meta is None:
                # Whose upload it is cannot be told, so it is not ours to delete; uploads expire anyway.
                log.warning("Staged import %s is unreadable and was left alone", token)
                continue
            if meta.get("workspace_id") == workspace_id and _staged_file_names(token, meta, key, identity):
                found.append(token)
    return found


def _staged_file_names(token: str, meta: dict[str, Any], key: str | None, identity: Identity) -> bool:
    from creatordesk.creators.import_values import read_rows

    reading = (meta.get(key) or {}) if key else meta
    try:
        # "csv" or "xlsx"; the Seller Center import calls it file_kind (its kind is samples or orders).
        kind = reading.get("file_kind") or reading["kind"]
        source = staged_files.source(token, kind)
        rows = read_rows(source, kind, reading.get("encoding", ""), reading.get("delimiter", ","))
        return any(identity.found_in(" ".join(str(cell) for cell in row)) for row in rows)
    # openpyxl raises a wide range of errors for broken workbooks; all of them mean "cannot read it".
    except Exception:
        # The workspace's own upload that cannot be checked may name the creator, so it goes.
        return True


def _refuse_while_importing(tokens: list[str]) -> None:
    """A running import holds the rows in memory and would write the creator back after the erasure."""
    active = ImportJob.objects.filter(
        token__in=tokens, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    )
    if active.exists():
        raise ErasureRefused(
            _(
                "A creator import that names this creator is still running. Wait until it has "
                "finished, then erase the creator again."
            )
        )


_TASK_ROWS: dict[str, tuple[str, str]] = {
    # Task path: the keyword argument that names its row, and that row's model. Tasks not listed
    # here work across workspaces and take no personal data (polling, recovery).
    "creatordesk.accounts.tasks.send_invitation_email": ("invitation_id", "accounts.Invitation"),
    "creatordesk.creators.tasks.send_broadcast": ("broadcast_id", "creators.Broadcast"),
    "creatordesk.creators.tasks.run_import_job": ("job_id", "creators.ImportJob"),
    "creatordesk.notifications.tasks.deliver": ("delivery_id", "notifications.Delivery"),
    "creatordesk.performance.tasks.amplify_request_email": ("amplify_task_id", "performance.AmplifyTask"),
    "creatordesk.reviews.tasks.analyse_version": ("version_id", "reviews.Version"),
}


def _workspace_task_results(creator: Creator) -> list[Any]:
    """Ids of the task results whose task worked on a row of the creator's workspace.

    Task results have no workspace; the row a task names does. Collected before anything is
    deleted, since the creator's own videos go first and their tasks could no longer be placed.
    """
    from django.apps import apps

    ids: list[Any] = []
    wanted: dict[str, dict[int, list[Any]]] = {}
    for pk, path, args_kwargs in DBTaskResult.objects.filter(task_path__in=_TASK_ROWS).values_list(
        "pk", "task_path", "args_kwargs"
    ):
        argument, _model = _TASK_ROWS[path]
        row_id = (args_kwargs or {}).get("kwargs", {}).get(argument)
        if isinstance(row_id, int):
            wanted.setdefault(path, {}).setdefault(row_id, []).append(pk)
    for path, rows in wanted.items():
        model = apps.get_model(_TASK_ROWS[path][1])
        mine = model._base_manager.filter(workspace=creator.workspace, pk__in=list(rows))
        for row_id in mine.values_list("pk", flat=True):
            ids += rows[row_id]
    return ids


def erase_creator(creator: Creator, *, actor: User | str, identity: Identity) -> dict[str, int]:
    """Contact data, accounts, notes and addresses go; the row stays as "Erased creator #id"."""
    accounts = creator.accounts.all().delete()[0]
    recipients = BroadcastRecipient.objects.filter(creator=creator).update(email="", error="")
    # Only the creator's own entries lose their actor; staff who acted on the creator stay named.
    activity = ActivityEvent.objects.filter(creator=creator, actor=creator.display_name[:160]).update(
        actor=identity.placeholder
    )
    activity += redact_rows(
        ActivityEvent.objects.for_workspace(creator.workspace),
        identity=identity,
        text_fields=["text", "actor"],
    )
    broadcasts = redact_rows(
        Broadcast.objects.for_workspace(creator.workspace), identity=identity, text_fields=["subject", "body"]
    )
    segments = redact_rows(
        Segment.objects.for_workspace(creator.workspace),
        identity=identity,
        text_fields=["name"],
        json_fields=["filters"],
    )
    # A finished import's result lists rows with their names and errors.
    imports = redact_rows(
        ImportJob.objects.for_workspace(creator.workspace),
        identity=identity,
        text_fields=["error"],
        json_fields=["options", "counts", "result"],
    )
    for name in ("email", "phone", "tiktok_handle", "country", "languages", "categories", "tags", "notes"):
        setattr(creator, name, "")
    creator.display_name = identity.placeholder
    creator.followers, creator.engagement_rate = 0, None
    creator.consent_given_at, creator.consent_method = None, ""
    creator.portal_key = new_portal_key()  # every link sent so far stops working
    creator.erased_at = timezone.now()
    creator.save()
    uploads = _pending_imports_naming(creator.workspace_id, identity)
    # The upload holds other creators too; it is removed whole and the import has to be started again.
    transaction.on_commit(lambda: staged_files.discard_all(uploads))
    return {
        "platform_accounts": accounts,
        "broadcast_recipients": recipients,
        "activity": activity,
        "broadcasts": broadcasts,
        "segments": segments,
        "pending_imports": len(uploads),
        "import_jobs": imports,
    }


# --- The orchestrator -------------------------------------------------------------------------


def _parts() -> tuple[tuple[str, ModuleType | None], ...]:
    # An explicit list rather than a signal: one place shows everything erasure touches, in order.
    # Creator-owned rows go first, the creator row itself last, since the others find rows through it.
    from creatordesk.campaigns import privacy as campaigns
    from creatordesk.notifications import privacy as notifications
    from creatordesk.performance import privacy as performance
    from creatordesk.reviews import privacy as reviews

    return (
        ("reviews", reviews),
        ("performance", performance),
        ("campaigns", campaigns),
        ("notifications", notifications),
        ("creators", None),  # this module
    )


def _part_functions(module: ModuleType | None) -> tuple[Callable[..., Any], Callable[..., Any]]:
    if module is None:
        return export_creator, erase_creator
    return module.export_creator, module.erase_creator


def creator_export_data(*, creator: Creator) -> dict[str, object]:
    """Art. 15/20 GDPR: the creator's data in a portable, machine-readable form."""
    data: dict[str, object] = {}
    for _name, module in _parts()[::-1]:
        export, _erase = _part_functions(module)
        data.update(export(creator))
    return data


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        if name:
            storage.delete(name)


def _forget_freed_pages() -> None:
    # SQLite keeps deleted rows in free pages and old page images in the WAL until a checkpoint;
    # secure_delete zeroes freed space and the checkpoint folds the WAL back (sqlite.org/pragma.html).
    # Best effort: inside an outer transaction, or with readers still on old pages, it waits for
    # the next erasure or SQLite's own checkpoint.
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError as exc:
            log.warning("WAL checkpoint after an erasure failed: %s", exc)


def creator_erase(*, creator: Creator, actor: User | str) -> Creator:
    """Art. 17 GDPR: remove what identifies the creator and keep the brand's history anonymised.

    Gone: contact data, handles and platform accounts, notes, uploaded videos with their
    transcripts and findings, the creator's own comments, post links and captions, email
    deliveries to the creator, broadcast addresses. Kept, with the name, email and handles
    replaced by "Erased creator #id": the creator row, collaborations and their status,
    submissions, post figures and the audit log, which the brand may need to account for its
    decisions.

    Raises ErasureRefused, changing nothing, while an import of a list that names the creator is
    queued or running.
    """
    return creator_erase_with_report(creator=creator, actor=actor).creator


def creator_erase_with_report(*, creator: Creator, actor: User | str) -> ErasureReport:
    """The erasure of `creator_erase`, with what every app changed."""
    from creatordesk.reviews.models import Submission, Version
    from creatordesk.reviews.services import audit

    identity = creator_identity(creator)
    report = ErasureReport(creator=creator)
    _refuse_while_importing(_pending_imports_naming(creator.workspace_id, identity))
    storage = Version._meta.get_field("file").storage
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    with transaction.atomic():
        # A failed task's traceback can quote an address or a name (a refused recipient, say); task
        # arguments are ids by convention, so they need no search.
        tasks = redact_rows(
            DBTaskResult.objects.filter(pk__in=_workspace_task_results(creator)),
            identity=identity,
            text_fields=["traceback"],
        )
        for name, module in _parts():
            _export, erase = _part_functions(module)
            changes = erase(creator, actor=actor, identity=identity)
            report.files += changes.pop("files", [])
            report.changed[name] = changes
        report.changed["creators"]["task_results"] = tasks
        for submission in Submission.objects.filter(collaboration__creator=creator):
            audit(submission=submission, actor=actor, verb="creator_erased")
        activity_record(creator=creator, verb="erased", text=_("Personal data erased"), actor=actor)
        files = list(report.files)
        # Files go only once the rows are gone for good.
        transaction.on_commit(lambda: _delete_files(storage, files))
        transaction.on_commit(_forget_freed_pages)
    log.info("Creator #%s erased by %s (%d files)", creator.pk, actor, len(report.files))
    return report
