"""A local file path for a stored file, copying it from remote storage (S3) in chunks when needed."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db.models.fields.files import FieldFile

from creatordesk.lib.process_tags import scratch_prefix


@contextmanager
def local_copy(field_file: FieldFile, scratch_dir: Path) -> Iterator[Path]:
    try:
        yield Path(field_file.path)
        return
    except NotImplementedError:  # the storage has no local paths (object storage)
        pass
    suffix = Path(field_file.name or "").suffix
    scratch_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(prefix=scratch_prefix("copy"), suffix=suffix, dir=scratch_dir) as copy:
        with field_file.storage.open(field_file.name or "", "rb") as source:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        copy.flush()
        yield Path(copy.name)
