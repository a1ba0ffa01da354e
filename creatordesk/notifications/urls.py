from django.urls import path

from creatordesk.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.index, name="index"),
    path("webhooks/<int:webhook_pk>/delete/", views.webhook_remove, name="webhook_remove"),
    path("deliveries/<int:delivery_pk>/retry/", views.retry, name="retry"),
]
