from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from creatordesk.dashboard.backup import BackupError, dump


class Command(BaseCommand):
    help = "Write the whole installation, or one workspace, with its media into one .tar.gz archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="Where to write the archive, e.g. backup.tar.gz")
        parser.add_argument("--workspace", metavar="SLUG", help="Only this workspace and its members")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["archive"]
        try:
            manifest = dump(target, workspace_slug=options["workspace"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(m["rows"] for m in manifest["models"])
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {target}: {rows} rows, {len(manifest['media'])} media files.")
        )
        if manifest["missing_media"]:
            self.stderr.write(
                f"{len(manifest['missing_media'])} files named by rows were missing from storage."
            )
