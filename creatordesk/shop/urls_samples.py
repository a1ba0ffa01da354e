"""Pages of the TikTok Shop area: samples."""

from django.urls import URLPattern, path

from creatordesk.shop import views_samples

urlpatterns: list[URLPattern] = [
    path("samples/", views_samples.samples_index, name="samples_index"),
]
