from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from creatordesk.dashboard.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Load an archive made by `creatordesk dump` into this (migrated) database and media storage. "
        "Everything is checked first; a damaged archive or a clash changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore(options["archive"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Restored {result.scope}: {result.rows} rows, {result.files} media files.")
        )
        if result.scope == "workspace":
            self.stdout.write(
                "Restored members have no password here yet: each sets one with “Forgot your "
                "password?” on the sign-in page (docs/backup.md)."
            )
        if not result.secret_key_matches:
            self.stderr.write(
                "SECRET_KEY differs from the one the archive was made with: stored platform credentials "
                "cannot be read and must be entered again (docs/backup.md)."
            )
