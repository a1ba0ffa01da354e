from django.urls import path

from creatordesk.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.metrics_import, name="import"),
    path("connections/", views.connections, name="connections"),
    path("alerts/<int:alert_pk>/snooze/", views.alert_snooze, name="alert_snooze"),
    path("amplify/<int:amplify_task_pk>/status/", views.amplify_status, name="amplify_status"),
]
