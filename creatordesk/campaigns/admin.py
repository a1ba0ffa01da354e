from django.contrib import admin

from creatordesk.campaigns.models import Brief, Campaign, Collaboration, Product, ProductImage


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "starts_on", "ends_on", "budget_eur", "commission_rate"]
    list_filter = ["workspace"]
    # A plain multi-select would offer every workspace's products; ids keep the admin honest.
    raw_id_fields = ["products"]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["creator", "campaign", "status", "due_on"]
    list_filter = ["status", "workspace"]


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    fields = ["image", "created_at"]
    readonly_fields = ["image", "created_at"]
    extra = 0

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        # Uploads go through the app, which checks the file is a real picture within the limits.
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["name", "sku"]
    inlines = [ProductImageInline]


@admin.register(Brief)
class BriefAdmin(admin.ModelAdmin):
    list_display = ["campaign", "language", "disclosure_required", "updated_at"]
    list_filter = ["workspace", "language"]
    raw_id_fields = ["campaign"]
