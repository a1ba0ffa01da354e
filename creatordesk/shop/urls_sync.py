"""Pages of the TikTok Shop area: sync, target collaborations and the blocklist."""

from django.urls import URLPattern, path

from creatordesk.shop import views_sync

urlpatterns: list[URLPattern] = [
    path("", views_sync.index, name="sync_index"),
    path("sync/", views_sync.sync_start, name="sync_start"),
    path("sync/status/", views_sync.sync_status, name="sync_status"),
    path(
        "campaigns/<int:campaign_pk>/collaborations/new/",
        views_sync.collaboration_create,
        name="sync_collaboration_create",
    ),
    path(
        "sample-requests/<int:shipment_id>/review/",
        views_sync.sample_request_review,
        name="sync_sample_request_review",
    ),
    path(
        "collaborations/<int:shop_collaboration_id>/update/",
        views_sync.collaboration_update,
        name="sync_collaboration_update",
    ),
    path(
        "collaborations/<int:shop_collaboration_id>/remove/",
        views_sync.collaboration_remove,
        name="sync_collaboration_remove",
    ),
    path("figures/", views_sync.figures_refresh, name="sync_figures_refresh"),
    path("blocklist/", views_sync.blocklist, name="sync_blocklist"),
    path("blocklist/<int:creator_pk>/remove/", views_sync.blocklist_remove, name="sync_blocklist_remove"),
]
