from django.contrib import admin

from creatordesk.creators.models import Creator


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "tiktok_handle", "country", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["display_name", "tiktok_handle", "email"]
