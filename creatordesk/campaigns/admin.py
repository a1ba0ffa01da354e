from django.contrib import admin

from creatordesk.campaigns.models import Campaign, Collaboration


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "starts_on", "ends_on"]
    list_filter = ["workspace"]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["creator", "campaign", "status", "due_on"]
    list_filter = ["status", "workspace"]
