from django.urls import path

from creatordesk.reviews import portal_views, upload_views

app_name = "portal"

urlpatterns = [
    path("collaborations/<int:collaboration_pk>/", portal_views.collaboration, name="collaboration"),
    path("submissions/<int:submission_pk>/", portal_views.submission, name="submission"),
    path("submissions/<int:submission_pk>/versions/new/", portal_views.version_upload, name="version_upload"),
    path(
        "collaborations/<int:collaboration_pk>/uploads/",
        upload_views.portal_submission_upload_start,
        name="submission_upload_start",
    ),
    path(
        "submissions/<int:submission_pk>/uploads/",
        upload_views.portal_version_upload_start,
        name="version_upload_start",
    ),
    path("uploads/<uuid:upload_id>/", upload_views.portal_upload, name="upload"),
    path("versions/<int:version_pk>/comments/", portal_views.comment, name="comment"),
    path("versions/<int:version_pk>/media/", portal_views.media, name="media"),
    path("versions/<int:version_pk>/status/", portal_views.status, name="status"),
]
