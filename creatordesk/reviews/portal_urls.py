from django.urls import path

from creatordesk.reviews import portal_views

app_name = "portal"

urlpatterns = [
    path("collaborations/<int:collaboration_pk>/", portal_views.collaboration, name="collaboration"),
    path("submissions/<int:submission_pk>/", portal_views.submission, name="submission"),
    path("submissions/<int:submission_pk>/versions/new/", portal_views.version_upload, name="version_upload"),
    path("versions/<int:version_pk>/comments/", portal_views.comment, name="comment"),
    path("versions/<int:version_pk>/media/", portal_views.media, name="media"),
    path("versions/<int:version_pk>/status/", portal_views.status, name="status"),
]
