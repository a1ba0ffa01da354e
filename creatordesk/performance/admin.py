from django.contrib import admin
from django.http import HttpRequest

from creatordesk.performance.models import AmplifyTask, Benchmark, MetricSnapshot, Post, ViralAlert


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "platform", "format", "posted_at", "workspace"]
    list_filter = ["platform", "format"]
    search_fields = ["external_id", "url", "caption"]
    # Kept by the ingest from the snapshots; editing them here would only make them disagree.
    readonly_fields = [
        "collaboration",
        "metrics_at",
        "views",
        "likes",
        "comments",
        "shares",
        "saves",
        "orders",
        "gmv_eur",
    ]


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots change through the ingest, which keeps the totals derived from them."""

    list_display = ["post", "taken_at", "views", "orders", "gmv_eur"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ViralAlert)
class ViralAlertAdmin(admin.ModelAdmin):
    list_display = ["post", "threshold", "score", "created_at", "snoozed_until"]
    list_filter = ["threshold"]


@admin.register(AmplifyTask)
class AmplifyTaskAdmin(admin.ModelAdmin):
    list_display = ["post", "status", "code_expires_on", "requested_at"]
    list_filter = ["status"]


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ["platform", "format", "metric", "value", "unit", "source"]
    list_filter = ["platform", "source"]
