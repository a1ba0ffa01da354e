"""The fixed cast shared by the suite: two workspaces, one user of each role, creators on both sides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from creatordesk.accounts.models import Role, User, Workspace
from creatordesk.accounts.services import api_token_create, membership_set, user_create, workspace_create
from creatordesk.campaigns.models import Campaign, Collaboration
from creatordesk.campaigns.services import campaign_create, collaboration_create
from creatordesk.creators.models import Creator
from creatordesk.creators.services import creator_create
from creatordesk.reviews.tests.clips import CLAIM, CLEAN, make_clip

PASSWORD = "a-long-test-password-9"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The production hasher takes ~0.3 s per password on purpose; the suite creates hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    # A request through the test client leaves its language active in the thread; each test starts in
    # the site's default language, as a new request would.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@dataclass
class Side:
    """Everything one workspace holds in the cast."""

    workspace: Workspace
    owner: User
    manager: User
    reviewer: User
    viewer: User
    creator: Creator
    other_creator: Creator
    campaign: Campaign
    collaboration: Collaboration
    token: str
    extra: dict[str, Any] = field(default_factory=dict)


def _side(prefix: str) -> Side:
    owner = user_create(email=f"owner@{prefix}.example", password=PASSWORD, first_name="Owner")
    workspace = workspace_create(name=f"Brand {prefix.upper()}", owner=owner)
    users = {}
    for role in (Role.MANAGER, Role.REVIEWER, Role.VIEWER):
        users[role] = user_create(
            email=f"{role}@{prefix}.example", password=PASSWORD, first_name=role.title()
        )
        membership_set(workspace=workspace, user=users[role], role=role)
    creator = creator_create(
        workspace=workspace, display_name=f"Creator {prefix}", tiktok_handle=f"{prefix}_one"
    )
    other = creator_create(
        workspace=workspace, display_name=f"Second {prefix}", tiktok_handle=f"{prefix}_two"
    )
    campaign = campaign_create(workspace=workspace, name=f"Campaign {prefix}")
    collaboration = collaboration_create(campaign=campaign, creator=creator)
    _token, raw = api_token_create(workspace=workspace, user=users[Role.MANAGER], name="test")
    return Side(
        workspace=workspace,
        owner=owner,
        manager=users[Role.MANAGER],
        reviewer=users[Role.REVIEWER],
        viewer=users[Role.VIEWER],
        creator=creator,
        other_creator=other,
        campaign=campaign,
        collaboration=collaboration,
        token=raw,
    )


@pytest.fixture
def side_a(db: None) -> Side:
    return _side("alpha")


@pytest.fixture
def side_b(db: None) -> Side:
    return _side("beta")


@pytest.fixture
def login_as() -> object:
    """`login_as(user)` gives a test client signed in as that user."""

    def _login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def claim_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 7 s 9:16 clip in which a voice makes a medical claim at 3 s."""
    return make_clip(tmp_path_factory.mktemp("clips") / "claim.mp4", CLAIM)


@pytest.fixture(scope="session")
def clean_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "clean.mp4", CLEAN)
