from __future__ import annotations

import pytest
from django.core.management import call_command

from creatordesk.accounts.models import Membership, User, Workspace
from creatordesk.campaigns.models import Collaboration
from creatordesk.creators.models import Creator
from creatordesk.dashboard.demo import DEMO_WORKSPACE

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (User, Workspace, Membership, Creator, Collaboration))


def test_demo_workspace_has_every_role_and_loading_it_twice_changes_nothing() -> None:
    call_command("load_demo", verbosity=0)
    first = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == first
    roles = set(Membership.objects.filter(workspace__name=DEMO_WORKSPACE).values_list("role", flat=True))
    assert roles == {"owner", "manager", "reviewer", "performance", "viewer"}
    assert Creator.objects.filter(workspace__name=DEMO_WORKSPACE).count() >= 5


def test_health_check_answers(client) -> None:
    assert client.get("/health/").json() == {"status": "ok"}


def test_home_page_shows_empty_states_for_areas_without_data(side_a, login_as) -> None:
    client = login_as(side_a.viewer)
    assert "Nothing here yet" in client.get("/reviews/").content.decode()
    assert "Nothing here yet" in client.get("/performance/").content.decode()


def test_the_demo_has_posted_videos_with_figures_on_the_performance_page(client) -> None:
    from creatordesk.performance.models import DailyTotal, Post

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert Post.objects.filter(workspace__name=DEMO_WORKSPACE, metrics_at__isnull=False).count() == 3
    assert DailyTotal.objects.filter(workspace__name=DEMO_WORKSPACE).exists()
    client.force_login(User.objects.get(email="performance@lumenhaut.example"))
    page = client.get("/performance/").content.decode()
    assert "Emma in Berlin" in page and "Nothing here yet" not in page
