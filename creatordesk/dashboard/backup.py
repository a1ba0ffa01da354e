"""Backup and move of a whole installation or one workspace: database rows and media in one archive.

The archive is a .tar.gz with `manifest.json` (format, versions, scope, row counts, a SHA-256 of
every member), one JSON-lines file of rows per model under `rows/` and the media under `media/`.
Rows are written with Django's serializers (natural keys for content types, permissions and
users, so they survive a database whose ids differ), which round-trip every field type the
models use; encrypted values are copied as they are and stay readable only under the same
SECRET_KEY. A restore checks everything before it writes anything and then loads in one
transaction. docs/backup.md is the user's side of this.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import secrets
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import Storage
from django.core.files.utils import validate_file_name
from django.core.management.color import no_style
from django.core.serializers.base import DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.sql import InsertQuery

from creatordesk.accounts.models import Membership, User, Workspace

FORMAT = "creatordesk-backup"
FORMAT_VERSION = 1
# Made again by `migrate` (content types, permissions) or not worth keeping (sessions: everyone
# signs in again, which also suits a move to another server).
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
BATCH = 1000
PROGRESS_EVERY = 20_000

Progress = Callable[[str], None]


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why and nothing was changed."""


@dataclass(frozen=True)
class RestoreResult:
    scope: str
    rows: int
    files: int
    secret_key_matches: bool


def _quiet(_message: str) -> None:
    return None


def _app_version() -> str:
    try:
        return version("creatordesk")
    except PackageNotFoundError:
        return "unknown"


def secret_key_check() -> str:
    """A fingerprint of SECRET_KEY that reveals nothing about it: do encrypted values stay readable?"""
    return hashlib.sha256(b"creatordesk.backup-key-check:" + settings.SECRET_KEY.encode()).hexdigest()[:16]


class _Encoder(DjangoJSONEncoder):
    # DjangoJSONEncoder cuts times to milliseconds; a restore must give back the exact value.
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _is_workspace_fk(field: models.Field) -> bool:
    return bool(field.is_relation and field.concrete and field.related_model is Workspace)


def backup_models() -> list[type[models.Model]]:
    """Every model whose rows an archive holds, in an order where natural keys resolve."""
    chosen = [
        m for m in apps.get_models() if m._meta.managed and not m._meta.proxy and _label(m) not in SKIPPED
    ]
    by_app: dict[Any, list[type[models.Model]]] = {}
    for model in chosen:
        by_app.setdefault(model._meta.app_config, []).append(model)
    return list(serializers.sort_dependencies(by_app.items(), allow_cycles=True))


def _workspace_querysets(workspace: Workspace) -> dict[str, models.QuerySet[Any]]:
    """The workspace's rows of every model that belongs to a workspace, and the users they name."""
    sets: dict[str, models.QuerySet[Any]] = {}
    for model in backup_models():
        if model is Workspace:
            sets[_label(model)] = Workspace.objects.filter(pk=workspace.pk)
            continue
        link = next((f for f in model._meta.concrete_fields if _is_workspace_fk(f)), None)
        if link is not None:
            sets[_label(model)] = model._base_manager.filter(**{link.name: workspace})
    user_ids = set(Membership.objects.filter(workspace=workspace).values_list("user_id", flat=True))
    for queryset in sets.values():
        model = queryset.model
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                user_ids |= set(
                    queryset.exclude(**{field.attname: None}).values_list(field.attname, flat=True)
                )
        for m2m in model._meta.local_many_to_many:
            if m2m.related_model is User:
                through = m2m.remote_field.through
                source = m2m.m2m_field_name()
                user_ids |= set(
                    through.objects.filter(**{f"{source}__in": queryset.values("pk")}).values_list(
                        m2m.m2m_reverse_name(), flat=True
                    )
                )
    sets[_label(User)] = User.objects.filter(pk__in=user_ids)
    return sets


