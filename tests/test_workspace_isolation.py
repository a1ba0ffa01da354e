"""Nothing of workspace B is reachable by a member of workspace A, for every URL the project has.

The URL list is discovered from the URL resolver and the OpenAPI schema, so a new URL that takes an
object id fails here until it is scoped and its id kind is known to OBJECT_IDS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from conftest import Side
from creatordesk.api import api
from creatordesk.creators.models import ImportJob
from creatordesk.creators.portal import portal_token_for
from creatordesk.placements.models import ExclusionAnalysis, ExclusionPlan, InsightsRun
from creatordesk.shop.models import PostCheck, ShopCollaboration, SyncRun
from creatordesk.visuals.models import BrandReference, PromptTemplate, VisualAsset, VisualCheck

# How to find workspace B's object for each URL argument name.
OBJECT_IDS: dict[str, Callable[[Side], object]] = {
    "creator_pk": lambda b: b.creator.pk,
    "campaign_pk": lambda b: b.campaign.pk,
    "collaboration_pk": lambda b: b.collaboration.pk,
    "collaboration_id": lambda b: b.collaboration.pk,
    "shipment_id": lambda b: b.extra["shipment"].pk,
    "shipment_pk": lambda b: b.extra["shipment"].pk,
    "token_pk": lambda b: b.workspace.api_tokens.first().pk,  # type: ignore[union-attr]
    "creator_id": lambda b: b.creator.pk,
    "campaign_id": lambda b: b.campaign.pk,
    "submission_pk": lambda b: b.extra["submission"].pk,
    "submission_id": lambda b: b.extra["submission"].pk,
    "version_pk": lambda b: b.extra["version"].pk,
    "version_id": lambda b: b.extra["version"].pk,
    "comment_pk": lambda b: b.extra["comment"].pk,
    "finding_pk": lambda b: b.extra["finding"].pk,
    "finding_id": lambda b: b.extra["finding"].pk,
    "webhook_pk": lambda b: b.extra["webhook"].pk,
    "product_pk": lambda b: b.extra["product"].pk,
    "product_id": lambda b: b.extra["product"].pk,
    "image_pk": lambda b: b.extra["image"].pk,
    "segment_pk": lambda b: b.extra["segment"].pk,
    "broadcast_pk": lambda b: b.extra["broadcast"].pk,
    "alert_pk": lambda b: b.extra["alert"].pk,
    "amplify_task_pk": lambda b: b.extra["amplify_task"].pk,
    "post_id": lambda b: b.extra["post"].pk,
    "delivery_pk": lambda b: b.extra["delivery"].pk,
    "upload_id": lambda b: b.extra["upload"].pk,
    "job_id": lambda b: ImportJob.objects.create(workspace=b.workspace, kind="metrics", token="b" * 24).pk,
    "job_pk": lambda b: ImportJob.objects.create(workspace=b.workspace, kind="creators", token="b" * 24).pk,
    "check_id": lambda b: b.extra["post_check"].pk,
    "run_id": lambda b: SyncRun.objects.create(workspace=b.workspace).pk,
    "insights_run_id": lambda b: (
        InsightsRun.objects.create(
            workspace=b.workspace, since=timezone.localdate(), until=timezone.localdate(), error="B secret"
        ).pk
    ),
    "plan_id": lambda b: (
        ExclusionPlan.objects.create(
            workspace=b.workspace,
            name="B secret plan",
            daily_budget=100,
            weeks=2,
            results_per_euro=0.05,
            placement_share=0.1,
            start=timezone.localdate(),
        ).pk
    ),
    "analysis_id": lambda b: (
        ExclusionAnalysis.objects.create(
            workspace=b.workspace, name="B secret analysis", cell_a_key="1", cell_b_key="2"
        ).pk
    ),
    "asset_id": lambda b: _visual_asset(b).pk,
    "visual_check_id": lambda b: _visual_asset(b).checks.get().pk,
    "index": lambda b: 0,  # a finding's place in a check of B
    "template_id": lambda b: (
        PromptTemplate.objects.create(
            workspace=b.workspace, name="B secret template", template="B secret serum", brief={}
        ).pk
    ),
    "reference_id": lambda b: (
        BrandReference.objects.create(
            workspace=b.workspace, kind="stock", name="B secret", image="visuals/b/secret.png"
        ).pk
    ),
    # Several tests walk these ids for the same workspace: the collaboration is made once.
    "shop_collaboration_id": lambda b: (
        ShopCollaboration.objects.get_or_create(
            workspace=b.workspace,
            external_id="b-collab",
            defaults={"campaign": b.campaign, "name": "B secret", "commission_rate_bp": 1500},
        )[0].pk
    ),
}


_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS"
    b"\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def _visual_asset(b: Side) -> VisualAsset:
    """An image of workspace B with one finished check (made once per test)."""
    asset, created = VisualAsset.objects.get_or_create(
        workspace=b.workspace,
        title="B secret image",
        defaults={"file": "visuals/b/secret.png", "sha256": "0" * 64},
    )
    if created:
        VisualCheck.objects.create(
            workspace=b.workspace,
            asset=asset,
            status="done",
            report={"findings": [{"rule": "brand.off_palette"}]},
        )
    return asset


# URL arguments that are not object ids of a workspace (checked by their own tests). A portal URL's
# `token` is filled with the link of a creator of workspace A.
NOT_OBJECT_IDS = {"token", "uidb64", "path", "app_label", "object_id", "model_name", "content_type_id"}
SKIP_PREFIXES = ("admin/", "api/")  # the admin is staff-only; the API is walked through its schema below


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def object_url_templates() -> list[str]:
    templates = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
        if names - NOT_OBJECT_IDS:
            templates.append(route)
    return sorted(set(templates))


def api_path_templates() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, ops in schema["paths"].items() for method in ops)


# An API upload token names a staged file of one kind; each import path gets workspace B's of its kind.
API_UPLOAD_TOKENS = {"/api/imports/creators/": "creator_import", "/api/imports/metrics/": "metrics_import"}


def _fill(template: str, side_b: Side, side_a: Side | None = None) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "token" and side_a is not None:
            return portal_token_for(side_a.creator)
        if name == "token" and template.startswith(tuple(API_UPLOAD_TOKENS)):
            kind = next(key for prefix, key in API_UPLOAD_TOKENS.items() if template.startswith(prefix))
            return side_b.extra[kind]
        if name not in OBJECT_IDS:
            pytest.fail(f"URL argument '{name}' in {template!r} has no isolation fixture in OBJECT_IDS")
        return str(OBJECT_IDS[name](side_b))

    return re.sub(r"[<{](?:\w+:)?(\w+)[>}]", sub, template)


@pytest.fixture
def review_objects_b(side_b: Side, settings, tmp_path) -> Side:
    """A submission with a version, finding, comment, webhook and delivery in workspace B."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from creatordesk.campaigns.models import Product, ProductImage, SampleShipment
    from creatordesk.creators import imports
    from creatordesk.creators.models import Broadcast, Segment
    from creatordesk.notifications.models import Delivery, Webhook
    from creatordesk.performance import import_staging
    from creatordesk.performance.models import AmplifyTask, MetricSnapshot, Post, ViralAlert
    from creatordesk.reviews.models import Comment, Finding, Submission, UploadSession, Version

    ws = side_b.workspace
    submission = Submission.objects.create(
        workspace=ws, collaboration=side_b.collaboration, title="B secret video"
    )
    version = Version(
        workspace=ws,
        submission=submission,
        number=1,
        original_name="b.mp4",
        size_bytes=4,
        duration_s=5,
        width=720,
        height=1280,
    )
    version.file.save("b.mp4", ContentFile(b"data"), save=False)
    version.save()
    finding = Finding.objects.create(
        workspace=ws, version=version, rule="r", category="medical_claim", severity="block", source="speech",
        start_s=1, end_s=2, evidence="B secret evidence", explanation="x", citation="y",
    )  # fmt: skip
    comment = Comment.objects.create(workspace=ws, version=version, body="B secret comment", start_s=1)
    webhook = Webhook.objects.create(workspace=ws, name="B hook", url="https://example.com/hook")
    product = Product.objects.create(workspace=ws, name="B secret product")
    image = ProductImage(workspace=ws, product=product)
    image.image.save("b.png", ContentFile(b"png"), save=False)
    image.save()
    segment = Segment.objects.create(workspace=ws, name="B secret segment", filters={})
    broadcast = Broadcast.objects.create(workspace=ws, segment=segment, subject="B secret news", body="x")
    post = Post.objects.create(
        workspace=ws, collaboration=side_b.collaboration, platform="tiktok", external_id="B secret 1"
    )
    MetricSnapshot.objects.create(workspace=ws, post=post, taken_at=timezone.now(), views=1)
    alert = ViralAlert.objects.create(
        workspace=ws, post=post, threshold="top_decile", score=9, explanation="B secret explanation"
    )
    amplify_task = AmplifyTask.objects.create(workspace=ws, post=post, spark_code="B secret code")
    side_b.extra["post_check"] = PostCheck.objects.create(workspace=ws, post=post)
    delivery = Delivery.objects.create(
        workspace=ws,
        channel="webhook",
        webhook=webhook,
        target=webhook.url,
        event="decision",
        subject="s",
        text="t",
    )
    shipment = SampleShipment.objects.create(
        workspace=ws, collaboration=side_b.collaboration, carrier="B secret carrier", status="preparing"
    )
    upload = UploadSession.objects.create(
        workspace=ws,
        collaboration=side_b.collaboration,
        submission=submission,
        uploaded_by=side_b.manager,
        original_name="b-secret.mp4",
        size_bytes=10,
    )
    settings.VAR_DIR = str(tmp_path / "var")
    creator_import = imports.import_upload(
        workspace=ws, upload=SimpleUploadedFile("b.csv", b"name,handle\nB secret creator,b_secret\n")
    )
    metrics_import = import_staging.metrics_stage(
        workspace=ws,
        upload=io.BytesIO(
            b"Video title,Video link,Total views\nB secret,https://www.tiktok.com/@b/video/1,5\n"
        ),
        filename="b.csv",
    )
    side_b.extra.update(
        creator_import=creator_import.token,
        metrics_import=metrics_import.token,
        shipment=shipment,
        upload=upload,
        post=post,
        alert=alert,
        amplify_task=amplify_task,
        submission=submission,
        version=version,
        finding=finding,
        comment=comment,
        webhook=webhook,
        delivery=delivery,
        product=product,
        image=image,
        segment=segment,
        broadcast=broadcast,
    )
    return side_b


