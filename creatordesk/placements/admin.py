from django.contrib import admin

from creatordesk.placements.models import (
    AdSetSetting,
    ExclusionAnalysis,
    ExclusionPlan,
    InsightsRun,
    PlacementRecord,
)


@admin.register(PlacementRecord)
class PlacementRecordAdmin(admin.ModelAdmin):
    list_display = ("starts", "campaign_name", "ad_name", "publisher_platform", "platform_position", "spend")
    list_filter = ("publisher_platform", "source")
    search_fields = ("campaign_name", "adset_name", "ad_name", "campaign_id", "ad_id")


admin.site.register(AdSetSetting)
admin.site.register(ExclusionPlan)
admin.site.register(ExclusionAnalysis)
admin.site.register(InsightsRun)
