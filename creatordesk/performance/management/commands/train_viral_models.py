"""Train each workspace's early-views model on its own posts (run it nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from creatordesk.accounts.models import Workspace
from creatordesk.performance.models import Post
from creatordesk.performance.services import peers_load
from creatordesk.performance.viral_live import workspace_model_train


class Command(BaseCommand):
    help = "Train the viral detection model of every workspace that has enough followed posts."

    def handle(self, *args: Any, **options: Any) -> None:
        for workspace in Workspace.objects.all():
            curves: dict[int, list[tuple[float, int]]] = {}
            creators: dict[int, int] = {}
            platforms = Post.objects.filter(workspace=workspace).values_list("platform", flat=True).distinct()
            for platform in platforms:
                peers = peers_load(workspace_id=workspace.pk, platform=platform)
                curves.update(peers.curves)
                creators.update({p.pk: p.collaboration.creator_id for p in peers.posts})
            path = workspace_model_train(workspace_id=workspace.pk, curves=curves, creators=creators)
            status = f"trained, saved to {path}" if path else "not enough posts followed for 30 days yet"
            self.stdout.write(f"{workspace.name}: {status}")
