from django.urls import include, path

from creatordesk.creators import community_views, list_views, views

app_name = "creators"

urlpatterns = [
    path("", list_views.creator_list, name="creator_list"),
    path("import/", include("creatordesk.creators.import_urls")),
    path("segments/", community_views.segment_list, name="segment_list"),
    path("segments/<int:segment_pk>/", community_views.segment_detail, name="segment_detail"),
    path("broadcasts/<int:broadcast_pk>/", community_views.broadcast_detail, name="broadcast_detail"),
    path("<int:creator_pk>/export.json", views.creator_export, name="creator_export"),
    path("<int:creator_pk>/erase/", views.creator_erase, name="creator_erase"),
    path("<int:creator_pk>/edit/", views.creator_edit, name="creator_edit"),
    path("<int:creator_pk>/accounts/", views.account_add, name="account_add"),
    path("new/", views.creator_create, name="creator_create"),
    path("<int:creator_pk>/", views.creator_detail, name="creator_detail"),
    path("<int:creator_pk>/portal-link/", views.creator_portal_link, name="creator_portal_link"),
    path("portal/<str:token>/", views.portal, name="portal"),
]
