"""Import of creator lists from CSV and Excel files: upload, column mapping, dry run and commit.

The uploaded file stays on disk under VAR_DIR/imports/<token>/ until it is imported or discarded, next
to a meta.json that names its workspace. Every step streams the file again, so a 50,000-row export
never sits in memory whole, and the dry run and the commit compute the same plan from it.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import batched, islice
from pathlib import Path
from typing import Any, Protocol, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Field, Model, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext as _

from creatordesk.accounts.models import User, Workspace
from creatordesk.creators.activity import actor_label
from creatordesk.creators.import_limits import SpreadsheetRefused
from creatordesk.creators.import_values import (
    ACCOUNT_FIELDS,
    CREATOR_FIELDS,
    GERMAN_HEADERS,
    LIST_ADD,
    LIST_FIELDS,
    LIST_REPLACE,
    NUMBER_FIELDS,
    PARSERS,
    PLATFORMS,
    TARGETS,
    WHOLE_NUMBER_FIELDS,
    Cell,
    CellError,
    category_mapping_shown,
    category_pairs,
    detect_encoding,
    find_header,
    guess_columns,
    is_blank,
    is_blank_row,
    looks_like_value,
    merge_items,
    normalise_header,
    parse_handle,
    parse_platform,
    read_rows,
    sniff_delimiter,
)
from creatordesk.creators.models import ActivityEvent, Creator, Platform, PlatformAccount
from creatordesk.djangolib import staged_files
from creatordesk.lib import tabular

PREVIEW_ENTRIES = 20
# Distinct category labels of a file the preview lists with what they are stored as.
MAX_LISTED_CATEGORIES = 100
MAX_LISTED_ERRORS = 1000
_BATCH = 1000
# Accounts read between two heartbeats of a background check: a few seconds at most on a slow database.
_HEARTBEAT_EVERY = 50_000
_HEADER_SEARCH_ROWS = 10
# The name of the JSON file kept beside a staged creator list.
META_FILE = "meta.json"


class ImportRejected(Exception):
    """The file cannot be imported at all; the message says why, in the user's language."""


class ImportNotFound(Exception):
    """No upload with this token in this workspace (expired, imported, discarded or someone else's)."""


class ImportTooLargeForRequest(Exception):
    """The file has more rows than a web request may parse; the task worker has to take it."""


class ImportHasErrors(Exception):
    """Rows have errors and the user did not ask to skip them; nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(f"{plan.error_rows} rows have errors")
        self.plan = plan


class Upload(Protocol):
    """What import_upload reads of a file: Django's UploadedFile and File both fit."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...


# --- The stored upload ----------------------------------------------------------------------------


@dataclass
class StoredImport:
    """An uploaded file waiting in VAR_DIR/imports/<token>/, with what is known about it."""

    token: str
    workspace_id: int
    filename: str
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ","
    header_row: int = 1
    headers: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # a target per column, "" for "don't import"
    default_platform: str = Platform.TIKTOK.value
    decimal_comma: bool = False
    mapping_confirmed: bool = False
    # "add" or "replace" per list field (LIST_FIELDS) of creators that exist already; "add" if absent.
    list_modes: dict[str, str] = field(default_factory=dict)
    created_at: float = field(default_factory=time.time)

    @property
    def folder(self) -> Path:
        return staged_files.folder(self.token)

    @property
    def source(self) -> Path:
        return staged_files.source(self.token, self.kind)

    def save(self) -> None:
        staged_files.write_meta(self.token, META_FILE, asdict(self))


