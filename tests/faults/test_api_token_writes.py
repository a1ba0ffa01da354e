"""Every write of the API works under a bearer token for the roles allowed to make it, and only those.

Under token auth `request.user` is anonymous; a write that took its actor from there failed with a
500 for everyone. Each write operation of the OpenAPI document is called here with a valid payload by
a token of each role: allowed roles get 2xx and the change shows in a read, the others get 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import Side
from creatordesk.accounts.models import Role
from creatordesk.accounts.services import api_token_create, membership_set, user_create
from creatordesk.api import api
from creatordesk.shop.tests.recorded_shop import APP_KEY, APP_SECRET, CIPHER, TOKEN, RecordedShop, serve

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ROLES = (Role.OWNER, Role.MANAGER, Role.REVIEWER, Role.PERFORMANCE, Role.VIEWER)
MANAGERS = {Role.OWNER, Role.MANAGER}
REVIEWERS = {Role.OWNER, Role.MANAGER, Role.REVIEWER}
PERFORMANCE_STAFF = {Role.OWNER, Role.MANAGER, Role.PERFORMANCE}
PAID_MEDIA = {Role.OWNER, Role.PERFORMANCE}


@dataclass
class World:
    """One workspace with a submission, a version with a finding, a post, and a token per role."""

    side: Side
    objects: dict[str, Any]
    tokens: dict[Role, str]
    clip: Path


@dataclass(frozen=True)
class Write:
    """How to call one write operation validly and how to see that it took effect."""

    roles: set[Role]
    call: Callable[[World], dict[str, Any]]  # keyword arguments for Client.generic / Client.post
    visible: Callable[[World, dict[str, Any]], bool]


def _json(data: dict[str, Any]) -> dict[str, Any]:
    import json

    return {"data": json.dumps(data), "content_type": "application/json"}


def _upload(world: World) -> dict[str, Any]:
    # Multipart, as a real client uploads a video; Client.post encodes it.
    return {"multipart": {"file": world.clip.open("rb"), "caption": "via token"}}


CREATORS_CSV = b"name,handle\nToken Import,token_import\n"
METRICS_CSV = (
    b"Video title,Video link,Post time,Total views,Total likes,Total comments,Total shares,Add to Favorites\n"
    b"Token,https://www.tiktok.com/@alpha_one/video/7441234567890123456,2026-11-20 18:00,4321,9,1,1,1\n"
)


def _file(name: str, content: bytes) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"multipart": {"file": SimpleUploadedFile(name, content)}}


def _staged_files(world: World, meta: str) -> int:
    """Staged uploads of the world's workspace (creator imports keep meta.json, metric ones metrics.json)."""
    import json

    from django.conf import settings

    return sum(
        json.loads(path.read_text())["workspace_id"] == world.side.workspace.pk
        for path in (Path(settings.VAR_DIR) / "imports").glob(f"*/{meta}")
    )


def _gone(world: World, key: str, meta: str) -> bool:
    from django.conf import settings

    return not (Path(settings.VAR_DIR) / "imports" / world.objects[key] / meta).exists()


