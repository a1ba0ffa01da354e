from django.contrib import admin

from creatordesk.shop.models import AffiliateOrder, CreatorBlock, PostCheck, ShopCollaboration, SyncRun


@admin.register(ShopCollaboration)
class ShopCollaborationAdmin(admin.ModelAdmin):
    list_display = ("name", "workspace", "campaign", "status", "external_id", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "external_id")


@admin.register(AffiliateOrder)
class AffiliateOrderAdmin(admin.ModelAdmin):
    list_display = ("order_id", "sku_id", "workspace", "creator_username", "status", "gmv", "currency")
    list_filter = ("status", "source")
    search_fields = ("order_id", "creator_username")


@admin.register(CreatorBlock)
class CreatorBlockAdmin(admin.ModelAdmin):
    list_display = ("creator", "workspace", "reason", "created_at")


@admin.register(PostCheck)
class PostCheckAdmin(admin.ModelAdmin):
    list_display = ("post", "workspace", "status", "verdict", "created_at")
    list_filter = ("status", "verdict")


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ("workspace", "started_at", "status", "error")
    list_filter = ("status",)
