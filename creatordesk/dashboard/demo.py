"""The demo workspace: a German skincare brand with a user of every role and a handful of creators."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from creatordesk.accounts.models import Role, User, Workspace
from creatordesk.accounts.services import membership_set, user_create, workspace_create
from creatordesk.campaigns.briefs import brief_save
from creatordesk.campaigns.models import Campaign, Collaboration, CollaborationStatus
from creatordesk.campaigns.products import campaign_update, product_create
from creatordesk.campaigns.services import (
    campaign_create,
    collaboration_create,
    collaboration_set_due,
    shipment_create,
)
from creatordesk.creators.models import Creator
from creatordesk.creators.services import account_upsert, creator_create
from creatordesk.performance.ingest import snapshots_ingest
from creatordesk.performance.models import AmplifyTask, Post
from creatordesk.performance.services import amplify_code_submit, post_create, viral_check_posts
from creatordesk.placements.demo import load_placements_demo
from creatordesk.reviews.services import StageConfig, stages_configure
from creatordesk.shop.demo import load_shop_demo
from creatordesk.visuals.demo import load_visuals_demo

DEMO_PASSWORD = "creatordesk-demo"
DEMO_WORKSPACE = "Lumenhaut Naturkosmetik"
DEMO_SECOND_WORKSPACE = "Nordlicht Vital"
DEMO_USERS = [
    ("owner@lumenhaut.example", "Olivia", "Ostermann", Role.OWNER),
    ("manager@lumenhaut.example", "Mara", "Meier", Role.MANAGER),
    ("reviewer@lumenhaut.example", "Ruben", "Richter", Role.REVIEWER),
    ("legal@lumenhaut.example", "Lena", "Lang", Role.REVIEWER),
    ("performance@lumenhaut.example", "Paul", "Peters", Role.PERFORMANCE),
    ("viewer@lumenhaut.example", "Vera", "Vogel", Role.VIEWER),
]
# name, TikTok handle, country, languages, categories, followers, engagement rate (%)
DEMO_CREATORS = [
    ("Jana Glow", "jana.glow", "DE", "de", "skincare, beauty", 184_000, 5.1),
    ("Skin by Mehmet", "skinbymehmet", "DE", "de, tr", "skincare, men", 96_500, 3.8),
    ("Lisa Liebt Pflege", "lisaliebtpflege", "AT", "de", "skincare", 41_200, 6.4),
    ("Clara Clean Beauty", "claracleanbeauty", "CH", "de, fr", "beauty, clean beauty", 233_000, 2.2),
    ("Tom testet", "tomtestet", "DE", "de, en", "reviews, tech", 58_900, 3.1),
    ("Emma in Berlin", "emma.in.berlin", "DE", "en, de", "lifestyle, beauty", 12_700, 7.9),
]


def _user(email: str, first: str, last: str) -> User:
    existing = User.objects.filter(email=email).first()
    return existing or user_create(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)


@transaction.atomic
def load_demo() -> Workspace:
    """Create the demo data once; running it again changes nothing."""
    users = {email: _user(email, first, last) for email, first, last, _role in DEMO_USERS}
    owner = users[DEMO_USERS[0][0]]
    workspace = Workspace.objects.filter(name=DEMO_WORKSPACE).first() or workspace_create(
        name=DEMO_WORKSPACE, owner=owner
    )
    for email, _first, _last, role in DEMO_USERS:
        membership_set(workspace=workspace, user=users[email], role=role)
    # An agency runs several brands: the manager also works for a second one.
    second = Workspace.objects.filter(name=DEMO_SECOND_WORKSPACE).first() or workspace_create(
        name=DEMO_SECOND_WORKSPACE, owner=owner
    )
    membership_set(workspace=second, user=users["manager@lumenhaut.example"], role=Role.MANAGER)

    creators = []
    for name, handle, country, languages, categories, followers, engagement in DEMO_CREATORS:
        creator = Creator.objects.for_workspace(workspace).filter(tiktok_handle=handle).first()
        if creator is None:
            creator = creator_create(
                workspace=workspace,
                display_name=name,
                tiktok_handle=handle,
                email=f"{handle.replace('.', '')}@creators.example",
                country=country,
                languages=languages,
                categories=categories,
            )
            account_upsert(
                creator=creator,
                platform="tiktok",
                handle=handle,
                followers=followers,
                engagement_rate=engagement,
            )
        creators.append(creator)
    campaign = Campaign.objects.for_workspace(workspace).filter(name="Vitamin-C-Serum Herbst-Launch").first()
    if campaign is None:
        campaign = campaign_create(
            workspace=workspace,
            name="Vitamin-C-Serum Herbst-Launch",
            description="TikTok-Shop-Launch des Vitamin-C-Serums mit 6 Creator:innen.",
            starts_on=datetime.date(2026, 10, 1),
            ends_on=datetime.date(2026, 12, 15),
        )
        serum = product_create(
            workspace=workspace,
            name="Vitamin-C-Serum 30 ml",
            sku="LH-VC-30",
            description="Serum mit 15 % Vitamin C für einen frischen Teint.",
        )
        campaign_update(
            campaign=campaign,
            name=campaign.name,
            description=campaign.description,
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            products=[serum],
            budget_eur=Decimal("12000"),
            commission_rate=Decimal("15"),
            target_categories="skincare, beauty",
            target_countries="DE, AT, CH",
            target_languages="de",
        )
        brief_save(
            campaign=campaign,
            language="de",
            goal="Das neue Vitamin-C-Serum im TikTok Shop bekannt machen und verkaufen.",
            must_mentions=["Vitamin C", "Lumenhaut"],
            dos=["Zeige das Serum in den ersten 3 Sekunden", "Trage es vor der Kamera auf"],
            donts=["Keine Heilversprechen", "Keine Vorher-nachher-Vergleiche mit Filtern"],
            banned_terms=["Botox", "Anti-Aging-Wunder"],
            competitors=["Glowbase", "Serumwerk"],
            disclosure_required=True,
            video_format="9:16",
            min_duration_s=15,
            max_duration_s=60,
            hook_ideas=["Mein Morgen in 15 Sekunden", "Was 2 Wochen Vitamin C mit meiner Haut machen"],
            caption="Werbung | Mein neues Vitamin-C-Serum von Lumenhaut #lumenhaut",
        )
        # Legal is decided by the legal reviewer (or the owner), never by whoever approved the first stage.
        stages_configure(
            campaign_id=campaign.pk,
            workspace_id=workspace.pk,
            stages=[
                StageConfig(name="Creator-Management", position=1, roles=(Role.MANAGER, Role.REVIEWER)),
                StageConfig(
                    name="Legal", position=2, roles=(Role.OWNER,), members=(users["legal@lumenhaut.example"],)
                ),
            ],
            actor="demo",
        )
    statuses = [
        CollaborationStatus.INVITED,
        CollaborationStatus.SAMPLE_SENT,
        CollaborationStatus.BRIEFED,
        CollaborationStatus.DRAFT_SUBMITTED,
        CollaborationStatus.APPROVED,
        CollaborationStatus.POSTED,
    ]
    for creator, status in zip(creators, statuses, strict=True):
        collaboration = collaboration_create(campaign=campaign, creator=creator, status=status)
        if status == CollaborationStatus.POSTED:
            _demo_posts(collaboration)
        _demo_deadlines(collaboration)
    load_shop_demo(campaign=campaign)
    load_placements_demo(workspace=workspace)
    load_visuals_demo(workspace=workspace, campaign=campaign, actor=owner)
    return workspace


def _demo_deadlines(collaboration: Collaboration) -> None:
    """Work that is late, so the home page's "needs you now" list has something to show.

    Dates count back from the day the demo is loaded; a second run leaves what the first one set.
    """
    today = timezone.localdate()
    if collaboration.status == CollaborationStatus.BRIEFED and not collaboration.shipments.exists():
        # The sample arrived nine days ago and the draft was due two days ago: nothing came back yet.
        shipment_create(
            collaboration=collaboration,
            carrier="DHL",
            tracking_number="00340434161094042557",
            status="delivered",
            actor="demo",
            on=today - datetime.timedelta(days=9),
        )
    late_by = {CollaborationStatus.BRIEFED: 2, CollaborationStatus.APPROVED: 1}.get(
        CollaborationStatus(collaboration.status)
    )
    if late_by and collaboration.due_on is None:
        collaboration_set_due(
            collaboration=collaboration, due_on=today - datetime.timedelta(days=late_by), actor="demo"
        )


# Platform id, days since posting, views it levels off at: videos of the posted creator. The two
# youngest run far ahead of her earlier ones at the same age, so the breakout check flags them.
DEMO_POSTS = [
    ("7450000000000000101", 20, 38_000),
    ("7450000000000000104", 14, 30_000),
    ("7450000000000000102", 9, 52_000),
    ("7450000000000000103", 2, 160_000),
    ("7450000000000000105", 1, 160_000),
]
DEMO_PRICE = Decimal("24.90")
# The creator has already entered the Spark Ads code asked for this video; the other request is open.
DEMO_CODE_POST = "7450000000000000103"
DEMO_SPARK_CODE = "#Spark-Demo-Emma-7450000000000000103"


def _demo_posts(collaboration: Collaboration) -> None:
    """Posted videos with figures every six hours, so the performance page has something to show.

    Each video is added once. New ones go through the breakout check a poll runs, which raises the
    alerts and asks the creator for Spark Ads codes; the creator then answers one of the requests.
    """
    existing = set(Post.objects.filter(collaboration=collaboration).values_list("external_id", flat=True))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = []
    for external_id, days_ago, final in DEMO_POSTS:
        if external_id in existing:
            continue
        posted = now - datetime.timedelta(days=days_ago)
        post = post_create(
            collaboration=collaboration,
            platform="tiktok",
            external_id=external_id,
            url=f"https://www.tiktok.com/@emma.in.berlin/video/{external_id}",
            posted_at=posted,
        )
        rows = []
        for hours in range(6, days_ago * 24 + 1, 6):
            views = int(final * (1 - math.exp(-hours / 40)))
            orders = views // 700
            rows.append(
                (post.pk, posted + datetime.timedelta(hours=hours), views, views // 14, views // 350,
                 views // 600, views // 200, orders, DEMO_PRICE * orders)
            )  # fmt: skip
        snapshots_ingest(workspace_id=collaboration.workspace_id, rows=rows)
        created.append(post.pk)
    if not created:
        return
    # Checked once all curves are stored: a video is judged against the creator's other videos.
    viral_check_posts(post_ids=created)
    task = (
        AmplifyTask.objects.filter(post__collaboration=collaboration, post__external_id=DEMO_CODE_POST)
        .filter(status=AmplifyTask.Status.REQUESTED)
        .first()
    )
    if task is not None:
        amplify_code_submit(
            task=task,
            spark_code=DEMO_SPARK_CODE,
            code_expires_on=timezone.localdate() + datetime.timedelta(days=30),
        )