def test_discovery_finds_the_object_urls() -> None:
    assert "creators/<int:creator_pk>/" in object_url_templates()
    assert ("GET", "/api/creators/{creator_id}") in api_path_templates()
    assert {("PATCH", "/api/creators/{creator_id}"), ("POST", "/api/shipments/{shipment_id}/status")} <= set(
        api_path_templates()
    )


@pytest.mark.parametrize("template", object_url_templates())
@pytest.mark.parametrize("method", ["get", "post"])
def test_member_of_a_cannot_reach_object_urls_of_b(
    template: str, method: str, side_a, side_b, review_objects_b, login_as
) -> None:
    client = login_as(side_a.manager)
    response = getattr(client, method)("/" + _fill(template, side_b, side_a))
    assert response.status_code in (403, 404, 405), (
        f"{method.upper()} /{template} gave {response.status_code}"
    )
    for secret in (side_b.creator.display_name, "B secret"):
        assert secret.encode() not in response.content, f"{method.upper()} /{template} leaked {secret!r}"


@pytest.mark.parametrize(("method", "path"), api_path_templates())
def test_api_token_of_a_cannot_reach_anything_of_b(
    method: str, path: str, side_a, side_b, review_objects_b, client
) -> None:
    url = _fill(path, side_b)
    response = client.generic(
        method, url, data="{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {side_a.token}"
    )
    if "{" in path:
        assert response.status_code in (403, 404, 422), f"{method} {url} gave {response.status_code}"
    for secret in (side_b.creator.display_name, side_b.campaign.name, side_b.workspace.name):
        assert secret.encode() not in response.content, f"{method} {url} leaked {secret!r}"


@pytest.mark.parametrize(("method", "path"), api_path_templates())
def test_api_refuses_requests_without_a_token(
    method: str, path: str, side_b, review_objects_b, client
) -> None:
    response = client.generic(method, _fill(path, side_b), data="{}", content_type="application/json")
    assert response.status_code == 401


def test_list_pages_of_a_never_show_rows_of_b(side_a, side_b, login_as) -> None:
    client = login_as(side_a.manager)
    for url in ("/", "/creators/", "/campaigns/", "/creators/?q=Creator", "/accounts/members/"):
        response = client.get(url)
        assert response.status_code == 200, url
        for secret in (side_b.creator.display_name, side_b.campaign.name, side_b.manager.email):
            assert secret.encode() not in response.content, f"{url} leaked {secret!r}"


def test_creator_portal_link_shows_only_that_creators_collaborations(side_a, client) -> None:
    response = client.get(f"/creators/portal/{portal_token_for(side_a.other_creator)}/")
    assert response.status_code == 200
    assert side_a.other_creator.display_name.encode() in response.content
    assert side_a.campaign.name.encode() not in response.content  # the campaign is the first creator's
