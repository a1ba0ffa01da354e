"""Metric files longer than a request may parse are checked and stored by the task worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from creatordesk.creators.models import ImportJob
from creatordesk.performance.models import MetricSnapshot

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _small_requests(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    settings.IMPORT_INLINE_ROWS = 1  # the two-row export goes to the worker


def _post(client, action: str, collaboration: int | None):
    data = {"platform": "tiktok", "action": action} | (
        {"collaboration": collaboration} if collaboration else {}
    )
    with (FIXTURES / "tiktok_studio.csv").open("rb") as upload:
        return client.post("/performance/import/", {"file": upload, **data})


def test_a_large_metrics_import_runs_in_the_worker_and_stores_its_snapshots(
    side_a, login_as, settings
) -> None:
    client = login_as(side_a.manager)
    response = _post(client, "commit", side_a.collaboration.pk)
    assert response.status_code == 302 and "?job=" in response["Location"]
    waiting = client.get(response["Location"])
    assert 'data-testid="import-progress"' in waiting.content.decode()
    assert not MetricSnapshot.objects.exists()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = ImportJob.objects.get(workspace=side_a.workspace, kind="metrics")
    assert job.status == "done"
    poll = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    done = client.get(response["Location"], follow=True)
    assert "Imported 2 snapshots (2 new posts)." in done.content.decode()
    assert MetricSnapshot.objects.filter(workspace=side_a.workspace).count() == 2
    assert not any((settings.VAR_DIR / "imports").iterdir())  # the stored file is removed


def test_a_large_dry_run_with_row_errors_shows_them_after_the_worker_ran(side_a, side_b, login_as) -> None:
    client = login_as(side_a.manager)
    response = _post(client, "check", None)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    report = client.get(response["Location"])
    assert report.status_code == 400
    assert b"choose a collaboration to create it" in report.content
    assert not MetricSnapshot.objects.exists()
    assert login_as(side_b.manager).get(response["Location"]).status_code == 404
