"""`creatordesk dump` and `restore`: a backup gives back identical rows and files, also on another database.

The cross-database test runs `migrate`, `restore`, `dump` and a row listing as real `creatordesk`
processes against PostgreSQL databases it creates and drops itself (about a minute, nearly all of
it Django starting five times and one `migrate`); the rest runs in-process in a few seconds.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from creatordesk.accounts.models import Workspace
from creatordesk.campaigns.products import product_create, product_image_add
from creatordesk.creators.models import Creator
from creatordesk.dashboard.backup import BackupError, backup_models, dump, restore
from creatordesk.dashboard.demo import load_demo
from creatordesk.performance.connections import connection_save, connection_values
from creatordesk.performance.models import MetricSnapshot, PlatformConnection
from creatordesk.reviews import services as reviews

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgres://postgres@127.0.0.1:5432/"
CREDENTIALS = {"business_id": "bc-4711", "access_token": "tok-geheim-ü"}


def rows_snapshot(workspace_slug: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every row of every backed-up model, all field values and many-to-many ids, as plain JSON."""
    from creatordesk.dashboard.backup import _querysets

    workspace = Workspace.objects.get(slug=workspace_slug) if workspace_slug else None
    snapshot = {}
    for label, queryset in _querysets(workspace):
        model = queryset.model
        names = [f.attname for f in model._meta.concrete_fields]
        rows = []
        for obj in queryset:
            row = {name: getattr(obj, name) for name in names}
            for m2m in model._meta.many_to_many:
                row[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
            rows.append(row)
        snapshot[label] = json.loads(json.dumps(rows, default=str))
    return snapshot


def _media_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _populate(claim_clip: Path) -> Workspace:
    """The demo workspace (with its key visual) plus a reviewed video, a product picture and encrypted
    API credentials."""
    workspace = load_demo()
    creator = Creator.objects.for_workspace(workspace).get(tiktok_handle="tomtestet")
    collaboration = creator.collaborations.get()
    submission = reviews.submission_create(collaboration=collaboration, title="Serum-Video", actor=creator)
    version = reviews.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="serum.mp4",
        caption="Werbung",
        by_creator=creator,
    )
    reviews.comment_add(version=version, body="Bitte das Logo früher zeigen", start_s=1.5)
    product = product_create(workspace=workspace, name="Nachtcreme")
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (64, 64), (200, 40, 40)).save(png, "PNG")
    product_image_add(product=product, upload=ContentFile(png.getvalue(), name="packshot.png"))
    owner = workspace.memberships.get(role="owner").user
    connection_save(workspace=workspace, kind="tiktok_business", values=CREDENTIALS, user=owner)
    return workspace


# --- Across databases, with real processes --------------------------------------------------------


