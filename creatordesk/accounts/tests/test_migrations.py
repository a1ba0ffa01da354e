"""Tokens that existed before expiry was introduced get one: 90 days after their creation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_api_token_expiry_and_throttle_hits")]


@pytest.fixture
def latest_schema_afterwards() -> Iterator[None]:
    """Going back to accounts 0001 unapplies every migration that depends on a later one (the shop's,
    for one); the tests after this one need all of them again."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_expire_ninety_days_after_creation(latest_schema_afterwards: None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Workspace = old_apps.get_model("accounts", "Workspace")
    User = old_apps.get_model("accounts", "User")
    ApiToken = old_apps.get_model("accounts", "ApiToken")
    workspace = Workspace.objects.create(name="Old", slug="old")
    user = User.objects.create(username="old@example.com", email="old@example.com")
    token = ApiToken.objects.create(
        workspace=workspace, user=user, name="old", digest="d" * 64, prefix="cd_old"
    )
    created = timezone.now() - timedelta(days=100)
    ApiToken.objects.filter(pk=token.pk).update(created_at=created)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    new_apps = executor.loader.project_state(AFTER).apps
    migrated = new_apps.get_model("accounts", "ApiToken").objects.get(pk=token.pk)
    assert migrated.expires_at == created + timedelta(days=90)  # already expired: 100 days old