def _inspect(stored: StoredImport) -> None:
    if stored.kind == "xlsx":
        with open(stored.source, "rb") as handle:
            if handle.read(4) != b"PK\x03\x04":
                raise ImportRejected(_("This file is not an Excel workbook (.xlsx)."))
    else:
        encoding = detect_encoding(stored.source)
        if encoding is None:
            raise ImportRejected(_("This file is not a CSV file."))
        stored.encoding = encoding
        with open(stored.source, encoding=stored.encoding, newline="") as handle:
            stored.delimiter = sniff_delimiter(handle.read(64 * 1024))
    try:
        rows = read_rows(stored.source, stored.kind, stored.encoding, stored.delimiter)
        numbered = [(n, row) for n, row in enumerate(islice(rows, 50), 1) if not is_blank_row(row)]
    # openpyxl raises a wide range of errors for broken workbooks; all of them mean "cannot read it".
    except SpreadsheetRefused as refused:
        raise ImportRejected(str(refused)) from None
    except Exception:
        raise ImportRejected(_("The file could not be read. Save it again as CSV or .xlsx.")) from None
    if not numbered:
        raise ImportRejected(_("The file has no rows."))
    index = find_header([row for _number, row in numbered[:_HEADER_SEARCH_ROWS]])
    stored.header_row, header = numbered[index]
    named = [cell for cell in header if not is_blank(cell)]
    if all(isinstance(cell, int | float) or looks_like_value(str(cell)) for cell in named):
        raise ImportRejected(_("The first row must name the columns, e.g. “Name”, “Handle”, “Followers”."))
    if index + 1 == len(numbered):
        raise ImportRejected(_("The file has column names but no rows of creators."))
    stored.headers = ["" if is_blank(cell) else str(cell).strip() for cell in header]
    stored.columns = guess_columns(stored.headers)
    _guess_reading(stored, [row for _n, row in numbered[index + 1 :]])


def _guess_reading(stored: StoredImport, rows: list[Sequence[Cell]]) -> None:
    """Decimal comma and the platform of handle columns, from the header and the first rows."""
    normalised = [normalise_header(h) for h in stored.headers]
    # One rule for every import file: see creatordesk.lib.tabular.numbers.
    german = stored.delimiter == ";" or bool(set(normalised) & GERMAN_HEADERS)
    number_columns = [
        (i, t in WHOLE_NUMBER_FIELDS) for i, t in enumerate(stored.columns) if t in NUMBER_FIELDS
    ]
    evidence = ((row[i], whole) for row in rows for i, whole in number_columns if i < len(row))
    stored.decimal_comma = tabular.decimal_comma_from(evidence, hint=german)
    if "handle" in stored.columns:
        # "Instagram handle" without a platform column means Instagram accounts.
        handle_header = normalised[stored.columns.index("handle")]
        for word, platform in PLATFORMS.items():
            if len(word) > 2 and handle_header.startswith(word + " "):
                stored.default_platform = platform


