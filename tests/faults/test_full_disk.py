"""A full media disk: every upload path answers with a clear message and leaves no row and no file.

The disk is real: a 2 MB tmpfs (or, where tmpfs cannot be mounted, a loop-mounted ext4 image)
becomes MEDIA_ROOT, and a clip larger than that is uploaded through the web views and the API.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from creatordesk.creators.portal import portal_token_for
from creatordesk.reviews import services
from creatordesk.reviews.models import Submission, Version

pytestmark = pytest.mark.django_db

FULL_MESSAGE = "The server&#x27;s storage is full; the upload was not saved."
DISK_BYTES = 2 * 1024**2


def _mount(folder: Path, image: Path) -> str | None:
    """Mount a small filesystem at `folder`; returns why not, or None when mounted."""
    tmpfs = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if tmpfs.returncode == 0:
        return None
    with image.open("wb") as handle:
        handle.truncate(DISK_BYTES)
    steps = [["mkfs.ext4", "-q", "-F", str(image)], ["mount", "-o", "loop", str(image), str(folder)]]
    for step in steps:
        if shutil.which(step[0]) is None:
            return f"{step[0]} is missing and tmpfs failed: {tmpfs.stderr.strip()}"
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return f"cannot mount a small filesystem: {tmpfs.stderr.strip()}; {done.stderr.strip()}"
    return None


@pytest.fixture
def full_disk(settings, tmp_path: Path) -> Iterator[Path]:
    """MEDIA_ROOT on its own 2 MB filesystem."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    why = _mount(folder, tmp_path / "small-disk.img")
    if why is not None:
        pytest.skip(why)
    settings.MEDIA_ROOT = str(folder)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture(autouse=True)
def _own_upload_folder(settings, tmp_path: Path) -> None:
    # Upload files of tests running in another process must not look like ones these tests left.
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)


@pytest.fixture(scope="module")
def big_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real, valid video of about 3 MB: more than the small disk holds."""
    path = tmp_path_factory.mktemp("big") / "big.mp4"
    subprocess.run(
        [
            "ffmpeg", "-y", "-loglevel", "error",
            "-f", "lavfi", "-i", "color=c=0x335577:s=180x320:d=1:r=25",
            "-vf", "noise=alls=100:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
            "-pix_fmt", "yuv420p", str(path),
        ],
        check=True,
    )  # fmt: skip
    assert path.stat().st_size > DISK_BYTES
    return path


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _temp_files() -> set[str]:
    return set(os.listdir(django_settings.FILE_UPLOAD_TEMP_DIR))


@contextlib.contextmanager
def _leaves_nothing(media: Path) -> Iterator[None]:
    versions, temp = Version.objects.count(), _temp_files()
    yield
    assert _files(media) == []
    assert _temp_files() <= temp
    assert Version.objects.count() == versions


def test_a_full_disk_answers_the_staff_upload_with_a_message_and_leaves_nothing(
    side_a, full_disk, big_clip, claim_clip, login_as
) -> None:
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Serum", actor=side_a.manager
    )
    client = login_as(side_a.manager)
    with _leaves_nothing(full_disk), big_clip.open("rb") as handle:
        response = client.post(f"/reviews/{submission.pk}/versions/new/", {"file": handle})
    assert response.status_code == 507
    assert FULL_MESSAGE in response.content.decode()
    # The disk is not left clogged: a clip that fits is stored right after.
    with claim_clip.open("rb") as handle:
        response = client.post(f"/reviews/{submission.pk}/versions/new/", {"file": handle})
    assert response.status_code == 302
    assert list(submission.versions.values_list("number", flat=True)) == [1]
    assert len(_files(full_disk)) == 1


def test_a_full_disk_leaves_no_empty_submission_behind_a_new_submission(
    side_a, full_disk, big_clip, login_as
) -> None:
    form = {"collaboration": side_a.collaboration.pk, "title": "Serum", "caption": ""}
    with _leaves_nothing(full_disk), big_clip.open("rb") as handle:
        response = login_as(side_a.manager).post("/reviews/new/", {**form, "file": handle})
    assert response.status_code == 507
    assert FULL_MESSAGE in response.content.decode()
    assert not Submission.objects.filter(title="Serum").exists()


def test_a_full_disk_answers_the_creator_portal_with_a_message(side_a, full_disk, big_clip, client) -> None:
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Serum", actor=side_a.creator
    )
    url = f"/creators/portal/{portal_token_for(side_a.creator)}/submissions/{submission.pk}/versions/new/"
    with _leaves_nothing(full_disk), big_clip.open("rb") as handle:
        response = client.post(url, {"file": handle})
    assert response.status_code == 507
    assert FULL_MESSAGE in response.content.decode()


def test_a_full_disk_answers_the_api_with_507_and_a_message(side_a, full_disk, big_clip, client) -> None:
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Serum", actor=side_a.manager
    )
    with _leaves_nothing(full_disk), big_clip.open("rb") as handle:
        response = client.post(
            f"/api/submissions/{submission.pk}/versions",
            {"file": handle},
            headers={"Authorization": f"Bearer {side_a.token}"},
        )
    assert response.status_code == 507
    assert "storage is full" in response.json()["detail"]


def test_a_full_upload_temp_folder_gives_the_same_message_and_leaves_nothing(
    side_a, full_disk, big_clip, settings, login_as, client
) -> None:
    # By default uploads are received into var/tmp next to var/media: one disk for both.
    settings.FILE_UPLOAD_TEMP_DIR = str(full_disk / "tmp")
    (full_disk / "tmp").mkdir()
    submission = services.submission_create(
        collaboration=side_a.collaboration, title="Serum", actor=side_a.manager
    )
    versions = Version.objects.count()
    with big_clip.open("rb") as handle:
        response = login_as(side_a.manager).post(f"/reviews/{submission.pk}/versions/new/", {"file": handle})
    assert response.status_code == 507
    assert FULL_MESSAGE in response.content.decode()
    url = f"/creators/portal/{portal_token_for(side_a.creator)}/collaborations/{side_a.collaboration.pk}/"
    with big_clip.open("rb") as handle:
        response = client.post(url, {"title": "Serum", "file": handle})
    assert response.status_code == 400
    assert FULL_MESSAGE in response.content.decode()
    assert _files(full_disk) == []
    assert Version.objects.count() == versions


def test_a_stored_file_is_complete_and_no_partial_file_stays_behind(tmp_path: Path, big_clip: Path) -> None:
    from django.core.files.storage import FileSystemStorage

    from creatordesk.reviews.uploads import store_file

    storage = FileSystemStorage(location=tmp_path)
    name = store_file(storage, f"submissions/1/{uuid.uuid4().hex}.mp4", big_clip)
    assert (tmp_path / name).read_bytes() == big_clip.read_bytes()
    assert _files(tmp_path) == [name]
