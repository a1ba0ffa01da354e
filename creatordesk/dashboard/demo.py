"""The demo workspace: a German skincare brand with a user of every role and a handful of creators."""

from __future__ import annotations

import datetime

from django.db import transaction

from creatordesk.accounts.models import Role, User, Workspace
from creatordesk.accounts.services import membership_set, user_create, workspace_create
from creatordesk.campaigns.models import Campaign, CollaborationStatus
from creatordesk.campaigns.services import campaign_create, collaboration_create
from creatordesk.creators.models import Creator
from creatordesk.creators.services import creator_create

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
DEMO_CREATORS = [
    ("Jana Glow", "jana.glow", "DE", "de"),
    ("Skin by Mehmet", "skinbymehmet", "DE", "de, tr"),
    ("Lisa Liebt Pflege", "lisaliebtpflege", "AT", "de"),
    ("Clara Clean Beauty", "claracleanbeauty", "CH", "de, fr"),
    ("Tom testet", "tomtestet", "DE", "de, en"),
    ("Emma in Berlin", "emma.in.berlin", "DE", "en, de"),
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
    for name, handle, country, languages in DEMO_CREATORS:
        creator = Creator.objects.for_workspace(workspace).filter(tiktok_handle=handle).first()
        creators.append(
            creator
            or creator_create(
                workspace=workspace,
                display_name=name,
                tiktok_handle=handle,
                email=f"{handle.replace('.', '')}@creators.example",
                country=country,
                languages=languages,
            )
        )
    campaign = Campaign.objects.for_workspace(workspace).filter(name="Vitamin-C-Serum Herbst-Launch").first()
    if campaign is None:
        campaign = campaign_create(
            workspace=workspace,
            name="Vitamin-C-Serum Herbst-Launch",
            description="TikTok-Shop-Launch des Vitamin-C-Serums mit 6 Creator:innen.",
            starts_on=datetime.date(2026, 10, 1),
            ends_on=datetime.date(2026, 12, 15),
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
        collaboration_create(campaign=campaign, creator=creator, status=status)
    return workspace
