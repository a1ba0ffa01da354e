from __future__ import annotations

import pytest
from django.core.management import call_command

from creatordesk.accounts.models import Membership, User, Workspace
from creatordesk.campaigns.models import Collaboration, SampleShipment
from creatordesk.creators.models import Creator
from creatordesk.dashboard.demo import DEMO_CODE_POST, DEMO_POSTS, DEMO_SPARK_CODE, DEMO_WORKSPACE
from creatordesk.performance.models import AmplifyTask, Post, ViralAlert
from creatordesk.shop.models import AffiliateOrder

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    models = (
        User, Workspace, Membership, Creator, Collaboration, Post, ViralAlert, AmplifyTask,
        SampleShipment, AffiliateOrder,
    )  # fmt: skip
    return tuple(m.objects.count() for m in models)


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
    from creatordesk.performance.models import DailyTotal

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    figures = Post.objects.filter(workspace__name=DEMO_WORKSPACE, metrics_at__isnull=False)
    assert figures.count() == len(DEMO_POSTS)
    assert DailyTotal.objects.filter(workspace__name=DEMO_WORKSPACE).exists()
    client.force_login(User.objects.get(email="performance@lumenhaut.example"))
    page = client.get("/performance/").content.decode()
    assert "Emma in Berlin" in page and "Nothing here yet" not in page


def test_the_demo_shows_live_breakout_alerts_with_spark_ads_requests_and_a_code_a_creator_entered(
    client,
) -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    alerts = ViralAlert.objects.filter(workspace__name=DEMO_WORKSPACE, snoozed_until__isnull=True)
    assert alerts.count() == 2
    assert all("this creator's median" in alert.explanation for alert in alerts)
    tasks = AmplifyTask.objects.filter(workspace__name=DEMO_WORKSPACE)
    statuses = {task.post.external_id: (task.status, task.spark_code) for task in tasks}
    flagged = set(alerts.values_list("post__external_id", flat=True))
    assert set(statuses) == flagged and DEMO_CODE_POST in flagged
    assert statuses.pop(DEMO_CODE_POST) == ("received", DEMO_SPARK_CODE)
    assert list(statuses.values()) == [("requested", "")]

    client.force_login(User.objects.get(email="performance@lumenhaut.example"))
    page = client.get("/performance/").content.decode()
    assert page.count('data-testid="viral-alert"') == 2
    assert page.count('data-testid="amplify-task"') == 2
    assert DEMO_SPARK_CODE in page and "Code received" in page and "Requested" in page
    assert "Mark in use" in page  # the entered code can be put to use from here


def test_the_demo_has_samples_and_affiliate_orders_for_the_shop_pages(client) -> None:
    call_command("load_demo", verbosity=0)
    client.force_login(User.objects.get(email="owner@lumenhaut.example"))
    samples = client.get("/shop/samples/").content.decode()
    profit = client.get("/shop/profit/").content.decode()
    assert "Emma in Berlin" in samples and "Emma in Berlin" in profit
    assert "glowdaily.de" in profit  # an order of a creator the workspace does not know yet
    assert AffiliateOrder.objects.filter(collaboration__isnull=False).exists()
