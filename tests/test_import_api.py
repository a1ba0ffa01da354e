"""Creator and metrics imports through the JSON API: upload, dry run, commit, scoped to the token."""

from __future__ import annotations

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import path
from ninja import NinjaAPI

from creatordesk import api as project_api
from creatordesk.accounts.api import TokenAuth
from creatordesk.accounts.models import Role
from creatordesk.accounts.services import api_token_create, membership_set
from creatordesk.creators.import_api import router as creators_import_router
from creatordesk.creators.models import Creator, ImportJob
from creatordesk.performance.import_api import router as metrics_import_router
from creatordesk.performance.models import MetricSnapshot, Post

# Mounted on a test API with the project's error handlers, so the answers are the ones clients get.
test_api = NinjaAPI(auth=TokenAuth(), urls_namespace="import-api-test")
for exception, handler in project_api.api._exception_handlers.items():
    test_api.add_exception_handler(exception, handler)
test_api.add_router("", creators_import_router)
test_api.add_router("", metrics_import_router)
urlpatterns = [path("api/", test_api.urls)]
pytestmark = pytest.mark.urls(__name__)

CREATORS = "Name;Handle;Follower;Umsatz\nMüller;@mueller;1.234;1.234,56\nAnna;@anna;12.345;0,5\n"
METRICS = (
    "Video link;Views;GMV\n"
    "https://www.tiktok.com/@alpha/video/7441234567890123456;1.234;1.234,56\n"
    "https://www.tiktok.com/@alpha/video/7441234567890999999;2.000;0,5\n"
)


@pytest.fixture(autouse=True)
def _staging(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def _auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _file(text: str, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, codecs.BOM_UTF8 + text.encode("utf-8"))


def _token(side, role: Role) -> str:
    user = {Role.VIEWER: side.viewer, Role.REVIEWER: side.reviewer}[role]
    return api_token_create(workspace=side.workspace, user=user, name=role)[1]


def test_creators_upload_dry_run_and_commit_write_the_planned_creators(side_a, client) -> None:
    staged = client.post("/api/imports/creators", {"file": _file(CREATORS)}, **_auth(side_a.token))
    assert staged.status_code == 201, staged.content
    body = staged.json()
    assert body["columns"] == ["display_name", "handle", "followers", "gmv_eur"] and body["decimal_comma"]
    token = body["token"]

    plan = client.post(f"/api/imports/creators/{token}/dry-run", **_auth(side_a.token))
    assert plan.status_code == 200 and plan.json()["new_count"] == 2
    assert not Creator.objects.filter(display_name="Müller").exists()

    done = client.post(
        f"/api/imports/creators/{token}/commit", {}, content_type="application/json", **_auth(side_a.token)
    )
    assert done.status_code == 200, done.content
    account = Creator.objects.get(workspace=side_a.workspace, display_name="Müller").accounts.get()
    assert (account.followers, str(account.gmv_eur)) == (1234, "1234.56")
    again = client.post(f"/api/imports/creators/{token}/dry-run", **_auth(side_a.token))
    assert again.status_code == 404  # the committed file is gone


def test_a_file_that_is_no_table_is_refused_with_the_field_named(side_a, client) -> None:
    bad = SimpleUploadedFile("list.pdf", b"%PDF-1.7")
    for url in ("/api/imports/creators", "/api/imports/metrics"):
        response = client.post(url, {"file": bad}, **_auth(side_a.token))
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "file"]
        bad.seek(0)


def test_mapping_without_a_handle_column_is_refused_naming_columns(side_a, client) -> None:
    token = client.post("/api/imports/creators", {"file": _file(CREATORS)}, **_auth(side_a.token)).json()[
        "token"
    ]
    response = client.put(
        f"/api/imports/creators/{token}/mapping",
        {"columns": ["display_name", "", "followers", "gmv_eur"]},
        content_type="application/json",
        **_auth(side_a.token),
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "columns"]


def test_another_workspaces_staged_files_are_404(side_a, side_b, client) -> None:
    creators = client.post("/api/imports/creators", {"file": _file(CREATORS)}, **_auth(side_a.token)).json()
    metrics = client.post("/api/imports/metrics", {"file": _file(METRICS)}, **_auth(side_a.token)).json()
    for url in (
        f"/api/imports/creators/{creators['token']}/dry-run",
        f"/api/imports/creators/{creators['token']}/commit",
        f"/api/imports/metrics/{metrics['token']}/dry-run",
        f"/api/imports/metrics/{metrics['token']}/commit",
    ):
        response = client.post(url, {}, content_type="application/json", **_auth(side_b.token))
        assert response.status_code == 404, url
    # A metrics token is not a creator upload either.
    mixed = client.post(f"/api/imports/creators/{metrics['token']}/dry-run", **_auth(side_a.token))
    assert mixed.status_code == 404
    assert not Creator.objects.filter(display_name="Müller").exists() and not Post.objects.exists()


