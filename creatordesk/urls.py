from django.contrib import admin
from django.urls import include, path

from creatordesk.api import api, unknown_path

urlpatterns = [
    path("", include("creatordesk.dashboard.urls")),
    path("accounts/", include("creatordesk.accounts.urls")),
    path("creators/portal/<str:token>/amplify/", include("creatordesk.performance.portal_urls")),
    path("creators/portal/<str:token>/", include("creatordesk.reviews.portal_urls")),
    path("creators/portal/<str:token>/", include("creatordesk.campaigns.portal_urls")),
    path("creators/", include("creatordesk.creators.urls")),
    path("campaigns/", include("creatordesk.campaigns.urls")),
    path("reviews/", include("creatordesk.reviews.urls")),
    path("performance/", include("creatordesk.performance.urls")),
    path("notifications/", include("creatordesk.notifications.urls")),
    path("shop/", include("creatordesk.shop.urls")),
    path("placements/", include("creatordesk.placements.urls")),
    path("visuals/", include("creatordesk.visuals.urls")),
    # Every /api/ path the API does not have answers JSON; the rest of the site keeps its HTML 404.
    # The bare root comes first, before the API's own root view that raises the HTML one.
    path("api/", unknown_path),
    path("api/", api.urls),
    path("api/<path:rest>", unknown_path),
    path("admin/", admin.site.urls),
]
