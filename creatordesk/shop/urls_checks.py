"""Pages of the TikTok Shop area: checks of posted videos against the approved version."""

from django.urls import URLPattern, path

from creatordesk.shop import views_checks

urlpatterns: list[URLPattern] = [
    path("checks/", views_checks.checks_index, name="checks_index"),
    path("checks/<int:check_id>/", views_checks.checks_detail, name="checks_detail"),
    path("checks/<int:check_id>/video/", views_checks.checks_upload, name="checks_upload"),
    path("checks/<int:check_id>/again/", views_checks.checks_again, name="checks_again"),
]
