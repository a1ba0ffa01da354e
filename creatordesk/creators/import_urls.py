"""URLs of the creator import (mounted under /creators/import/ in the `creators` namespace)."""

from django.urls import path

from creatordesk.creators import import_views

urlpatterns = [
    path("", import_views.import_upload, name="import_upload"),
    path("<str:token>/columns/", import_views.import_mapping, name="import_mapping"),
    path("<str:token>/preview/", import_views.import_preview, name="import_preview"),
    path("<str:token>/commit/", import_views.import_commit, name="import_commit"),
    path("<str:token>/jobs/<int:job_pk>/", import_views.import_job, name="import_job"),
    path("<str:token>/discard/", import_views.import_discard, name="import_discard"),
]
