from django.contrib import admin
from django.urls import include, path

from creatordesk.api import api

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
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