WRITES: dict[tuple[str, str], Write] = {
    ("POST", "/api/creators"): Write(
        MANAGERS,
        lambda w: _json({"display_name": "Token Creator"}),
        lambda w, body: _exists("creators.Creator", workspace=w.side.workspace, display_name="Token Creator"),
    ),
    ("POST", "/api/campaigns"): Write(
        MANAGERS,
        lambda w: _json({"name": "Token Campaign"}),
        lambda w, body: _exists("campaigns.Campaign", workspace=w.side.workspace, name="Token Campaign"),
    ),
    ("POST", "/api/products"): Write(
        MANAGERS,
        lambda w: _json({"name": "Token Serum", "sku": "TS-1"}),
        lambda w, body: _exists("campaigns.Product", workspace=w.side.workspace, name="Token Serum"),
    ),
    ("PUT", "/api/campaigns/{campaign_id}/brief"): Write(
        MANAGERS,
        lambda w: _json({"goal": "Launch the serum", "must_mentions": ["SPF 50"]}),
        lambda w, body: _exists("campaigns.Brief", campaign=w.side.campaign, goal="Launch the serum"),
    ),
    ("POST", "/api/submissions/{submission_id}/versions"): Write(
        MANAGERS,
        _upload,
        lambda w, body: _exists("reviews.Version", submission=w.objects["submission"], caption="via token"),
    ),
    ("POST", "/api/findings/{finding_id}/state"): Write(
        REVIEWERS,
        lambda w: _json({"state": "dismissed", "reason": "Said with a disclaimer"}),
        lambda w, body: _exists(
            "reviews.Finding", pk=w.objects["finding"].pk, state="dismissed", state_by__isnull=False
        ),
    ),
    ("POST", "/api/versions/{version_id}/comments"): Write(
        REVIEWERS,
        lambda w: _json({"body": "Cut the claim at 3 s", "start_s": 3}),
        lambda w, body: _exists(
            "reviews.Comment", version=w.objects["version"], body="Cut the claim at 3 s", author__isnull=False
        ),
    ),
    ("POST", "/api/versions/{version_id}/decisions"): Write(
        REVIEWERS,
        lambda w: _json({"outcome": "changes_required", "note": "Remove the claim"}),
        lambda w, body: _exists(
            "reviews.Decision", version=w.objects["version"], note="Remove the claim", reviewer__isnull=False
        ),
    ),
    ("PATCH", "/api/creators/{creator_id}"): Write(
        MANAGERS,
        lambda w: _json({"notes": "Edited by token"}),
        lambda w, body: _exists("creators.Creator", pk=w.side.creator.pk, notes="Edited by token"),
    ),
    ("POST", "/api/collaborations/{collaboration_id}/move"): Write(
        MANAGERS,
        lambda w: _json({"status": "invited"}),
        lambda w, body: _exists("campaigns.Collaboration", pk=w.side.collaboration.pk, status="invited"),
    ),
    ("POST", "/api/collaborations/{collaboration_id}/shipments"): Write(
        MANAGERS,
        lambda w: _json({"carrier": "Token Post", "tracking_number": "T-1", "status": "shipped"}),
        lambda w, body: _exists("campaigns.SampleShipment", carrier="Token Post", status="shipped"),
    ),
    ("POST", "/api/shipments/{shipment_id}/status"): Write(
        MANAGERS,
        lambda w: _json({"status": "delivered"}),
        lambda w, body: _exists("campaigns.SampleShipment", pk=w.objects["shipment"].pk, status="delivered"),
    ),
    ("POST", "/api/shop/sync"): Write(
        MANAGERS,
        lambda w: _json({}),
        lambda w, body: _exists("shop.SyncRun", workspace=w.side.workspace),
    ),
    ("POST", "/api/shop/campaigns/{campaign_id}/collaborations"): Write(
        MANAGERS,
        lambda w: _json(
            {
                "collaboration_ids": [w.side.collaboration.pk],
                "commission_percent": "12.5",
                "ends_at": "2027-01-31T23:59:00+01:00",
                "seller_email": "brand@alpha.example",
            }
        ),
        lambda w, body: _exists(
            "shop.ShopCollaboration", workspace=w.side.workspace, commission_rate_bp=1250
        ),
    ),
    ("POST", "/api/shop/blocklist"): Write(
        MANAGERS,
        lambda w: _json({"creator_id": w.objects["other_creator"].pk, "reason": "Rejoined after removal"}),
        lambda w, body: _exists("shop.CreatorBlock", creator=w.objects["other_creator"]),
    ),
    ("DELETE", "/api/shop/blocklist/{creator_id}"): Write(
        MANAGERS,
        lambda w: {},
        lambda w, body: not _exists("shop.CreatorBlock", creator=w.side.creator),
    ),
    ("POST", "/api/imports/creators"): Write(
        MANAGERS,
        lambda w: _file("creators.csv", CREATORS_CSV),
        lambda w, body: _staged_files(w, "meta.json") > 1,  # the world stages one itself
    ),
    ("PUT", "/api/imports/creators/{token}/mapping"): Write(
        MANAGERS,
        lambda w: _json({"columns": ["handle", "display_name"]}),
        lambda w, body: _mapping(w) == ["handle", "display_name"],
    ),
    ("POST", "/api/imports/creators/{token}/dry-run"): Write(
        MANAGERS,
        lambda w: _json({}),
        # A dry run writes nothing; what shows is its plan.
        lambda w, body: bool(body) and not _exists("creators.Creator", display_name="Token Import"),
    ),
    ("POST", "/api/imports/creators/{token}/commit"): Write(
        MANAGERS,
        lambda w: _json({}),
        lambda w, body: _exists("creators.Creator", workspace=w.side.workspace, display_name="Token Import"),
    ),
    ("DELETE", "/api/imports/creators/{token}"): Write(
        MANAGERS, lambda w: {}, lambda w, body: _gone(w, "creator_import", "meta.json")
    ),
    ("POST", "/api/imports/metrics"): Write(
        PERFORMANCE_STAFF,
        lambda w: _file("tiktok_studio.csv", METRICS_CSV),
        lambda w, body: _staged_files(w, "metrics.json") > 1,
    ),
    ("POST", "/api/imports/metrics/{token}/dry-run"): Write(
        PERFORMANCE_STAFF,
        lambda w: _json({}),
        lambda w, body: bool(body) and not _exists("performance.MetricSnapshot", views=4321),
    ),
    ("POST", "/api/imports/metrics/{token}/commit"): Write(
        PERFORMANCE_STAFF,
        lambda w: _json({}),
        lambda w, body: _exists("performance.MetricSnapshot", workspace=w.side.workspace, views=4321),
    ),
    ("DELETE", "/api/imports/metrics/{token}"): Write(
        PERFORMANCE_STAFF, lambda w: {}, lambda w, body: _gone(w, "metrics_import", "metrics.json")
    ),
    ("POST", "/api/performance/posts/{post_id}/snapshots"): Write(
        PERFORMANCE_STAFF,
        lambda w: _json({"taken_at": "2026-03-01T12:00:00Z", "views": 1234}),
        lambda w, body: _exists("performance.MetricSnapshot", post=w.objects["post"], views=1234),
    ),
    ("POST", "/api/placements/plans"): Write(
        PAID_MEDIA,
        lambda w: _json(
            {
                "name": "Token plan",
                "daily_budget": "300",
                "weeks": 4,
                "results_per_euro": "0.05",
                "placement_share": "0.1",
                "start": "2026-10-05",
            }
        ),
        lambda w, body: _exists("placements.ExclusionPlan", workspace=w.side.workspace, name="Token plan"),
    ),
    ("POST", "/api/placements/analyses"): Write(
        PAID_MEDIA,
        lambda w: _json({"name": "Token analysis", "cell_a_key": "910002", "cell_b_key": "910003"}),
        lambda w, body: _exists(
            "placements.ExclusionAnalysis", workspace=w.side.workspace, name="Token analysis"
        ),
    ),
    ("POST", "/api/placements/insights"): Write(
        PAID_MEDIA,
        lambda w: _json({"since": "2026-09-01", "until": "2026-09-28"}),
        lambda w, body: _exists("placements.InsightsRun", workspace=w.side.workspace, since="2026-09-01"),
    ),
}


