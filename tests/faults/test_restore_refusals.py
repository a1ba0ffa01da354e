"""`creatordesk restore` of a workspace archive admits the workspace's own rows and nothing else,
leaves no file behind when it fails, and `dump` lets everyone else keep writing meanwhile.

A workspace archive is handed over by whoever runs the brand, so every test here edits an honest
archive the way a hostile one would look (and fixes its checksums, which anyone can do) and checks
what the target installation ends up with.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from conftest import PASSWORD
from creatordesk.accounts.models import Membership, User, Workspace
from creatordesk.campaigns.products import product_create, product_image_add
from creatordesk.creators.models import Creator
from creatordesk.dashboard.backup import BackupError, dump, restore
from creatordesk.reviews import services as reviews

Rows = list[dict[str, Any]]


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _edit(
    archive: Path,
    target: Path,
    *,
    rows: dict[str, Callable[[Rows], Rows]] | None = None,
    media: dict[str, bytes] | None = None,
) -> None:
    """Write `archive` to `target` with rows changed or added and extra media, checksums made to fit."""
    with tarfile.open(archive, "r:gz") as source:
        members = {m.name: source.extractfile(m).read() for m in source}  # type: ignore[union-attr]
    manifest = json.loads(members.pop("manifest.json"))
    entries = {entry["label"]: entry for entry in manifest["models"]}
    for label, change in (rows or {}).items():
        entry = entries.get(label) or {"label": label, "file": f"rows/{label}.jsonl"}
        if label not in entries:
            manifest["models"].append(entry)
        old = [json.loads(line) for line in members.get(entry["file"], b"").decode().splitlines()]
        new = change(old)
        data = "".join(json.dumps(row) + "\n" for row in new).encode()
        members[entry["file"]] = data
        entry.update(rows=len(new), sha256=hashlib.sha256(data).hexdigest())
    for name, data in (media or {}).items():
        members[f"media/{name}"] = data
        manifest["media"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as out:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def _gone(side) -> tuple[str, list[str]]:
    """Delete the workspace and its people, as when it moves into a fresh installation."""
    slug = side.workspace.slug
    emails = [side.owner.email, side.manager.email, side.reviewer.email, side.viewer.email]
    side.workspace.delete()
    User.objects.filter(email__in=emails).delete()
    return slug, emails


def _dumped(side, tmp_path: Path) -> Path:
    archive = tmp_path / "a.tar.gz"
    dump(archive, workspace_slug=side.workspace.slug)
    return archive


@pytest.mark.django_db
def test_restored_members_get_no_installation_rights_and_must_reset_their_password(
    side_a, media: Path, tmp_path: Path
) -> None:
    archive = _dumped(side_a, tmp_path)
    admins = Group.objects.create(name="Admins")
    slug, emails = _gone(side_a)

    def promote(users: Rows) -> Rows:
        for user in users:
            user["fields"].update(is_superuser=True, is_staff=True, groups=[[admins.name]])
        return users

    hostile = tmp_path / "hostile.tar.gz"
    _edit(archive, hostile, rows={"accounts.user": promote})
    restore(hostile)

    restored = User.objects.filter(email__in=emails)
    assert restored.count() == 4
    for user in restored:
        assert not user.is_superuser and not user.is_staff and not user.groups.exists()
        # Nobody can sign in with the password the archive carried, but a reset link reaches the inbox.
        assert not user.check_password(PASSWORD) and user.has_usable_password()
        assert list(PasswordResetForm().get_users(user.email)) == [user]
    assert Membership.objects.filter(workspace__slug=slug).count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "label, change, message",
    [
        (
            "accounts.membership",
            lambda rows, b: [
                *rows,
                {**rows[0], "pk": 99_001, "fields": {**rows[0]["fields"], "workspace": b.workspace.pk}},
            ],
            "belongs to another workspace",
        ),
        (
            "campaigns.collaboration",
            lambda rows, b: [{**rows[0], "fields": {**rows[0]["fields"], "creator": b.creator.pk}}],
            r"point at creators\.creator ids",
        ),
        (
            "admin.logentry",
            lambda rows, b: [{"model": "admin.logentry", "pk": 99_002, "fields": {}}],
            r"cannot bring rows of admin\.logentry",
        ),
    ],
    ids=["membership-in-another-workspace", "reference-into-another-workspace", "admin-log"],
)
def test_a_workspace_archive_reaching_into_the_rest_of_the_installation_is_refused_whole(
    side_a, side_b, media: Path, tmp_path: Path, label: str, change: Any, message: str
) -> None:
    archive = _dumped(side_a, tmp_path)
    slug, _emails = _gone(side_a)
    before = sorted(Membership.objects.values_list("pk", "workspace_id", "user_id"))

    hostile = tmp_path / "hostile.tar.gz"
    _edit(archive, hostile, rows={label: lambda rows: change(rows, side_b)})
    with pytest.raises(BackupError, match=message):
        restore(hostile)

    assert not Workspace.objects.filter(slug=slug).exists()
    assert sorted(Membership.objects.values_list("pk", "workspace_id", "user_id")) == before
    assert Creator.objects.get(pk=side_b.creator.pk).collaborations.count() == 1


@pytest.mark.django_db
def test_a_row_naming_another_workspaces_file_or_a_file_no_row_names_is_refused(
    side_a, side_b, media: Path, tmp_path: Path
) -> None:
    product = product_create(workspace=side_a.workspace, name="Serum")
    theirs = product_image_add(
        product=product_create(workspace=side_b.workspace, name="Theirs"),
        upload=ContentFile(_png(), name="b.png"),
    )
    product_image_add(product=product, upload=ContentFile(_png(), name="a.png"))
    archive = _dumped(side_a, tmp_path)
    _gone(side_a)

    def steal(images: Rows) -> Rows:
        images[0]["fields"]["image"] = theirs.image.name
        return images

    stealing = tmp_path / "stealing.tar.gz"
    _edit(archive, stealing, rows={"campaigns.productimage": steal})
    with pytest.raises(BackupError, match="another workspace's file"):
        restore(stealing)

    smuggling = tmp_path / "smuggling.tar.gz"
    _edit(archive, smuggling, media={f"products/{side_b.workspace.pk}/planted.png": b"x"})
    with pytest.raises(BackupError, match="none of its rows refers to"):
        restore(smuggling)
    assert not default_storage.exists(f"products/{side_b.workspace.pk}/planted.png")


@pytest.mark.django_db
def test_a_whole_installation_archive_with_an_unknown_model_is_refused(media: Path, tmp_path: Path) -> None:
    archive, edited = tmp_path / "all.tar.gz", tmp_path / "edited.tar.gz"
    dump(archive)
    _edit(
        archive, edited, rows={"auth.permission": lambda rows: [{"model": "auth.permission", "fields": {}}]}
    )
    with pytest.raises(BackupError, match=r"cannot bring rows of auth\.permission"):
        restore(edited)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), (20, 120, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_a_media_name_leading_out_of_the_media_folder_is_a_clear_refusal(
    side_a, media: Path, tmp_path: Path
) -> None:
    archive = _dumped(side_a, tmp_path)
    _gone(side_a)
    escaping = tmp_path / "escaping.tar.gz"
    _edit(archive, escaping, media={"../outside.txt": b"x"})
    with pytest.raises(BackupError, match="outside the media folder"):
        restore(escaping)
    assert not (tmp_path / "outside.txt").exists()


@pytest.mark.django_db
def test_a_restore_that_fails_midway_removes_the_files_it_had_copied(
    side_a, media: Path, tmp_path: Path, claim_clip: Path
) -> None:
    image = product_image_add(
        product=product_create(workspace=side_a.workspace, name="Serum"),
        upload=ContentFile(_png(), name="a.png"),
    )
    submission = reviews.submission_create(
        collaboration=side_a.collaboration, title="Clip", actor=side_a.creator
    )
    version = reviews.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=claim_clip,
        original_name="c.mp4",
        by_user=side_a.manager,
    )
    archive = _dumped(side_a, tmp_path)
    slug, _emails = _gone(side_a)
    # The product picture ("products/…") is copied first, then the video's name is found taken.
    image_name, video_name = str(image.image.name), str(version.file.name)
    default_storage.delete(image_name)
    default_storage.delete(video_name)
    default_storage.save(video_name, ContentFile(b"someone else's video"))

    with pytest.raises(BackupError, match="different file"):
        restore(archive)
    assert not default_storage.exists(image_name)
    assert not Workspace.objects.filter(slug=slug).exists()


@pytest.mark.django_db(transaction=True)
def test_others_can_write_to_sqlite_while_a_dump_reads_its_snapshot(
    side_a, media: Path, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL readers never block writers")
    creator = side_a.creator
    writes: list[str] = []

    def write_meanwhile(message: str) -> None:
        if writes or not message.startswith("accounts.user:"):
            return
        # Another process, not waiting at all: a held write lock fails this at once.
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
        try:
            other.execute("UPDATE creators_creator SET display_name = 'Renamed' WHERE id = ?", (creator.pk,))
            other.commit()
            writes.append("committed")
        finally:
            other.close()

    archive = tmp_path / "a.tar.gz"
    dump(archive, workspace_slug=side_a.workspace.slug, progress=write_meanwhile)

    assert writes == ["committed"]
    creator.refresh_from_db()
    assert creator.display_name == "Renamed"
    with tarfile.open(archive, "r:gz") as source:
        rows = source.extractfile("rows/creators.creator.jsonl").read().decode()  # type: ignore[union-attr]
    # The archive is one snapshot, taken before the write.
    names = {json.loads(line)["fields"]["display_name"] for line in rows.splitlines()}
    assert "Renamed" not in names and creator.pk in {json.loads(line)["pk"] for line in rows.splitlines()}
