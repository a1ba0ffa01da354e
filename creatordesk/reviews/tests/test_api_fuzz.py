"""Schemathesis walks the whole OpenAPI schema with generated requests; no request may cause a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from creatordesk.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def auth_header(side_a, claim_clip) -> dict[str, str]:
    from creatordesk.reviews import services

    submission = services.submission_create(
        collaboration=side_a.collaboration, title="fuzz", actor=side_a.manager
    )
    version = services.version_upload(submission=submission, source=claim_clip, original_name="f.mp4")
    services.comment_add(version=version, body="c", start_s=1, author=side_a.reviewer)
    return {"Authorization": f"Bearer {side_a.token}"}


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case, auth_header) -> None:
    response = case.call(headers=auth_header)
    assert response.status_code < 500, f"{case.method} {case.formatted_path} → {response.status_code}"