def _mapping(world: World) -> list[str]:
    from creatordesk.creators import imports

    stored = imports.import_load(workspace=world.side.workspace, token=world.objects["creator_import"])
    return stored.columns if stored.mapping_confirmed else []


def _exists(model: str, **lookup: Any) -> bool:
    from django.apps import apps

    return apps.get_model(model).objects.filter(**lookup).exists()


def write_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method.upper() in WRITE_METHODS
    }


@pytest.fixture
def recorded_shop(settings) -> Iterator[RecordedShop]:
    """TikTok Shop as the recorded API answers it, for the target collaboration a token creates."""
    with serve() as shop:
        settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
        settings.PLATFORM_CONNECTORS = {"tiktok_shop": {"base_url": shop.url}}
        shop.on("POST", "/202508/target_collaborations", "target_collaboration_created.json")
        shop.on(
            "POST", "/202509/target_collaboration/7441800000000000001/link", "target_collaboration_link.json"
        )
        yield shop


def _shop_ready(side: Side) -> Any:
    """The workspace connected to TikTok Shop, its campaign's product and creator known there; a second
    creator to block, and the first one blocked already (to be unblocked)."""
    from creatordesk.campaigns.models import Product
    from creatordesk.creators.models import PlatformAccount
    from creatordesk.creators.services import creator_create
    from creatordesk.performance.connections import connection_save
    from creatordesk.shop.services import creator_block

    ws = side.workspace
    connection_save(
        workspace=ws,
        kind="tiktok_shop",
        values={"app_key": APP_KEY, "app_secret": APP_SECRET, "access_token": TOKEN, "shop_cipher": CIPHER},
        user=side.owner,
    )
    serum = Product.objects.create(workspace=ws, name="Shop Serum", shop_product_id="1729384756000000001")
    side.campaign.products.add(serum)
    PlatformAccount.objects.create(
        workspace=ws, creator=side.creator, platform="tiktok", handle="alpha.one", open_id="AAA-open-alpha"
    )
    creator_block(creator=side.creator, reason="Left the collaboration twice", actor=side.owner)
    return creator_create(workspace=ws, display_name="Token Blocked", tiktok_handle="token_blocked")


