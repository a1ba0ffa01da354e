from django.urls import path

from creatordesk.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:campaign_pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_pk>/collaborations/add/", views.collaboration_add, name="collaboration_add"),
]
