"""Pages of the TikTok Shop area: profit."""

from django.urls import URLPattern, path

from creatordesk.shop import views_profit

urlpatterns: list[URLPattern] = [
    path("profit/", views_profit.profit_index, name="profit_index"),
]