@pytest.fixture
def world(side_a: Side, clean_clip: Path, settings, tmp_path: Path, recorded_shop: RecordedShop) -> World:
    import io

    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from creatordesk.campaigns.services import shipment_create
    from creatordesk.creators import imports
    from creatordesk.performance import import_staging
    from creatordesk.performance.models import Post
    from creatordesk.reviews.models import Finding, Version
    from creatordesk.reviews.services import submission_create

    settings.MEDIA_ROOT = str(tmp_path / "media")
    ws = side_a.workspace
    submission = submission_create(
        collaboration=side_a.collaboration, title="Token clip", actor=side_a.manager
    )
    version = Version(
        workspace=ws, submission=submission, number=1, original_name="a.mp4",
        size_bytes=4, duration_s=7, width=720, height=1280,
    )  # fmt: skip
    version.file.save("a.mp4", ContentFile(b"data"), save=False)
    version.save()
    finding = Finding.objects.create(
        workspace=ws, version=version, rule="medical_claim.cure", category="medical_claim", severity="block",
        source="speech", start_s=3, end_s=5, evidence="cure your acne", explanation="x", citation="y",
    )  # fmt: skip
    post = Post.objects.create(
        workspace=ws, collaboration=side_a.collaboration, platform="tiktok", external_id="token-post"
    )
    shipment = shipment_create(
        collaboration=side_a.collaboration, carrier="Prepared", tracking_number="P-1", status="preparing"
    )
    settings.VAR_DIR = str(tmp_path / "var")
    creator_import = imports.import_upload(workspace=ws, upload=SimpleUploadedFile("c.csv", CREATORS_CSV))
    imports.import_set_mapping(
        stored=creator_import,
        columns=["display_name", "handle"],
        default_platform="tiktok",
        decimal_comma=False,
    )
    metrics_import = import_staging.metrics_stage(
        workspace=ws, upload=io.BytesIO(METRICS_CSV), filename="tiktok_studio.csv",
        collaboration=side_a.collaboration, taken_at=timezone.now(),
    )  # fmt: skip
    performance = user_create(email="performance@alpha.example", password="x" * 20, first_name="Perf")
    membership_set(workspace=ws, user=performance, role=Role.PERFORMANCE)
    users = {
        Role.OWNER: side_a.owner,
        Role.MANAGER: side_a.manager,
        Role.REVIEWER: side_a.reviewer,
        Role.PERFORMANCE: performance,
        Role.VIEWER: side_a.viewer,
    }
    tokens = {role: api_token_create(workspace=ws, user=user, name=role)[1] for role, user in users.items()}
    objects = {
        "submission": submission, "version": version, "finding": finding, "post": post, "shipment": shipment,
        "creator_import": creator_import.token, "metrics_import": metrics_import.token,
        "other_creator": _shop_ready(side_a),
    }  # fmt: skip
    return World(side=side_a, objects=objects, tokens=tokens, clip=clean_clip)


def _url(path: str, world: World) -> str:
    if "{token}" in path:
        key = "creator_import" if path.startswith("/api/imports/creators/") else "metrics_import"
        path = path.replace("{token}", world.objects[key])
    ids = {
        "{campaign_id}": world.side.campaign.pk,
        "{creator_id}": world.side.creator.pk,
        "{collaboration_id}": world.side.collaboration.pk,
        "{shipment_id}": world.objects["shipment"].pk,
        "{submission_id}": world.objects["submission"].pk,
        "{version_id}": world.objects["version"].pk,
        "{finding_id}": world.objects["finding"].pk,
        "{post_id}": world.objects["post"].pk,
    }
    for name, value in ids.items():
        path = path.replace(name, str(value))
    assert "{" not in path, f"no object for a path argument of {path}"
    return path


def test_every_write_operation_of_the_api_is_covered_here() -> None:
    assert write_operations() == set(WRITES), "a write operation without a token test, or a stale entry"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), sorted(WRITES))
def test_api_write_under_a_bearer_token_answers_by_role_and_never_500(
    method: str, path: str, role: Role, world: World
) -> None:
    write = WRITES[(method, path)]
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
    url, kwargs = _url(path, world), write.call(world)
    if "multipart" in kwargs:
        response = client.post(url, kwargs["multipart"])
    else:
        response = client.generic(method, url, **kwargs)
    assert response.status_code != 500, f"{method} {path} as {role} → 500"
    if role in write.roles:
        assert 200 <= response.status_code < 300, f"{method} {path} as {role} → {response.content!r}"
        body = response.json() if response.content else {}
        assert write.visible(world, body), f"{method} {path} as {role} changed nothing"
    else:
        assert response.status_code == 403, f"{method} {path} as {role} → {response.status_code}"
        assert not write.visible(world, {}), f"{method} {path} as {role} was refused but changed data"


def test_api_writes_record_the_tokens_user_as_the_actor(world: World) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[Role.REVIEWER]}")
    version = world.objects["version"]
    client.post(
        f"/api/versions/{version.pk}/comments", {"body": "Who wrote me?"}, content_type="application/json"
    )
    comment = version.comments.get(body="Who wrote me?")
    assert comment.author == world.side.reviewer
    audit = version.submission.events.last()
    assert audit is not None and world.side.reviewer.email in audit.actor
