from django.contrib import admin

from creatordesk.performance.models import AmplifyTask, Benchmark, MetricSnapshot, Post, ViralAlert


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "platform", "format", "posted_at", "workspace"]
    list_filter = ["platform", "format"]
    search_fields = ["external_id", "url", "caption"]


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(admin.ModelAdmin):
    list_display = ["post", "taken_at", "views", "orders", "gmv_eur"]


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
