from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from django.core.files.storage import FileSystemStorage
from moto import mock_aws

from creatordesk.reviews import services
from creatordesk.reviews.uploads import store_file

BUCKET = "creatordesk-media"


def test_store_file_never_overwrites_a_file_that_has_the_name_already(tmp_path: Path) -> None:
    source = tmp_path / "new.mp4"
    source.write_bytes(b"new video")
    storage = FileSystemStorage(location=tmp_path / "media")
    first = store_file(storage, "submissions/1/clip.mp4", source)
    source.write_bytes(b"other video")
    second = store_file(storage, "submissions/1/clip.mp4", source)
    assert first != second
    assert storage.open(first).read() == b"new video"
    assert storage.open(second).read() == b"other video"
    assert sorted(p.name for p in (tmp_path / "media" / "submissions" / "1").iterdir()) == sorted(
        Path(n).name for n in (first, second)
    )


@pytest.mark.django_db
def test_uploads_to_s3_storage_are_stored_as_one_object_each(side_a, claim_clip: Path, settings) -> None:
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = settings.STORAGES | {
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "region_name": "us-east-1", "file_overwrite": False},
            }
        }
        submission = services.submission_create(
            collaboration=side_a.collaboration, title="Serum", actor=side_a.manager
        )
        versions = [
            services.submission_submit(
                collaboration=submission.collaboration,
                submission=submission,
                source=claim_clip,
                original_name="clip.mp4",
                by_user=side_a.manager,
            )
            for _ in range(2)
        ]
        keys = sorted(
            o["Key"]
            for o in boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket=BUCKET)["Contents"]
        )
        assert keys == sorted(v.file.name or "" for v in versions)
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].file.open("rb").read() == claim_clip.read_bytes()
