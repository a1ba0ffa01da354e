from django.contrib import admin

from creatordesk.notifications.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["name", "flavour", "active", "workspace"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "target", "status", "attempts"]
    list_filter = ["status", "event"]
