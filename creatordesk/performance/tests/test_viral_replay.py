"""Replay: a YouTube series (the shared dataset, else the committed sample), polled day by day through the live detection path.

The alert must fire once, at the very poll at which the offline model first flags the video.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from creatordesk.performance.connectors import Snapshot
from creatordesk.performance.models import ViralAlert
from creatordesk.performance.services import MODEL_THRESHOLD, post_create, snapshots_record
from creatordesk.performance.tests.fixtures import youtube_daily_views
from creatordesk.performance.viral.data import read_daily_views
from creatordesk.performance.viral.evaluation import split_by_id
from creatordesk.performance.viral.model import EarlyViewsModel, TooEarlyError
from creatordesk.performance.viral.series import VideoSeries
from creatordesk.performance.viral_live import workspace_model_save

POLLS = 10  # days, one poll a day


def _first_flagged_poll(model: EarlyViewsModel, video: VideoSeries) -> int | None:
    """Offline: the first daily poll at which the model, seeing only the polls so far, flags the video."""
    for day in range(1, POLLS + 1):
        observed = dict(zip(video.ages_hours[:day], video.views[:day], strict=True))
        try:
            if model.breakout_score(observed).flagged:
                return day
        except TooEarlyError:
            continue
    return None


@pytest.fixture(scope="module")
def trained() -> tuple[EarlyViewsModel, VideoSeries, int]:
    path, _sample = youtube_daily_views()
    train, test = split_by_id(read_daily_views(path))
    model = EarlyViewsModel().fit(train)
    # A test video that is not flagged at its first poll but later is: the interesting case.
    by_growth = sorted(test, key=lambda v: v.views[29] / (v.views[0] + 1), reverse=True)
    for video in by_growth:
        day = _first_flagged_poll(model, video)
        if day is not None and day >= 2:
            return model, video, day
    pytest.fail("no test video is flagged after its first poll")


@pytest.mark.django_db
def test_a_youtube_series_polled_day_by_day_alerts_once_at_the_offline_poll(
    side_a, trained, settings, tmp_path
) -> None:
    settings.VAR_DIR = tmp_path
    model, video, expected_poll = trained
    workspace_model_save(workspace_id=side_a.workspace.pk, model=model)
    posted = timezone.now() - timedelta(days=POLLS + 1)
    post = post_create(
        collaboration=side_a.collaboration, platform="tiktok", external_id="replay1", posted_at=posted
    )

    fired_at: list[int] = []
    for day in range(1, POLLS + 1):
        snapshot = Snapshot(
            taken_at=posted + timedelta(hours=video.ages_hours[day - 1]), views=int(video.views[day - 1])
        )
        snapshots_record(rows=[(post, snapshot)])  # what each run of the polling task does
        if ViralAlert.objects.filter(post=post).count() and not fired_at:
            fired_at.append(day)

    assert fired_at == [expected_poll]
    alerts = ViralAlert.objects.filter(post=post)
    assert alerts.count() == 1 and alerts.get().threshold == MODEL_THRESHOLD
    assert "views in the first" in alerts.get().explanation


@pytest.mark.django_db
def test_training_waits_until_enough_posts_were_followed_for_30_days(side_a, settings, tmp_path) -> None:
    from io import StringIO

    from django.core.management import call_command

    from creatordesk.performance.viral_live import workspace_model

    settings.VAR_DIR = tmp_path
    post_create(
        collaboration=side_a.collaboration, platform="tiktok", external_id="young", posted_at=timezone.now()
    )
    out = StringIO()
    call_command("train_viral_models", stdout=out)
    assert "not enough posts" in out.getvalue()
    assert workspace_model(side_a.workspace.pk) is None
