"""Derive each post's newest figures and the daily totals again from the stored snapshots."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from creatordesk.accounts.models import Workspace
from creatordesk.performance.ingest import figures_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild posts' newest figures and the dashboard's daily totals from the snapshots "
        "(after snapshots or posts were changed directly in the database)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workspace", type=int, help="only this workspace id")

    def handle(self, *args: Any, **options: Any) -> None:
        workspaces = Workspace.objects.order_by("pk")
        if options["workspace"] is not None:
            workspaces = workspaces.filter(pk=options["workspace"])
        for workspace in workspaces:
            posts = figures_rebuild(workspace_id=workspace.pk)
            self.stdout.write(f"{workspace.name}: {posts} posts")
