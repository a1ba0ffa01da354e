from django.urls import URLPattern

from creatordesk.shop import urls_checks, urls_imports, urls_profit, urls_samples, urls_sync

app_name = "shop"

# Each part of the area keeps its own list: sync and collaborations, Seller Center imports, profit
# and tiers, the sample-to-post loop, and the checks of posted videos.
urlpatterns: list[URLPattern] = [
    *urls_sync.urlpatterns,
    *urls_imports.urlpatterns,
    *urls_profit.urlpatterns,
    *urls_samples.urlpatterns,
    *urls_checks.urlpatterns,
]
