from django.urls import path

from creatordesk.reviews import upload_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="index"),
    path("new/", views.submission_create, name="submission_create"),
    path("new/uploads/", upload_views.submission_upload_start, name="submission_upload_start"),
    path("uploads/<uuid:upload_id>/", upload_views.upload, name="upload"),
    path("sla/", views.sla, name="sla"),
    path("<int:submission_pk>/", views.review, name="review"),
    path("<int:submission_pk>/versions/new/", views.version_upload, name="version_upload"),
    path("<int:submission_pk>/uploads/", upload_views.version_upload_start, name="version_upload_start"),
    path("<int:submission_pk>/compare/", views.compare, name="compare"),
    path("<int:submission_pk>/audit.csv", views.audit_csv, name="audit_csv"),
    path("versions/<int:version_pk>/status/", views.version_status, name="version_status"),
    path("versions/<int:version_pk>/media/", views.version_media, name="version_media"),
    path("versions/<int:version_pk>/comments/", views.comment_add, name="comment_add"),
    path("versions/<int:version_pk>/decisions/", views.decision_add, name="decision_add"),
    path("comments/<int:comment_pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("findings/<int:finding_pk>/state/", views.finding_state, name="finding_state"),
    path("campaigns/<int:campaign_pk>/stages/", views.stages, name="stages"),
]
