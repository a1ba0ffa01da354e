"""Seed the Metricool Social Media Study 2026 figures as reported by AllSocial."""

from decimal import Decimal

from django.db import migrations

SOURCE = "Metricool, Social Media Study 2026"
CITATION = (
    "Metricool, Social Media Study 2026 (over 1 million accounts, about 39 million posts), "
    "as reported by AllSocial: Aktuelle Trends, Studien und Statistiken aus der Social Media-Welt 2026"
)

# (platform, format, metric, value, unit, compared_with)
ROWS = [
    ("tiktok", "video", "views", "28482", "per_post", ""),
    ("tiktok", "video", "interactions", "944", "per_post", ""),
    ("instagram", "carousel", "interactions", "3", "times", "single images"),
    ("facebook", "video", "reach", "51", "pct_more", "other formats"),
    ("facebook", "video", "interactions", "56", "pct_more", "other formats"),
    ("linkedin", "carousel", "interactions", "247", "pct_more", "other formats"),
    ("linkedin", "poll", "reach", "158", "pct_more", "other formats"),
    ("youtube", "video", "views", "30", "pct_more", ""),  # the report names no baseline
]


def seed(apps, schema_editor):
    Benchmark = apps.get_model("performance", "Benchmark")
    for platform, fmt, metric, value, unit, compared_with in ROWS:
        Benchmark.objects.update_or_create(
            platform=platform,
            format=fmt,
            metric=metric,
            source=SOURCE,
            defaults={
                "value": Decimal(value),
                "unit": unit,
                "compared_with": compared_with,
                "citation": CITATION,
                "published_on": None,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("performance", "Benchmark").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_posts_metrics_alerts_benchmarks")]

    operations = [migrations.RunPython(seed, unseed)]
