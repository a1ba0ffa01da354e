from django.urls import URLPattern, path

from creatordesk.visuals import views, views_prompts

app_name = "visuals"

urlpatterns: list[URLPattern] = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("<int:asset_id>/", views.asset_detail, name="asset_detail"),
    path("<int:asset_id>/progress/", views.check_progress, name="check_progress"),
    path("<int:asset_id>/recheck/", views.recheck, name="recheck"),
    path("<int:asset_id>/image/", views.asset_image, name="asset_image"),
    path("<int:asset_id>/download/", views.asset_download, name="asset_download"),
    path("<int:asset_id>/decide/", views.decide, name="decide"),
    path(
        "<int:asset_id>/checks/<int:visual_check_id>/findings/<int:index>/",
        views.finding_decide,
        name="finding_decide",
    ),
    path("brand/", views.brand, name="brand"),
    path("brand/references/<int:reference_id>/", views.reference_image, name="reference_image"),
    path("prompts/", views_prompts.template_list, name="template_list"),
    path("prompts/new/", views_prompts.template_new, name="template_new"),
    path("prompts/<int:template_id>/", views_prompts.template_detail, name="template_detail"),
    path("prompts/<int:template_id>/generate/", views_prompts.prompt_generate, name="prompt_generate"),
]
