"""The benchmark data migration seeds the published study figures, and can be reversed."""

from __future__ import annotations

import importlib
from decimal import Decimal

from django.apps import apps as django_apps

from creatordesk.performance.models import Benchmark

SEEDED = ("performance", "0002_seed_metricool_2026_benchmarks")
# The test database is built by running every migration, so the seeded rows are already there.


def test_benchmarks_hold_the_metricool_2026_figures(db) -> None:
    values = {(b.platform, b.format, b.metric): (b.value, b.unit) for b in Benchmark.objects.all()}
    assert values[("tiktok", "video", "views")] == (Decimal("28482"), "per_post")
    assert values[("tiktok", "video", "interactions")] == (Decimal("944"), "per_post")
    assert values[("instagram", "carousel", "interactions")] == (Decimal("3"), "times")
    assert values[("facebook", "video", "reach")] == (Decimal("51"), "pct_more")
    assert values[("facebook", "video", "interactions")] == (Decimal("56"), "pct_more")
    assert values[("linkedin", "carousel", "interactions")] == (Decimal("247"), "pct_more")
    assert values[("linkedin", "poll", "reach")] == (Decimal("158"), "pct_more")
    assert values[("youtube", "video", "views")] == (Decimal("30"), "pct_more")
    assert {b.source for b in Benchmark.objects.all()} == {"Metricool, Social Media Study 2026"}
    assert all("AllSocial" in b.citation for b in Benchmark.objects.all())


def test_the_seed_reverses_to_an_empty_table_and_reapplies(db) -> None:
    seed_module = importlib.import_module("creatordesk.performance.migrations." + SEEDED[1])
    seed_module.unseed(django_apps, None)
    assert not Benchmark.objects.exists()
    seed_module.seed(django_apps, None)
    assert Benchmark.objects.count() == 8


def test_running_the_seed_again_updates_instead_of_duplicating(db) -> None:
    seed_module = importlib.import_module("creatordesk.performance.migrations." + SEEDED[1])
    Benchmark.objects.filter(platform="tiktok", metric="views").update(value=1)
    seed_module.seed(django_apps, None)
    assert Benchmark.objects.count() == 8
    assert Benchmark.objects.get(platform="tiktok", metric="views").value == Decimal("28482")
