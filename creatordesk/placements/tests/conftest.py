"""A performance marketer in the cast, and workspace A holding the demo's placement rows."""

from __future__ import annotations

import pytest

from creatordesk.accounts.models import Role
from creatordesk.accounts.services import api_token_create, membership_set, user_create
from creatordesk.placements.demo import DEMO_START, load_placements_demo

PASSWORD = "a-long-test-password-9"


@pytest.fixture
def marketer(side_a):
    user = user_create(email="performance@alpha.example", password=PASSWORD, first_name="Paula")
    membership_set(workspace=side_a.workspace, user=user, role=Role.PERFORMANCE)
    return user


@pytest.fixture
def marketer_token(side_a, marketer) -> str:
    _token, raw = api_token_create(workspace=side_a.workspace, user=marketer, name="ads")
    return raw


@pytest.fixture
def with_rows(side_a):
    """Workspace A with four weeks of rows: an always-on campaign and an exclusion test's two cells."""
    load_placements_demo(workspace=side_a.workspace)
    return side_a


__all__ = ["DEMO_START"]
