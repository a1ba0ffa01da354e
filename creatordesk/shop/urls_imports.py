"""Pages of the TikTok Shop area: imports of Seller Center exports."""

from django.urls import URLPattern, path

from creatordesk.shop import views_imports

urlpatterns: list[URLPattern] = [
    path("import/", views_imports.imports_index, name="imports_index"),
    path("import/commit/", views_imports.imports_commit, name="imports_commit"),
]
