from django.urls import path

from creatordesk.campaigns import fit_views, pipeline, views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:campaign_pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:campaign_pk>/collaborations/add/", views.collaboration_add, name="collaboration_add"),
    path("<int:campaign_pk>/brief/", views.brief_edit, name="brief_edit"),
    path("<int:campaign_pk>/brief/preview/", views.brief_preview, name="brief_preview"),
    path("<int:campaign_pk>/brief.yaml", views.brief_yaml, name="brief_yaml"),
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:product_pk>/", views.product_detail, name="product_detail"),
    path("products/<int:product_pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:product_pk>/images/", views.product_image_add, name="product_image_add"),
    path("products/images/<int:image_pk>/", views.product_image, name="product_image"),
    path("products/images/<int:image_pk>/delete/", views.product_image_delete, name="product_image_delete"),
    path("<int:campaign_pk>/board/", pipeline.board, name="board"),
    path("<int:campaign_pk>/board/bulk/", pipeline.bulk_move, name="bulk_move"),
    path("<int:campaign_pk>/fit/", fit_views.fit_ranking, name="fit_ranking"),
    path("<int:campaign_pk>/fit/add/", fit_views.fit_add, name="fit_add"),
    path("collaborations/<int:collaboration_pk>/move/", pipeline.move, name="collaboration_move"),
    path("collaborations/<int:collaboration_pk>/shipments/", pipeline.shipment_add, name="shipment_add"),
    path("collaborations/<int:collaboration_pk>/fee/", pipeline.collaboration_fee, name="collaboration_fee"),
    path("shipments/<int:shipment_pk>/status/", pipeline.shipment_status, name="shipment_status"),
]
