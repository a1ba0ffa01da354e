from django.urls import path

from creatordesk.creators import views

app_name = "creators"

urlpatterns = [
    path("", views.creator_list, name="creator_list"),
    path("new/", views.creator_create, name="creator_create"),
    path("<int:creator_pk>/", views.creator_detail, name="creator_detail"),
    path("<int:creator_pk>/portal-link/", views.creator_portal_link, name="creator_portal_link"),
    path("portal/<str:token>/", views.portal, name="portal"),
]
