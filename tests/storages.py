"""Test storages that behave like production ones this machine cannot reach."""

from __future__ import annotations

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage


class ObjectStorage(Storage):
    """Keeps files in memory and, like object storage (S3), has no local file paths."""

    files: dict[str, bytes] = {}

    def _save(self, name: str, content: File) -> str:
        self.files[name] = b"".join(content.chunks())
        return name

    def _open(self, name: str, mode: str = "rb") -> File:
        return ContentFile(self.files[name], name=name)

    def exists(self, name: str) -> bool:
        return name in self.files

    def delete(self, name: str) -> None:
        self.files.pop(name, None)

    def size(self, name: str) -> int:
        return len(self.files[name])

    def path(self, name: str) -> str:
        raise NotImplementedError("object storage has no local paths")
