"""Queue every periodic task that has no run waiting (metrics poll, recovery of stalled work)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from creatordesk.dashboard.tasks import PERIODIC, periodic_ensure_scheduled


class Command(BaseCommand):
    help = "Queue the periodic tasks that are not queued yet; safe to run any number of times."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = periodic_ensure_scheduled()
        for task in PERIODIC:
            state = "queued" if task.name in queued else "already queued"
            self.stdout.write(f"{task.name}: {state}")
