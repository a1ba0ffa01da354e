"""How fast is the creator list with 50,000 creators, compared with a trivial page?

Creates a workspace with 50,000 creators (one or two platform accounts each) on a throw-away SQLite
database, then requests /creators/ through Django's test client as a signed-in manager: 30 requests
over a mix of searches, filters, sort orders and pages. In the same run it times /health/, a page that
does one `SELECT 1`, so the ratio shows the list's own cost on this machine.

Target: median under 150 ms. Exits 1 when it is missed.

    .venv/bin/python bench/creator_list.py [--creators N] [--keep]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from _django import median, percentile, setup_django

TARGET_MEDIAN_MS = 150.0
COUNTRIES = ["DE", "AT", "CH", "FR", "IT", "ES", "GB", "US", "PL", "NL"]
LANGUAGES = ["de", "de, en", "en", "fr, en", "it", "es, en", "pl", "nl, de"]
CATEGORIES = [
    "skincare",
    "skincare, beauty",
    "fitness",
    "food",
    "fashion, beauty",
    "tech",
    "home",
    "parenting",
]
TAGS = ["", "vip", "autumn launch", "vip, gifting", "", "", "new", ""]
# A spread of what people do on the page: the first page in each order, searches that match many,
# few or no creators, each filter, combinations, and pages deep into the list.
REQUESTS = [
    {}, {"sort": "followers"}, {"sort": "engagement"}, {"sort": "newest"},
    {"q": "glow"}, {"q": "creator 4711"}, {"q": "@handle_1234"}, {"q": "nobody-matches-this"},
    {"country": "DE"}, {"country": "AT", "sort": "followers"}, {"language": "en"},
    {"category": "beauty"}, {"tag": "vip"}, {"platform": "instagram"},
    {"min_followers": "500000"}, {"min_followers": "100000", "sort": "engagement"},
    {"country": "DE", "language": "de", "category": "skincare"},
    {"platform": "instagram", "min_followers": "50000", "sort": "followers"},
    {"page": "2"}, {"page": "20"}, {"page": "200"}, {"page": "1000"},
    {"sort": "followers", "page": "500"}, {"q": "a", "page": "3"},
    {"country": "FR", "tag": "gifting"}, {"q": "creator 1", "sort": "newest"},
    {"category": "food", "sort": "engagement", "page": "10"}, {"language": "pl"},
    {"sort": "newest", "page": "999"}, {"q": "Glow", "country": "DE", "sort": "followers"},
]  # fmt: skip


def populate(count: int) -> object:
    """A workspace with `count` creators; returns its manager."""
    from creatordesk.accounts.models import Role
    from creatordesk.accounts.services import membership_set, user_create, workspace_create
    from creatordesk.creators.models import Creator, Platform, PlatformAccount

    owner = user_create(email="owner@bench.example", password=None)
    workspace = workspace_create(name="Bench brand", owner=owner)
    manager = user_create(email="manager@bench.example", password=None)
    membership_set(workspace=workspace, user=manager, role=Role.MANAGER)
    rng = random.Random(7)
    creators = [
        Creator(
            workspace=workspace,
            display_name=f"{rng.choice(['Glow', 'Skin', 'Daily', 'Real'])} creator {i}",
            email=f"creator{i}@bench.example",
            country=rng.choice(COUNTRIES),
            languages=rng.choice(LANGUAGES),
            categories=rng.choice(CATEGORIES),
            tags=rng.choice(TAGS),
            followers=int(rng.paretovariate(1.2) * 2000),
            engagement_rate=round(rng.uniform(0.5, 12), 2),
        )
        for i in range(count)
    ]
    Creator.objects.bulk_create(creators, batch_size=2000)
    accounts = []
    for creator in creators:
        accounts.append(
            PlatformAccount(
                workspace=workspace, creator=creator, platform=Platform.TIKTOK,
                handle=f"handle_{creator.pk}", followers=creator.followers,
                engagement_rate=creator.engagement_rate,
            )
        )  # fmt: skip
        if creator.pk % 3 == 0:
            accounts.append(
                PlatformAccount(
                    workspace=workspace,
                    creator=creator,
                    platform=Platform.INSTAGRAM,
                    handle=f"ig_{creator.pk}",
                )
            )
    PlatformAccount.objects.bulk_create(accounts, batch_size=2000)
    return manager


def timed_get(client: object, path: str, params: dict[str, str]) -> float:
    start = time.perf_counter()
    response = client.get(path, params)  # type: ignore[attr-defined]
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {path} {params} answered {response.status_code}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    args = parser.parse_args()
    folder = setup_django(keep=args.keep)

    from django.test import Client

    start = time.perf_counter()
    manager = populate(args.creators)
    print(f"created {args.creators:,} creators in {time.perf_counter() - start:.1f} s ({folder})")

    client = Client()
    client.force_login(manager)  # type: ignore[arg-type]
    for params in REQUESTS[:3]:  # warm-up: templates, translations, SQLite page cache
        timed_get(client, "/creators/", params)
        timed_get(client, "/health/", {})
    list_ms = [timed_get(client, "/creators/", params) for params in REQUESTS]
    health_ms = [timed_get(client, "/health/", {}) for _ in REQUESTS]

    slowest = sorted(zip(list_ms, map(str, REQUESTS), strict=True), reverse=True)[:3]
    list_median, baseline = median(list_ms), median(health_ms)
    print(
        f"creator list: median {list_median:.1f} ms, p95 {percentile(list_ms, 0.95):.1f} ms over {len(list_ms)} requests"
    )
    print(f"baseline /health/: median {baseline:.2f} ms")
    print(f"ratio list/health: {list_median / baseline:.0f}x")
    print("slowest: " + "; ".join(f"{ms:.0f} ms {params}" for ms, params in slowest))
    ok = list_median < TARGET_MEDIAN_MS
    print(f"target median < {TARGET_MEDIAN_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
