from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from creatordesk.dashboard.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo workspace (safe to run again: existing demo data is kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = load_demo()
        self.stdout.write(
            f"Demo workspace '{workspace.name}' ready. Log in as manager@lumenhaut.example / {DEMO_PASSWORD}"
        )