@pytest.fixture
def postgres() -> Iterator[Any]:
    """Creates PostgreSQL databases for the test and drops them afterwards."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(SERVER + "postgres", autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server at {SERVER}: {exc}")
    created: list[str] = []

    def create(template: str | None = None) -> str:
        name = f"cd_restore_{secrets.token_hex(4)}"
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        created.append(name)
        return name

    yield create
    for name in reversed(created):
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _run(database: str, var_dir: Path, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": SERVER + database,
        "CREATORDESK_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "SECRET_KEY": settings.SECRET_KEY,  # the credentials stay readable only with the same key
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "creatordesk"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def run_steps(steps: list[list[str]]) -> None:
    """What one `creatordesk shell -c` process does: real commands, then what a test compares.

    Each Django start costs seconds on a busy machine, so the steps of one database share a process.
    """
    from django.core.management import call_command

    from creatordesk.accounts.services import user_create, workspace_create

    results: list[Any] = []
    for step, *args in steps:
        if step == "snapshot":
            credentials = [connection_values(c) for c in PlatformConnection.objects.order_by("pk")]
            results.append({"rows": rows_snapshot(args[0] or None), "credentials": credentials})
        elif step == "new_workspace":
            owner = user_create(email="new@owner.example", password="a-long-test-password-9")
            results.append(workspace_create(name="New brand", owner=owner).pk)
        else:
            out = io.StringIO()
            call_command(step, *args, stdout=out)
            results.append(out.getvalue())
    sys.stdout.write("\n" + json.dumps(results))


def _steps(database: str, var_dir: Path, *steps: list[str]) -> Any:
    call = f"from tests.faults.test_dump_restore import run_steps; run_steps({list(steps)!r})"
    return json.loads(_run(database, var_dir, "shell", "--no-imports", "-c", call).splitlines()[-1])


@pytest.mark.django_db
def test_a_dump_restored_into_an_empty_postgresql_database_gives_identical_rows_and_files(
    media: Path, tmp_path: Path, claim_clip: Path, postgres: Any
) -> None:
    workspace = _populate(claim_clip)
    source: dict[str, Any] = {"rows": rows_snapshot(), "credentials": [CREDENTIALS]}
    # The video, the product picture and the demo's key visual.
    assert MetricSnapshot.objects.count() > 100 and len(_media_hashes(media)) == 3
    archive = tmp_path / "all.tar.gz"
    manifest = dump(archive)
    assert manifest["database_vendor"] == connection.vendor and manifest["scope"] == "all"

    empty = postgres()
    _run(empty, tmp_path / "migrate", "migrate", "--no-input", "-v0")
    first, second, third = (postgres(template=empty) for _ in range(3))

    # From this run's database (SQLite or PostgreSQL) into PostgreSQL, with the real command ...
    first_dir, again = tmp_path / "first", tmp_path / "again.tar.gz"
    out = _run(first, first_dir, "restore", str(archive))
    assert "creators.creator: 6 rows" in out and "Restored all" in out
    restored, _out = _steps(first, first_dir, ["snapshot", ""], ["dump", str(again)])
    assert restored == source
    assert _media_hashes(first_dir / "media") == _media_hashes(media)

    # ... and from that PostgreSQL database into another one, where new rows get fresh ids.
    second_dir = tmp_path / "second"
    _out, restored, new_id = _steps(
        second, second_dir, ["restore", str(again)], ["snapshot", ""], ["new_workspace"]
    )
    assert restored == source
    assert _media_hashes(second_dir / "media") == _media_hashes(media)
    assert new_id > max(row["id"] for row in source["rows"]["accounts.workspace"])

    # A single workspace goes into a database of its own with its members and nothing else.
    workspace_archive = tmp_path / "one.tar.gz"
    dump(workspace_archive, workspace_slug=workspace.slug)
    _out, restored, everything = _steps(
        third,
        tmp_path / "third",
        ["restore", str(workspace_archive)],
        ["snapshot", workspace.slug],
        ["snapshot", ""],
    )
    # Members arrive without their password: each sets a new one through "Forgot your password?".
    source_passwords = {u["password"] for u in rows_snapshot(workspace.slug)["accounts.user"]}
    assert not source_passwords & {u["password"] for u in restored["rows"]["accounts.user"]}
    assert restored["credentials"] == [CREDENTIALS]
    assert _without_passwords(restored["rows"]) == _without_passwords(rows_snapshot(workspace.slug))
    assert len(everything["rows"]["accounts.workspace"]) == 1
    assert everything["rows"]["accounts.user"] == restored["rows"]["accounts.user"]


def _without_passwords(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    users = [{**user, "password": None} for user in rows["accounts.user"]]
    return {**rows, "accounts.user": users}


# --- In-process: refusals and a workspace restored next to others ---------------------------------


def _rewrite(archive: Path, target: Path, change: dict[str, bytes]) -> None:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            data = change.get(member.name, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


@pytest.mark.django_db
def test_a_damaged_or_truncated_archive_is_refused_and_changes_nothing(
    side_a, media: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "a.tar.gz"
    dump(archive, workspace_slug=side_a.workspace.slug)
    side_a.workspace.delete()
    before = rows_snapshot()

    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(archive, damaged, {"rows/creators.creator.jsonl": b'{"model": "creators.creator"}\n'})
    with pytest.raises(BackupError, match=r"creators\.creator\.jsonl.*damaged"):
        restore(damaged)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(BackupError, match=r"cannot be read|not a CreatorDesk backup"):
        restore(truncated)
    assert rows_snapshot() == before


@pytest.mark.django_db
def test_a_whole_installation_is_not_restored_over_existing_data(side_a, media: Path, tmp_path: Path) -> None:
    archive = tmp_path / "all.tar.gz"
    dump(archive)
    with pytest.raises(BackupError, match="not empty"):
        restore(archive)


@pytest.mark.django_db
def test_a_deleted_workspace_comes_back_from_its_dump_next_to_the_other_workspaces(
    side_a, side_b, media: Path, tmp_path: Path, claim_clip: Path
) -> None:
    submission = reviews.submission_create(
        collaboration=side_a.collaboration, title="Clip", actor=side_a.creator
    )
    reviews.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="c.mp4",
        by_user=side_a.manager,
    )
    slug = side_a.workspace.slug
    kept, other = rows_snapshot(slug), rows_snapshot(side_b.workspace.slug)
    archive = tmp_path / "a.tar.gz"
    dump(archive, workspace_slug=slug)
    with pytest.raises(BackupError, match="already exists"):
        restore(archive)

    side_a.workspace.delete()
    result = restore(archive)
    assert result.scope == "workspace" and result.secret_key_matches
    assert rows_snapshot(slug) == kept
    assert rows_snapshot(side_b.workspace.slug) == other


@pytest.mark.django_db
def test_a_workspace_is_refused_where_its_ids_are_taken_by_other_rows(
    side_a, media: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "a.tar.gz"
    dump(archive, workspace_slug=side_a.workspace.slug)
    # The workspace is gone, but its creator's id now belongs to a creator of another workspace.
    creator_id = side_a.creator.pk
    side_a.workspace.delete()
    stranger = Workspace.objects.create(name="Other", slug="other")
    Creator.objects.create(pk=creator_id, workspace=stranger, display_name="Someone else")
    with pytest.raises(BackupError, match=r"creators\.creator with ids"):
        restore(archive)
    assert not Workspace.objects.filter(slug=side_a.workspace.slug).exists()


def test_every_model_with_rows_is_in_the_archive() -> None:
    labels = {m._meta.label_lower for m in backup_models()}
    assert {"creators.creator", "reviews.version", "performance.metricsnapshot", "accounts.user"} <= labels
    assert "sessions.session" not in labels