def import_upload(*, workspace: Workspace, upload: Upload) -> StoredImport:
    """Keep an uploaded CSV/XLSX file for the next steps, after checking it can be read at all."""
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        raise ImportRejected(_("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV."))
    if suffix not in (".csv", ".tsv", ".txt", ".xlsx"):
        raise ImportRejected(_("Upload a CSV file or an Excel workbook (.xlsx)."))
    if not upload.size:
        raise ImportRejected(_("The file is empty."))
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ImportRejected(
            _("The file is larger than %(size)d MB.") % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    kind = "xlsx" if suffix == ".xlsx" else "csv"
    try:
        token, _lines = staged_files.store(upload.chunks(), kind=kind)
    except OSError:
        raise ImportRejected(_("The file could not be stored. Try again later.")) from None
    stored = StoredImport(token=token, workspace_id=workspace.pk, filename=Path(name).name[:200], kind=kind)
    try:
        _inspect(stored)
    except ImportRejected:
        staged_files.discard(token)
        raise
    stored.save()
    return stored


def import_load(*, workspace: Workspace, token: str) -> StoredImport:
    """The upload behind `token` if it belongs to `workspace`; anything else looks like a missing one."""
    try:
        return StoredImport(**staged_files.read_meta(token, META_FILE, workspace_id=workspace.pk))
    except staged_files.StagedFileMissing:
        raise ImportNotFound(token) from None


def import_set_mapping(
    *,
    stored: StoredImport,
    columns: list[str],
    default_platform: str,
    decimal_comma: bool,
    list_modes: dict[str, str] | None = None,
) -> StoredImport:
    if len(columns) != len(stored.headers) or not set(columns) <= {"", *TARGETS}:
        raise ValueError("a target per column is required")
    list_modes = list_modes or {}
    if not set(list_modes) <= set(LIST_FIELDS) or not set(list_modes.values()) <= {LIST_ADD, LIST_REPLACE}:
        raise ValueError("a list mode is 'add' or 'replace' for a list field")
    stored.list_modes = dict(list_modes)
    stored.columns = columns
    stored.default_platform = Platform(default_platform).value
    stored.decimal_comma = decimal_comma
    stored.mapping_confirmed = True
    stored.save()
    return stored


def import_discard(*, stored: StoredImport) -> None:
    staged_files.discard(stored.token)


def import_sample(*, stored: StoredImport, rows: int = 3) -> list[list[str]]:
    """The first data rows as text, one list per column, to show next to each header."""
    samples: list[list[str]] = [[] for _header in stored.headers]
    for _number, cells in islice(_data_rows(stored), rows):
        for index, cell in enumerate(cells):
            if not is_blank(cell):
                samples[index].append(str(cell))
    return samples


def _data_rows(stored: StoredImport) -> Iterator[tuple[int, list[Cell]]]:
    """(row number as a spreadsheet shows it, cells padded to the header) for each non-blank data row."""
    width = len(stored.headers)
    rows = read_rows(stored.source, stored.kind, stored.encoding, stored.delimiter)
    number = 0
    try:
        for number, row in enumerate(rows, 1):
            if number > stored.header_row and not is_blank_row(row):
                yield number, [*row[:width], *([None] * (width - len(row)))]
    except SpreadsheetRefused as refused:
        raise ImportRejected(str(refused)) from None
    except (csv.Error, UnicodeDecodeError):
        raise ImportRejected(
            _("The file could not be read after row %(row)d. Save it again as CSV or .xlsx.")
            % {"row": number}
        ) from None


# --- Planning: what the import would do -------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Entry:
    """One creator account of the file after rows repeating its handle were merged into it."""

    row: int
    platform: str
    handle: str
    creator_fields: dict[str, Any]
    account_fields: dict[str, Any]
    creator_id: int | None = None  # set when the creator exists already
    account_id: int | None = None
    # For a creator that exists: each value the import changes, {"field", "before", "after"} as text.
    changes: list[dict[str, str]] = field(default_factory=list)
    # Each category of the row as written, with the key it is stored as (None: kept as written).
    category_labels: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.creator_id is None

    @property
    def display_name(self) -> str:
        return self.creator_fields.get("display_name") or self.handle

    @property
    def platform_label(self) -> str:
        return Platform(self.platform).label


@dataclass
class ImportPlan:
    """Exactly what committing would do: the dry run shows it, the commit carries it out."""

    rows: int = 0
    error_rows: int = 0
    error_count: int = 0
    repeated_rows: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_LISTED_ERRORS
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    # The file's distinct category labels (the first MAX_LISTED_CATEGORIES) and what each is stored as.
    categories: dict[str, str | None] = field(default_factory=dict)
    # Existing creators the dry run found the import would leave exactly as they are.
    unchanged_ids: set[int] = field(default_factory=set)
    # What the commit wrote, counted before writing: afterwards every entry points at a creator and
    # would count as an update.
    written: dict[str, int] = field(default_factory=dict)

    @property
    def new_count(self) -> int:
        return sum(entry.is_new for entry in self.entries.values())

    @property
    def existing_count(self) -> int:
        return len({entry.creator_id for entry in self.entries.values() if not entry.is_new})

    @property
    def updated_count(self) -> int:
        return self.existing_count - len(self.unchanged_ids)

    @property
    def unchanged_count(self) -> int:
        return len(self.unchanged_ids)

    @property
    def category_mappings(self) -> list[dict[str, str]]:
        """Labels stored under another name ("key") or kept as written although unknown ("key" empty)."""
        return [
            {"label": label, "key": key or ""}
            for label, key in self.categories.items()
            if category_mapping_shown(label, key)
        ]

    @property
    def preview(self) -> list[Entry]:
        return list(islice(self.entries.values(), PREVIEW_ENTRIES))


def _parse_row(stored: StoredImport, number: int, cells: list[Cell]) -> Entry | list[RowError]:
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    for index, target in enumerate(stored.columns):
        raw = cells[index]
        if not target or is_blank(raw):
            continue
        try:
            if target == "handle":
                values["handle"], values["link_platform"] = parse_handle(raw)
            elif target == "categories":
                values["categories"] = PARSERS[target](raw, stored.decimal_comma)
                values["category_labels"] = category_pairs(raw)
            elif target == "platform":
                values["platform"] = parse_platform(raw)
            else:
                values[target] = PARSERS[target](raw, stored.decimal_comma)
        except CellError as error:
            errors.append(RowError(number, stored.headers[index], str(error)))
    if "handle" not in values and not any(e.column == _handle_header(stored) for e in errors):
        errors.append(RowError(number, _handle_header(stored), _("The handle is missing.")))
    if errors:
        return errors
    platform = values.pop("platform", None) or values.pop("link_platform") or stored.default_platform
    return Entry(
        row=number,
        platform=platform,
        handle=values["handle"],
        creator_fields={name: values[name] for name in CREATOR_FIELDS if name in values},
        account_fields={name: values[name] for name in ACCOUNT_FIELDS if name in values},
        category_labels=values.get("category_labels", []),
    )


def _handle_header(stored: StoredImport) -> str:
    return stored.headers[stored.columns.index("handle")] if "handle" in stored.columns else ""


def _plan(
    *,
    workspace: Workspace,
    stored: StoredImport,
    max_rows: int | None = None,
    on_row: Callable[[int], None] | None = None,
    heartbeat: Callable[[], None] | None = None,
) -> ImportPlan:
    """The plan of the whole file; ImportTooLargeForRequest once it passes `max_rows` data rows.

    `on_row` is called with the number of each row read, `heartbeat` now and then while the rows are
    matched against the workspace, which for a large workspace takes a while with no row read.
    """
    if "handle" not in stored.columns:
        raise ImportRejected(_("Choose the column that holds the handle."))
    plan = ImportPlan()
    for number, cells in _data_rows(stored):
        plan.rows += 1
        if max_rows is not None and plan.rows > max_rows:
            raise ImportTooLargeForRequest
        if on_row is not None:
            on_row(plan.rows)
        parsed = _parse_row(stored, number, cells)
        if isinstance(parsed, list):
            plan.error_rows += 1
            plan.error_count += len(parsed)
            plan.errors.extend(parsed[: max(0, MAX_LISTED_ERRORS - len(plan.errors))])
            continue
        for label, category in parsed.category_labels:
            if len(plan.categories) < MAX_LISTED_CATEGORIES:
                plan.categories.setdefault(label, category)
        key = (parsed.platform, parsed.handle)
        earlier = plan.entries.get(key)
        if earlier is None:
            plan.entries[key] = parsed
        else:
            # The later row wins for every value it gives; values only the earlier row has are kept.
            plan.repeated_rows += 1
            earlier.creator_fields.update(parsed.creator_fields)
            earlier.account_fields.update(parsed.account_fields)
    _match_existing(workspace, plan.entries, heartbeat=heartbeat)
    return plan


def _match_existing(
    workspace: Workspace,
    entries: dict[tuple[str, str], Entry],
    *,
    heartbeat: Callable[[], None] | None = None,
) -> None:
    """Point entries at the accounts and creators the workspace already has, in two queries."""
    beat = heartbeat or (lambda: None)
    beat()
    accounts = PlatformAccount.objects.for_workspace(workspace)
    handles = {handle for _platform, handle in entries}
    # An IN list of 50,000 handles exceeds database parameter limits; reading all accounts of the
    # workspace is one indexed scan and is cheaper there.
    if len(handles) <= 500:
        accounts = accounts.filter(handle__in=handles)
    rows = accounts.values_list("platform", "handle", "id", "creator_id").iterator(chunk_size=5000)
    for number, (platform, handle, account_id, creator_id) in enumerate(rows, start=1):
        if number % _HEARTBEAT_EVERY == 0:
            beat()
        entry = entries.get((platform, handle))
        if entry is not None:
            entry.account_id, entry.creator_id = account_id, creator_id
    # Creators added by hand before platform accounts existed carry only a TikTok handle.
    unmatched = {e.handle: e for e in entries.values() if e.is_new and e.platform == Platform.TIKTOK}
    if not unmatched:
        return
    beat()
    legacy = Creator.objects.for_workspace(workspace).exclude(tiktok_handle="")
    if len(unmatched) <= 500:
        legacy = legacy.alias(handle_lower=Lower("tiktok_handle")).filter(handle_lower__in=list(unmatched))
    for creator_id, tiktok_handle in legacy.order_by("-id").values_list("id", "tiktok_handle"):
        found = unmatched.get(tiktok_handle.lstrip("@").lower())
        if found is not None:
            found.creator_id = creator_id


def import_dry_run(*, workspace: Workspace, stored: StoredImport, max_rows: int | None = None) -> ImportPlan:
    """What committing would do now; reads only."""
    plan = _plan(workspace=workspace, stored=stored, max_rows=max_rows)
    describe_changes(workspace=workspace, stored=stored, plan=plan)
    return plan


def _value_after(creator: Creator, name: str, value: Any, list_modes: dict[str, str]) -> Any:
    """The value an update stores: list fields are merged into what the creator has unless replaced."""
    if name in LIST_FIELDS and list_modes.get(name, LIST_ADD) == LIST_ADD:
        return merge_items(getattr(creator, name), value, LIST_FIELDS[name])
    return value


def describe_changes(*, workspace: Workspace, stored: StoredImport, plan: ImportPlan) -> None:
    """Find the existing creators the import would leave as they are (`plan.unchanged_ids`) and set
    `changes` (before → after) on the previewed entries; two queries per thousand existing entries."""
    existing = [entry for entry in plan.entries.values() if not entry.is_new]
    previewed = {id(entry) for entry in plan.preview}
    changed: set[int] = set()
    for batch in batched(existing, _BATCH):
        creators = Creator.objects.for_workspace(workspace).in_bulk({entry.creator_id for entry in batch})
        accounts = PlatformAccount.objects.for_workspace(workspace).in_bulk(
            {entry.account_id for entry in batch if entry.account_id is not None}
        )
        for entry in batch:
            creator_id = cast(int, entry.creator_id)
            creator = creators.get(creator_id)
            if creator is None:
                changed.add(creator_id)
                continue
            account = accounts.get(cast(int, entry.account_id))
            changes = _entry_changes(entry, creator, account, stored.list_modes)
            adds_account = account is None
            sets_handle = entry.platform == Platform.TIKTOK and not creator.tiktok_handle
            if changes or adds_account or sets_handle:
                changed.add(creator_id)
            if id(entry) in previewed:
                entry.changes = changes
    plan.unchanged_ids = {cast(int, entry.creator_id) for entry in existing} - changed


def _entry_changes(
    entry: Entry, creator: Creator, account: PlatformAccount | None, list_modes: dict[str, str]
) -> list[dict[str, str]]:
    """Each value `entry` would change on its creator and account, as {"field", "before", "after"} text."""
    after = {
        **{n: _value_after(creator, n, v, list_modes) for n, v in entry.creator_fields.items()},
        **entry.account_fields,
    }
    changes = []
    for name, value in after.items():
        owner: Model | None = creator if name in entry.creator_fields else account
        before = getattr(owner, name) if owner is not None else None
        model_field = cast(Field, (Creator if owner is creator else PlatformAccount)._meta.get_field(name))
        if model_field.to_python(value) == before:
            continue
        changes.append({"field": str(TARGETS[name]), "before": _shown(before), "after": _shown(value)})
    return changes


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def import_jobs_recover_stalled(*, now: datetime | None = None) -> int:
    """Queue again the import jobs whose worker died; fail those that died too often. Returns how many."""
    from creatordesk.creators.import_jobs import jobs_recover_stalled

    return jobs_recover_stalled(now=now)


# --- Commit ---------------------------------------------------------------------------------------


def import_commit(
    *,
    workspace: Workspace,
    stored: StoredImport,
    actor: User | None = None,
    skip_errors: bool = False,
    max_rows: int | None = None,
) -> ImportPlan:
    """Write the whole plan or nothing; rows with errors stop it unless `skip_errors` is given.

    One transaction, so only for files a request may hold the write lock for (`max_rows`); larger
    files are committed in chunks by the task worker (import_jobs).
    """
    if max_rows is not None:
        # Counted before the transaction so a large file never holds the write lock in a request.
        _plan(workspace=workspace, stored=stored, max_rows=max_rows)
    with transaction.atomic():
        # Planned inside the transaction so the match against existing accounts cannot go stale.
        plan = _plan(workspace=workspace, stored=stored)
        if plan.error_rows and not skip_errors:
            raise ImportHasErrors(plan)
        plan.written = write_entries(workspace, list(plan.entries.values()), stored=stored, actor=actor)
    import_discard(stored=stored)
    return plan


def write_entries(
    workspace: Workspace, entries: list[Entry], *, stored: StoredImport, actor: User | None
) -> dict[str, int]:
    """Create and update the creators of `entries`; returns how many were created, changed and left as
    they were, read from the database before and after writing so the counts are what happened."""
    new = [entry for entry in entries if entry.is_new]
    existing = [entry for entry in entries if not entry.is_new]
    existing_ids = {cast(int, entry.creator_id) for entry in existing}
    before = _snapshot(workspace, existing_ids)
    _create_new(workspace, new)
    _update_existing(workspace, existing, list_modes=stored.list_modes)
    after = _snapshot(workspace, existing_ids)
    changed = {pk for pk in existing_ids if before.get(pk) != after.get(pk)}
    _record_activity(
        workspace, new, [e for e in existing if e.creator_id in changed], stored=stored, actor=actor
    )
    return {"new": len(new), "updated": len(changed), "unchanged": len(existing_ids) - len(changed)}


# What an import can change of a creator: its profile fields, the figures computed from its accounts,
# and its accounts.
_CREATOR_STATE = (*CREATOR_FIELDS, "tiktok_handle", "followers", "engagement_rate")
_ACCOUNT_STATE = ("id", "platform", "handle", *ACCOUNT_FIELDS)


def _snapshot(workspace: Workspace, creator_ids: set[int]) -> dict[int, tuple[Any, ...]]:
    """The state of each creator as the import can change it."""
    state: dict[int, tuple[Any, ...]] = {}
    for chunk in batched(sorted(creator_ids), 500):
        accounts: dict[int, list[tuple[Any, ...]]] = {pk: [] for pk in chunk}
        rows = PlatformAccount.objects.for_workspace(workspace).filter(creator_id__in=chunk)
        for creator_id, *values in rows.order_by("id").values_list("creator_id", *_ACCOUNT_STATE):
            accounts[creator_id].append(tuple(values))
        creators = Creator.objects.for_workspace(workspace).filter(pk__in=chunk)
        for pk, *values in creators.values_list("pk", *_CREATOR_STATE):
            state[pk] = (*values, tuple(accounts[pk]))
    return state


def _create_new(workspace: Workspace, entries: list[Entry]) -> None:
    creators = [
        Creator(
            workspace=workspace,
            display_name=entry.display_name,
            tiktok_handle=entry.handle if entry.platform == Platform.TIKTOK else "",
            followers=entry.account_fields.get("followers") or 0,
            engagement_rate=entry.account_fields.get("engagement_rate"),
            **{name: value for name, value in entry.creator_fields.items() if name != "display_name"},
        )
        for entry in entries
    ]
    Creator.objects.bulk_create(creators, batch_size=_BATCH)
    for entry, creator in zip(entries, creators, strict=True):
        entry.creator_id = creator.pk
    _create_accounts(workspace, entries)


def _create_accounts(workspace: Workspace, entries: Iterable[Entry]) -> None:
    accounts = [
        PlatformAccount(
            workspace=workspace,
            creator_id=cast(int, entry.creator_id),
            platform=entry.platform,
            handle=entry.handle,
            **entry.account_fields,
        )
        for entry in entries
    ]
    _insert_rows(accounts)


def _update_existing(
    workspace: Workspace, entries: list[Entry], *, list_modes: dict[str, str] | None = None
) -> None:
    if not entries:
        return
    creators = Creator.objects.for_workspace(workspace).in_bulk({entry.creator_id for entry in entries})
    accounts = PlatformAccount.objects.for_workspace(workspace).in_bulk(
        {entry.account_id for entry in entries if entry.account_id is not None}
    )
    creator_changes, account_changes = set(), set()
    for entry in entries:
        creator = creators[cast(int, entry.creator_id)]
        for name, value in entry.creator_fields.items():
            setattr(creator, name, _value_after(creator, name, value, list_modes or {}))
            creator_changes.add(name)
        if entry.platform == Platform.TIKTOK and not creator.tiktok_handle:
            creator.tiktok_handle = entry.handle
            creator_changes.add("tiktok_handle")
        if entry.account_id is not None:
            account = accounts[entry.account_id]
            for name, value in entry.account_fields.items():
                setattr(account, name, value)
                account_changes.add(name)
    if creator_changes:
        _update_rows(list(creators.values()), sorted(creator_changes))
    if account_changes:
        _update_rows(list(accounts.values()), sorted(account_changes))
    _create_accounts(workspace, [entry for entry in entries if entry.account_id is None])
    _refresh_figures(creators.keys())


def _refresh_figures(creator_ids: Iterable[int]) -> None:
    """Recompute the list's denormalised figures: followers summed, ER of the biggest account."""
    accounts = PlatformAccount.objects.filter(creator=OuterRef("pk")).order_by()
    total = accounts.values("creator").annotate(total=Sum("followers")).values("total")
    biggest = accounts.order_by(F("followers").desc(nulls_last=True), "pk").values("engagement_rate")[:1]
    for chunk in batched(sorted(creator_ids), 500):
        Creator.objects.filter(pk__in=chunk).update(
            followers=Coalesce(Subquery(total), 0), engagement_rate=Subquery(biggest)
        )


def _record_activity(
    workspace: Workspace, new: list[Entry], existing: list[Entry], *, stored: StoredImport, actor: User | None
) -> None:
    """One timeline entry per creator the import added or changed."""
    label = actor_label(actor)[:160]
    added = _("Imported from %(file)s") % {"file": stored.filename}
    updated = _("Updated from %(file)s") % {"file": stored.filename}
    events = [
        ActivityEvent(workspace=workspace, creator_id=creator_id, actor=label, verb=verb, text=text[:300])
        for verb, text, entries in (("imported", added, new), ("import_updated", updated, existing))
        for creator_id in dict.fromkeys(cast(int, entry.creator_id) for entry in entries)
    ]
    _insert_rows(events)


# bulk_create and bulk_update compile every value into one long statement per batch, which costs about
# 60 µs a row for inserts and several ms a row for bulk_update's CASE expressions. One prepared
# statement run with executemany does the same writes in a fraction of that time; values still go
# through each field's get_db_prep_save, so they are stored exactly as the ORM would store them.


def _insert_rows(objects: Sequence[Model]) -> None:
    """Insert rows whose new ids nobody needs."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    columns = ", ".join(_quoted(f) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_rows(objects: Sequence[Model], names: Sequence[str]) -> None:
    """Write the fields `names` of each object, as bulk_update would."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = [cast(Field, meta.get_field(name)) for name in names]
    assignments = ", ".join(f"{_quoted(f)} = %s" for f in fields)
    sql = f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {assignments} WHERE {_quoted(meta.pk)} = %s"
    rows = [
        [*(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields), obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _quoted(field: Field | None) -> str:
    return connection.ops.quote_name(cast(str, field.column if field else ""))
