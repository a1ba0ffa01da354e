"""From breakout to Spark Ads code in Chromium: the dashboard flags a video, the creator hands over the code."""

from __future__ import annotations

from datetime import timedelta

import pytest

from creatordesk.dashboard.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser]

VIDEO_ID = "7449000000000000001"
SPARK_CODE = "#Spark-7449-Mehmet-a1b2c3"


@pytest.fixture
def breakout_portal_url(base_url: str) -> str:
    """Skin by Mehmet's history and one video running far ahead of it, recorded as a poll would.

    Three earlier videos reached about 1,000 views in their first day; the new one has 15,000 after
    a day, so the creator-median check of the real detection path flags it. Returns the creator's
    portal link for the Spark Ads requests.
    """
    from django.utils import timezone

    from creatordesk.campaigns.models import Collaboration
    from creatordesk.creators.portal import portal_token_for
    from creatordesk.performance.connectors import Snapshot
    from creatordesk.performance.models import Post, ViralAlert
    from creatordesk.performance.services import post_create, snapshots_record

    collaboration = Collaboration.objects.select_related("creator").get(creator__tiktok_handle="skinbymehmet")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    def curve(post: Post, views_after_a_day: int) -> list[tuple[Post, Snapshot]]:
        posted = post.posted_at
        assert posted is not None
        return [
            (post, Snapshot(taken_at=posted + timedelta(hours=h), views=views_after_a_day * h // 24))
            for h in range(1, 25)
        ]

    earlier: list[tuple[Post, Snapshot]] = []
    for n in range(3):
        post = post_create(
            collaboration=collaboration,
            platform="tiktok",
            external_id=f"74480000000000000{n}",
            posted_at=now - timedelta(days=10 + n),
        )
        earlier += curve(post, 1_000 + 50 * n)
    snapshots_record(rows=earlier, check_viral=False)
    video = post_create(
        collaboration=collaboration,
        platform="tiktok",
        external_id=VIDEO_ID,
        url=f"https://www.tiktok.com/@skinbymehmet/video/{VIDEO_ID}",
        posted_at=now - timedelta(hours=24),
    )
    snapshots_record(rows=curve(video, 15_000))
    assert ViralAlert.objects.filter(post=video).exists()
    return f"{base_url}/creators/portal/{portal_token_for(collaboration.creator)}/amplify/"


def test_flagged_video_gets_a_spark_ads_code_from_the_creator(base_url, breakout_portal_url, page) -> None:
    performance = page
    performance.goto(base_url + "/accounts/login/")
    performance.fill("input[name=username]", "performance@lumenhaut.example")
    performance.fill("input[name=password]", DEMO_PASSWORD)
    performance.click("button[type=submit]")
    performance.goto(base_url + "/performance/")

    # The flagged video is on the dashboard with the reason it was flagged.
    alert = performance.get_by_test_id("viral-alert").filter(has_text="Skin by Mehmet")
    explanation = alert.locator("p").inner_text()
    assert "15,000 views after 24 h" in explanation
    assert "this creator's median" in explanation and "3 earlier posts" in explanation

    # Flagging asked the creator for a Spark Ads code on its own.
    task = performance.get_by_test_id("amplify-task").filter(has_text=VIDEO_ID)
    assert task.get_attribute("data-status") == "requested"
    assert task.get_by_test_id("amplify-status").inner_text() == "Requested"

    # The creator opens their link (no login) and hands over the code, in German, the language the
    # brand writes to him in, though his browser asks for English.
    creator = performance.context.browser.new_context(locale="en-US").new_page()
    creator.goto(breakout_portal_url)
    creator.get_by_test_id("amplify-task").filter(has_text=VIDEO_ID).get_by_role(
        "link", name="Code eingeben"
    ).click()
    creator.fill("input[name=spark_code]", SPARK_CODE)
    creator.fill("input[name=code_expires_on]", "2099-12-31")
    creator.get_by_role("button", name="Code senden").click()
    assert creator.get_by_text("Danke! Wir haben deinen Code erhalten.").is_visible()
    row = creator.get_by_test_id("amplify-task").filter(has_text=VIDEO_ID)
    assert row.get_attribute("data-status") == "received"
    creator.context.close()

    # Back on the dashboard the request shows the code as received.
    performance.reload()
    task = performance.get_by_test_id("amplify-task").filter(has_text=VIDEO_ID)
    assert task.get_attribute("data-status") == "received"
    assert task.get_by_test_id("amplify-status").inner_text() == "Code received"
    assert task.get_by_test_id("amplify-code").inner_text() == SPARK_CODE
