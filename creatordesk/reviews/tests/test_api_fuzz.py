"""Schemathesis walks the whole OpenAPI schema with generated requests; no request may cause a 5xx.

Generated ids almost never exist, so without help every call on `/versions/{version_id}/...` stops
at a 404 and the endpoint behind it is never run. For part of the examples of each operation the path
ids are therefore replaced with ids of real rows of the token's workspace, through `schema.given`
(https://schemathesis.readthedocs.io/en/stable/guides/hypothesis-strategies/).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import Case

from conftest import Side
from creatordesk.accounts.services import api_token_create
from creatordesk.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


def _reachable_ids(side: Side, clip: Path) -> dict[str, int | str]:
    """One row of each kind in `side`'s workspace, by the name the API's paths give its id."""
    from creatordesk.campaigns.products import product_create
    from creatordesk.campaigns.services import shipment_create
    from creatordesk.creators.models import ImportJob
    from creatordesk.performance.services import post_create
    from creatordesk.reviews import services
    from creatordesk.reviews.models import Finding
    from creatordesk.shop.models import SyncRun

    submission = services.submission_create(
        collaboration=side.collaboration, title="fuzz", actor=side.manager
    )
    version = services.submission_submit(
        collaboration=submission.collaboration, submission=submission, source=clip, original_name="f.mp4"
    )
    services.comment_add(version=version, body="c", start_s=1, author=side.reviewer)
    # The analysis does not run here; a finding as it would record one.
    finding = Finding.objects.create(
        workspace=side.workspace, version=version, rule="medical_claim.cure", category="medical_claim",
        severity="block", source="speech", start_s=3, end_s=5, evidence="cure", explanation="x", citation="y",
    )  # fmt: skip
    post = post_create(collaboration=side.collaboration, platform="tiktok", external_id="fuzz-1")
    product = product_create(workspace=side.workspace, name="Fuzz serum")
    shipment = shipment_create(
        collaboration=side.collaboration, carrier="Fuzz", tracking_number="F-1", status="preparing"
    )
    return {
        "creator_id": side.creator.pk,
        "campaign_id": side.campaign.pk,
        "collaboration_id": side.collaboration.pk,
        "shipment_id": shipment.pk,
        "product_id": product.pk,
        "submission_id": submission.pk,
        "version_id": version.pk,
        "finding_id": finding.pk,
        "post_id": post.pk,
        "job_id": ImportJob.objects.create(workspace=side.workspace, kind="creators", token="f" * 24).pk,
        "token": _staged_imports(side)[0],
        "metrics_job_id": ImportJob.objects.create(
            workspace=side.workspace, kind="metrics", token="m" * 24
        ).pk,
        "metrics_token": _staged_imports(side)[1],
        "run_id": SyncRun.objects.create(workspace=side.workspace).pk,
        **_placement_ids(side),
    }


def _placement_ids(side: Side) -> dict[str, int | str]:
    import datetime

    from creatordesk.placements.models import ExclusionAnalysis, ExclusionPlan, InsightsRun

    day = datetime.date(2026, 9, 1)
    plan = ExclusionPlan.objects.create(
        workspace=side.workspace, name="fuzz", daily_budget=100, weeks=2, results_per_euro=0.05,
        placement_share=0.1, start=day,
    )  # fmt: skip
    analysis = ExclusionAnalysis.objects.create(
        workspace=side.workspace, name="fuzz", cell_a_key="1", cell_b_key="2", plan=plan
    )
    run = InsightsRun.objects.create(workspace=side.workspace, since=day, until=day)
    return {"plan_id": plan.pk, "analysis_id": analysis.pk, "insights_run_id": run.pk}


def _staged_imports(side: Side) -> tuple[str, str]:
    """A staged creator import and a staged metrics import of `side`'s workspace, by their tokens."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from creatordesk.creators import imports
    from creatordesk.performance import import_staging

    upload = SimpleUploadedFile("fuzz.csv", b"name,handle\nFuzz,fuzz_one\n")
    metrics = io.BytesIO(b"Video title,Video link,Total views\nFuzz,https://www.tiktok.com/@f/video/1,5\n")
    return (
        imports.import_upload(workspace=side.workspace, upload=upload).token,
        import_staging.metrics_stage(workspace=side.workspace, upload=metrics, filename="fuzz.csv").token,
    )


def _ids_for(path: str, ids: dict[str, int | str]) -> dict[str, int | str]:
    # Both import kinds name their upload `token` and their job `job_id`; each path gets its own kind's.
    if path.startswith("/api/imports/metrics/"):
        return {**ids, "token": ids["metrics_token"], "job_id": ids["metrics_job_id"]}
    return ids


@pytest.fixture
def reachable(side_a: Side, claim_clip: Path, settings, tmp_path: Path) -> dict[str, int | str]:
    settings.VAR_DIR = str(tmp_path / "var")
    return _reachable_ids(side_a, claim_clip)


def _path_parameter_names() -> set[str]:
    return {
        parameter["name"]
        for operations in schema.raw_schema["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path"
    }


@pytest.mark.django_db
def test_every_path_id_of_the_api_has_a_reachable_row(
    side_a: Side, claim_clip: Path, client, settings, tmp_path: Path
) -> None:
    settings.VAR_DIR = str(tmp_path / "var")
    ids = _reachable_ids(side_a, claim_clip)
    assert _path_parameter_names() <= set(ids), "a new path id needs a row in _reachable_ids"
    # Ad spend is for owners and performance marketing only; the cast's token is a creator manager's.
    _token, owner_token = api_token_create(workspace=side_a.workspace, user=side_a.owner, name="fuzz owner")
    for path, operations in schema.raw_schema["paths"].items():
        if "get" in operations and "{" in path:
            url = path.format(**_ids_for(path, ids))
            token = owner_token if path.startswith("/api/placements/") else side_a.token
            response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == 200, f"GET {url} → {response.status_code}"


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@schema.given(reach=st.booleans())
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(
    case: Case, reach: bool, side_a: Side, reachable: dict[str, int | str]
) -> None:
    if reach and case.path_parameters:
        ids = _ids_for(case.path, reachable)
        case.path_parameters = {name: ids[name] for name in case.path_parameters}
    response = case.call(headers={"Authorization": f"Bearer {side_a.token}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path} → {response.status_code}"