def test_metrics_dry_run_lists_row_errors_with_row_and_column_then_commit_stores_snapshots(
    side_a, client
) -> None:
    broken = METRICS + "https://www.tiktok.com/@alpha/video/7441234567890888888;lots;1\n"
    staged = client.post(
        "/api/imports/metrics",
        {"file": _file(broken), "collaboration_id": side_a.collaboration.pk},
        **_auth(side_a.token),
    ).json()
    report = client.post(f"/api/imports/metrics/{staged['token']}/dry-run", **_auth(side_a.token)).json()
    assert report["errors"] == [{"row": 4, "column": "Views", "message": "Views: “lots” is not understood."}]

    staged = client.post(
        "/api/imports/metrics",
        {"file": _file(METRICS), "collaboration_id": side_a.collaboration.pk},
        **_auth(side_a.token),
    ).json()
    assert staged["decimal_comma"] is True
    plan = client.post(f"/api/imports/metrics/{staged['token']}/dry-run", **_auth(side_a.token)).json()
    assert (plan["snapshots"], plan["posts_created"], plan["committed"]) == (2, 2, False)
    assert not MetricSnapshot.objects.exists()
    done = client.post(f"/api/imports/metrics/{staged['token']}/commit", **_auth(side_a.token))
    assert done.status_code == 200 and done.json()["committed"]
    assert sorted(MetricSnapshot.objects.values_list("views", flat=True)) == [1234, 2000]


def test_performance_staff_import_metrics_as_on_the_page_and_viewers_cannot_stage(side_a, client) -> None:
    membership_set(workspace=side_a.workspace, user=side_a.reviewer, role=Role.PERFORMANCE)
    performance = _token(side_a, Role.REVIEWER)
    staged = client.post(
        "/api/imports/metrics",
        {"file": _file(METRICS), "collaboration_id": side_a.collaboration.pk},
        **_auth(performance),
    )
    assert staged.status_code == 201
    token = staged.json()["token"]
    assert client.post(f"/api/imports/metrics/{token}/dry-run", **_auth(performance)).status_code == 200
    assert client.post(f"/api/imports/metrics/{token}/commit", **_auth(performance)).status_code == 200
    assert MetricSnapshot.objects.exists()
    MetricSnapshot.objects.all().delete()
    viewer = _token(side_a, Role.VIEWER)
    assert client.post("/api/imports/creators", {"file": _file(CREATORS)}, **_auth(viewer)).status_code == 403
    assert client.post("/api/imports/metrics", {"file": _file(METRICS)}, **_auth(viewer)).status_code == 403
    assert not MetricSnapshot.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_metrics_commit_is_a_job_the_client_polls(side_a, client, settings) -> None:
    settings.IMPORT_INLINE_ROWS = 1
    token = client.post(
        "/api/imports/metrics",
        {"file": _file(METRICS), "collaboration_id": side_a.collaboration.pk},
        **_auth(side_a.token),
    ).json()["token"]
    queued = client.post(f"/api/imports/metrics/{token}/commit", **_auth(side_a.token))
    assert queued.status_code == 202
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = client.get(f"/api/imports/metrics/jobs/{queued.json()['job_id']}", **_auth(side_a.token)).json()
    assert job["status"] == ImportJob.Status.DONE and job["result"]["snapshots"] == 2
    assert MetricSnapshot.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_large_creator_dry_run_is_a_job_that_other_workspaces_cannot_read(
    side_a, side_b, client, settings
) -> None:
    settings.IMPORT_INLINE_ROWS = 1
    token = client.post("/api/imports/creators", {"file": _file(CREATORS)}, **_auth(side_a.token)).json()[
        "token"
    ]
    queued = client.post(f"/api/imports/creators/{token}/dry-run", **_auth(side_a.token))
    assert queued.status_code == 202
    job_url = f"/api/imports/creators/jobs/{queued.json()['job_id']}"
    assert client.get(job_url, **_auth(side_b.token)).status_code == 404
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = client.get(job_url, **_auth(side_a.token)).json()
    assert job["status"] == ImportJob.Status.DONE and job["result"]["new_count"] == 2
    assert not Creator.objects.filter(display_name="Müller").exists()
