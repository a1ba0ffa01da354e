from django.contrib import admin
from django.http import HttpRequest

from creatordesk.reviews.models import (
    AuditEvent,
    Comment,
    Decision,
    Finding,
    ReviewStage,
    Submission,
    Version,
)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["title", "collaboration", "due_at", "workspace"]


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    list_display = ["submission", "number", "analysis_status", "verdict", "outcome"]
    list_filter = ["analysis_status", "verdict", "outcome"]


admin.site.register([Finding, Comment, Decision, ReviewStage])


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: readable here, never edited or deleted."""

    list_display = ["created_at", "actor", "verb", "submission"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
