from django.urls import path

from creatordesk.performance import views

app_name = "performance"

urlpatterns = [path("", views.index, name="index")]
