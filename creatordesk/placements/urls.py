from django.urls import URLPattern, path

from creatordesk.placements import views, views_imports, views_sync

app_name = "placements"

urlpatterns: list[URLPattern] = [
    path("", views.audit, name="audit"),
    path("ad-sets/", views.ad_set_setting, name="ad_set_setting"),
    path("import/", views_imports.imports_index, name="imports_index"),
    path("import/commit/", views_imports.imports_commit, name="imports_commit"),
    path("tests/", views.plan_list, name="plan_list"),
    path("tests/plans/new/", views.plan_new, name="plan_new"),
    path("tests/plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("tests/analyses/new/", views.analysis_new, name="analysis_new"),
    path("tests/analyses/<int:analysis_id>/", views.analysis_detail, name="analysis_detail"),
    path("sync/", views_sync.sync_index, name="sync_index"),
    path("sync/start/", views_sync.sync_start, name="sync_start"),
    path("sync/<int:insights_run_id>/", views_sync.sync_progress, name="sync_progress"),
]