def _querysets(workspace: Workspace | None) -> list[tuple[str, models.QuerySet[Any]]]:
    chosen = _workspace_querysets(workspace) if workspace is not None else None
    result = []
    for model in backup_models():
        label = _label(model)
        if chosen is None:
            result.append((label, model._base_manager.all()))
        elif label in chosen:
            result.append((label, chosen[label]))
    return [(label, qs.order_by("pk")) for label, qs in result]


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _sha256_stream(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()


def _sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return _sha256_stream(handle)


def _member(archive: tarfile.TarFile, member: str | tarfile.TarInfo) -> IO[bytes]:
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError(f"“{member}” in the archive is not a file.")
    return handle


class _HashingReader(io.RawIOBase):
    """Reads through to a file and hashes what passes, so media is read once while archived."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _require_migrated() -> None:
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError("The database has unapplied migrations; run `creatordesk migrate` first.")


def dump(path: Path, *, workspace_slug: str | None = None, progress: Progress = _quiet) -> dict[str, Any]:
    """Write the installation (or one workspace) to `path`; returns the manifest."""
    _require_migrated()
    workspace = None
    if workspace_slug is not None:
        workspace = Workspace.objects.filter(slug=workspace_slug).first()
        if workspace is None:
            raise BackupError(f"There is no workspace with the slug “{workspace_slug}”.")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": _app_version(),
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database_vendor": connection.vendor,
        "scope": "workspace" if workspace else "all",
        "workspace": workspace.slug if workspace else None,
        "secret_key_check": secret_key_check(),
        "migrations": _applied_migrations(),
        "models": [],
        "media": {},
        "missing_media": [],
    }
    media: dict[str, Storage] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(partial, "w:gz") as archive:
        # One snapshot of the rows: rows written meanwhile cannot point at rows the archive lacks.
        # Media files are never changed in place (random names), so they are copied afterwards.
        with _read_snapshot():
            for label, queryset in _querysets(workspace):
                member = f"rows/{label}.jsonl"
                scratch_file = Path(scratch) / f"{label}.jsonl"
                count = _write_rows(queryset, scratch_file, label, progress)
                for field in _file_fields(queryset.model):
                    names = queryset.exclude(**{field.attname: ""}).values_list(field.attname, flat=True)
                    media.update((name, field.storage) for name in names)
                archive.add(scratch_file, arcname=member)
                manifest["models"].append(
                    {"label": label, "rows": count, "file": member, "sha256": _sha256_file(scratch_file)}
                )
                scratch_file.unlink()
        progress(f"media: {len(media)} files")
        for done, (name, storage) in enumerate(sorted(media.items()), 1):
            if not storage.exists(name):
                manifest["missing_media"].append(name)
                progress(f"media: {name} is missing from the storage and is left out")
                continue
            info = tarfile.TarInfo(f"media/{name}")
            info.size = storage.size(name)
            with storage.open(name, "rb") as handle:
                reader = _HashingReader(handle)
                archive.addfile(info, reader)
            manifest["media"][name] = {"sha256": reader.digest.hexdigest(), "size": info.size}
            if done % 100 == 0:
                progress(f"media: {done}/{len(media)}")
        data = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    partial.replace(path)
    return manifest


@contextmanager
def _read_snapshot() -> Iterator[None]:
    """A consistent, read-only view of every row that does not stop anyone else from writing.

    SQLite: Django opens transactions with the configured "BEGIN IMMEDIATE", which takes the write
    lock and would make every request and task wait for the whole export. A deferred transaction
    takes no write lock; in WAL mode its reads come from one snapshot, fixed by the first read,
    while other connections keep committing (sqlite.org/wal.html, "Concurrency").
    PostgreSQL: REPEATABLE READ gives the same snapshot and READ ONLY blocks nobody.
    """
    if connection.in_atomic_block:
        # The caller's transaction already fixes what is read (tests, a dump run from a script).
        yield
        return
    if connection.vendor != "sqlite":
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        # Nothing was written; ending the read transaction only releases the snapshot.
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def _write_rows(queryset: models.QuerySet[Any], target: Path, label: str, progress: Progress) -> int:
    count = 0
    with open(target, "w", encoding="utf-8") as out:
        for chunk in _chunks(queryset.iterator(chunk_size=BATCH), BATCH):
            for row in serializers.serialize(
                "python", chunk, use_natural_foreign_keys=True, use_natural_primary_keys=False
            ):
                out.write(json.dumps(row, cls=_Encoder, ensure_ascii=False) + "\n")
            if (count + len(chunk)) // PROGRESS_EVERY > count // PROGRESS_EVERY:
                progress(f"{label}: {count + len(chunk)} rows so far")
            count += len(chunk)
    progress(f"{label}: {count} rows")
    return count


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- Restore ------------------------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = archive.extractfile("manifest.json")
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a CreatorDesk backup (no valid manifest.json).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"The archive has format version {manifest.get('format_version')}; "
            f"this CreatorDesk reads version {FORMAT_VERSION}."
        )
    return manifest


def _verify(archive: tarfile.TarFile, manifest: dict[str, Any], progress: Progress) -> None:
    expected = {m["file"]: m["sha256"] for m in manifest["models"]}
    expected.update({f"media/{name}": meta["sha256"] for name, meta in manifest["media"].items()})
    seen: set[str] = set()
    for member in archive:
        if member.name == "manifest.json":
            continue
        if not member.isfile() or member.name not in expected:
            raise BackupError(f"The archive holds “{member.name}”, which its manifest does not list.")
        if _sha256_stream(_member(archive, member)) != expected[member.name]:
            raise BackupError(f"“{member.name}” is damaged (its SHA-256 does not match the manifest).")
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"The archive lacks {len(missing)} listed files, e.g. “{missing[0]}”.")
    progress(f"checked: {len(manifest['models'])} row files and {len(manifest['media'])} media files")


def _workspace_labels() -> set[str]:
    """What a workspace archive may hold: the workspace, rows that belong to one, and users."""
    labels = {_label(Workspace), _label(User)}
    for model in backup_models():
        if any(_is_workspace_fk(f) for f in model._meta.concrete_fields):
            labels.add(_label(model))
    return labels


def _check_contents(manifest: dict[str, Any]) -> None:
    """The manifest names only models this installation backs up and media inside the media folder."""
    if manifest.get("scope") not in ("all", "workspace"):
        raise BackupError(f"The archive has an unknown scope “{manifest.get('scope')}”.")
    if manifest["scope"] == "workspace" and not manifest.get("workspace"):
        raise BackupError("The workspace archive does not name its workspace.")
    # A workspace moves with its own rows only: the task queue, benchmarks, the admin log or sign-in
    # records are the target installation's business, and groups carry installation-wide rights.
    allowed = {_label(m) for m in backup_models()}
    if manifest["scope"] == "workspace":
        allowed &= _workspace_labels()
    labels = [entry["label"] for entry in manifest["models"]]
    unknown = sorted({label for label in labels if label not in allowed})
    if unknown:
        raise BackupError(f"A {manifest['scope']} archive cannot bring rows of {', '.join(unknown)}.")
    if len(set(labels)) != len(labels):
        raise BackupError("The archive lists the rows of a model twice.")
    for name in [*manifest["media"], *manifest.get("missing_media", [])]:
        try:
            validate_file_name(name, allow_relative_path=True)
        except SuspiciousFileOperation:
            raise BackupError(f"The archive names a media file outside the media folder: “{name}”.") from None
        if "\\" in name or PurePosixPath(name).as_posix() != name:
            raise BackupError(f"The archive names a media file in an unusual form: “{name}”.")


def _load_order(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    # This installation's order, not the manifest's: a workspace row is admitted before the rows
    # that must belong to it, and users before the rows that name them by user name.
    order = {_label(m): i for i, m in enumerate(backup_models())}
    return sorted(manifest["models"], key=lambda entry: order[entry["label"]])


def _check_schema(manifest: dict[str, Any]) -> None:
    here = _applied_migrations()
    labels = {m["label"].split(".")[0] for m in manifest["models"]}
    differ = sorted(app for app in labels if manifest["migrations"].get(app, []) != here.get(app, []))
    if differ:
        raise BackupError(
            "The database schema differs from the archive's in: "
            + ", ".join(differ)
            + ". Run `creatordesk migrate` with the CreatorDesk version that made the archive, "
            "restore, then upgrade."
        )


def _check_target(manifest: dict[str, Any]) -> None:
    if manifest["scope"] == "all":
        users, workspaces = User.objects.count(), Workspace.objects.count()
        if users or workspaces:
            raise BackupError(
                f"The database is not empty ({users} users, {workspaces} workspaces). Restore a whole "
                "installation only into a new, migrated database (or empty it with `creatordesk flush`)."
            )
        return
    if Workspace.objects.filter(slug=manifest["workspace"]).exists():
        raise BackupError(f"A workspace with the slug “{manifest['workspace']}” already exists here.")


def _deserialized(lines: Iterable[str]) -> Iterator[DeserializedObject]:
    for chunk in _chunks(lines, BATCH):
        yield from serializers.deserialize(
            "python", [json.loads(line) for line in chunk], handle_forward_references=True
        )


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    # A raw insert, as loaddata's save does, but in batches: auto_now fields keep the stored values.
    if not objects:
        return
    fields = list(model._meta.local_concrete_fields)
    size = max(1, connection.ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), size):
        query = InsertQuery(model)
        query.insert_values(fields, objects[start : start + size], raw=True)
        query.get_compiler(connection=connection).execute_sql(returning_fields=None)


class _WorkspaceGuard:
    """What a workspace restore admits: rows of the archive's one workspace that point only at each
    other, and members who get no rights beyond their memberships.

    Whoever hands over a workspace archive controls every byte of it, so nothing in it may reach
    into the rest of the installation: no superuser or staff flag, no group or permission, no row or
    membership of another workspace, no reference to a row the archive does not bring, no media file
    outside the workspace's own folders.
    """

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.workspace_id: int | None = None
        self.accepted: dict[str, set[Any]] = {}
        self.refs: dict[str, set[Any]] = {}
        self.media: set[str] = set()
        # One hash for all members: hashing is slow on purpose, and the secret behind it is thrown
        # away at once, so a shared hash tells nobody anything.
        self.unknown_password = make_password(secrets.token_urlsafe(32))

    def admit(self, model: type[models.Model], item: Any) -> None:
        obj = item.object
        label = _label(model)
        if model is Workspace:
            if obj.slug != self.slug or self.workspace_id is not None:
                raise BackupError(f"The archive holds a workspace other than “{self.slug}”: “{obj.slug}”.")
            self.workspace_id = obj.pk
        elif model is User:
            # Restored members get their workspace roles, nothing installation-wide. The archive's
            # password hash is not kept: the archive can claim any address with a password its
            # maker knows, and only a reset mailed to that address shows the member owns it
            # (docs/backup.md). A random password nobody learns, not an unusable one: Django
            # mails no reset link to a user whose password is unusable.
            obj.is_superuser = obj.is_staff = False
            obj.password = self.unknown_password
            item.m2m_data = {}
        else:
            link = next(f for f in model._meta.concrete_fields if _is_workspace_fk(f))
            if self.workspace_id is None or getattr(obj, link.attname) != self.workspace_id:
                raise BackupError(
                    f"A row of {label} (id {obj.pk}) belongs to another workspace than “{self.slug}”."
                )
        self.accepted.setdefault(label, set()).add(obj.pk)
        self.note_references(model, obj, [f for f in model._meta.concrete_fields if f.is_relation])
        for name, values in (item.m2m_data or {}).items():
            related = model._meta.get_field(name).related_model
            assert isinstance(related, type)  # a many-to-many field always names its model
            target = _label(related)
            self.refs.setdefault(target, set()).update(values)
        for field in _file_fields(model):
            name = getattr(obj, field.attname).name
            if not name:
                continue
            # Every upload path is "<kind>/<workspace id>/<random name>" (see the models' upload_to).
            parts = PurePosixPath(name).parts
            if len(parts) < 3 or parts[1] != str(self.workspace_id):
                raise BackupError(f"A row of {label} (id {obj.pk}) names another workspace's file “{name}”.")
            self.media.add(name)

    def note_references(self, model: type[models.Model], obj: models.Model, fields: list[Any]) -> None:
        for field in fields:
            value = getattr(obj, field.attname)
            if value is not None and not _is_workspace_fk(field):
                self.refs.setdefault(_label(field.related_model), set()).add(value)

    def finish(self, manifest: dict[str, Any]) -> None:
        if self.workspace_id is None:
            raise BackupError(f"The archive lacks the row of its workspace “{self.slug}”.")
        for label, ids in sorted(self.refs.items()):
            stray = sorted(ids - self.accepted.get(label, set()), key=str)
            if stray:
                raise BackupError(
                    f"Rows of the archive point at {label} ids the archive does not hold "
                    f"(e.g. {stray[0]}): they would reach into other workspaces."
                )
        unclaimed = sorted(set(manifest["media"]) - self.media)
        if unclaimed:
            raise BackupError(
                f"The archive holds media that none of its rows refers to, e.g. “{unclaimed[0]}”."
            )


def _conflicts(model: type[models.Model], objects: list[models.Model]) -> list[models.Model]:
    """For a workspace restore: rows to insert; raises when an id is taken by something else."""
    pks = [o.pk for o in objects]
    if model is User:
        users = [o for o in objects if isinstance(o, User)]
        existing = {u.pk: u.get_username() for u in User.objects.filter(pk__in=pks)}
        for user in users:
            taken = existing.get(user.pk)
            if taken is not None and taken != user.get_username():
                raise BackupError(f"User id {user.pk} belongs to another user here ({taken}).")
        names = [u.get_username() for u in users if u.pk not in existing]
        clash = User.objects.filter(username__in=names).exclude(pk__in=pks).first()
        if clash is not None:
            raise BackupError(f"The user {clash.get_username()} exists here with another id.")
        # Someone who works for several brands is already here: kept as they are.
        return [u for u in objects if u.pk not in existing]
    taken_ids = list(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True)[:3])
    if taken_ids:
        raise BackupError(
            f"Rows of {_label(model)} with ids {', '.join(map(str, taken_ids))} already exist here. "
            "A workspace can be restored only where its ids are free: into a new installation, "
            "or into the one it came from after the workspace was deleted."
        )
    return objects


def _load(
    archive: tarfile.TarFile, manifest: dict[str, Any], progress: Progress, guard: _WorkspaceGuard | None
) -> int:
    total = 0
    loaded: list[type[models.Model]] = []
    deferred: list[DeserializedObject] = []
    for entry in _load_order(manifest):
        model = apps.get_model(entry["label"])
        if guard is None:
            # A new database may hold rows its migrations seeded (benchmarks); the archive's replace them.
            model._base_manager.all().delete()
        total += _load_model(archive, entry, model, progress, guard, deferred)
        loaded.append(model)
    for item in deferred:
        item.save_deferred_fields()
        if guard is not None:
            guard.note_references(type(item.object), item.object, list(item.deferred_fields))
    if guard is not None:
        guard.finish(manifest)
    if connection.vendor == "sqlite":
        connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
    # New rows must not collide with restored ids (what `sqlsequencereset` prints, run here).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(statement)
    return total


def _load_model(
    archive: tarfile.TarFile,
    entry: dict[str, Any],
    model: type[models.Model],
    progress: Progress,
    guard: _WorkspaceGuard | None,
    deferred: list[DeserializedObject],
) -> int:
    """Insert the rows of one model's file in batches; rows with references to later ones go to `deferred`."""
    lines = io.TextIOWrapper(_member(archive, entry["file"]), encoding="utf-8")
    count = 0
    for chunk in _chunks(_deserialized(lines), BATCH):
        chunk = _admitted(entry, model, chunk, guard)
        _insert(model, [d.object for d in chunk])
        for item in chunk:
            for name, values in (item.m2m_data or {}).items():
                getattr(item.object, name).set(values)
            if item.deferred_fields:
                deferred.append(item)
        if (count + len(chunk)) // PROGRESS_EVERY > count // PROGRESS_EVERY:
            progress(f"{entry['label']}: {count + len(chunk)} rows so far")
        count += len(chunk)
    progress(f"{entry['label']}: {count} rows")
    return count


def _admitted(
    entry: dict[str, Any],
    model: type[models.Model],
    chunk: list[DeserializedObject],
    guard: _WorkspaceGuard | None,
) -> list[DeserializedObject]:
    """The rows of a batch that are to be inserted; BackupError for a row that may not be restored."""
    for item in chunk:
        if type(item.object) is not model:
            raise BackupError(f"“{entry['file']}” holds a row of another model.")
        if guard is not None:
            guard.admit(model, item)
    if guard is None:
        return chunk
    kept = {id(o) for o in _conflicts(model, [d.object for d in chunk])}
    return [d for d in chunk if id(d.object) in kept]


def _copy_media(
    archive: tarfile.TarFile, manifest: dict[str, Any], storage: Storage, progress: Progress, saved: list[str]
) -> int:
    """Copy the archive's media into `storage`; `saved` collects every name written, for a clean-up."""
    copied = 0
    for name, meta in sorted(manifest["media"].items()):
        if storage.exists(name):
            with storage.open(name, "rb") as present:
                if _sha256_stream(present) == meta["sha256"]:
                    continue
            raise BackupError(f"The storage already holds a different file named “{name}”.")
        stored = storage.save(name, File(_member(archive, f"media/{name}"), name=name))
        saved.append(stored)
        if stored != name:
            raise BackupError(f"The storage renamed “{name}” to “{stored}”.")
        copied += 1
        if copied % 100 == 0:
            progress(f"media: {copied}/{len(manifest['media'])}")
    return copied


def _remove_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            # The restore's own error is the one to report; a file left over is named in the log.
            logging.getLogger(__name__).warning("A file copied by a failed restore stayed: %s", name)


def restore(path: Path, *, progress: Progress = _quiet, storage: Storage | None = None) -> RestoreResult:
    """Load an archive made by `dump`; checks everything first, then writes in one transaction.

    A workspace archive is admitted only with its own rows and members without installation-wide
    rights (see _WorkspaceGuard); on any failure the rows are rolled back and the files copied so far
    are deleted again.
    """
    from django.core.files.storage import default_storage

    storage = storage or default_storage
    saved: list[str] = []
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = _read_manifest(archive)
            _check_contents(manifest)
            progress(
                f"archive: {manifest['scope']} of {manifest['database_vendor']}, "
                f"made {manifest['created_at']} by CreatorDesk {manifest['app_version']}"
            )
            _verify(archive, manifest, progress)
            _require_migrated()
            _check_schema(manifest)
            _check_target(manifest)
            guard = _WorkspaceGuard(manifest["workspace"]) if manifest["scope"] == "workspace" else None
            try:
                with transaction.atomic():
                    rows = _load(archive, manifest, progress, guard)
                    # Files are copied inside the transaction: a failure here leaves no rows without files.
                    files = _copy_media(archive, manifest, storage, progress, saved)
            except BaseException:
                _remove_files(storage, saved)
                raise
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"The archive cannot be read, nothing was restored: {exc}") from exc
    except DatabaseError as exc:
        raise BackupError(f"The rows could not be loaded, nothing was restored: {exc}") from exc
    except SuspiciousFileOperation as exc:
        raise BackupError(
            f"The archive names a file the storage refuses, nothing was restored: {exc}"
        ) from exc
    except (serializers.base.DeserializationError, KeyError, TypeError, ValueError) as exc:
        raise BackupError(f"The archive's rows cannot be read, nothing was restored: {exc}") from exc
    return RestoreResult(
        scope=manifest["scope"],
        rows=rows,
        files=files,
        secret_key_matches=manifest["secret_key_check"] == secret_key_check(),
    )
