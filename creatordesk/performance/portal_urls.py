# Mounted without a namespace under creators/portal/<str:token>/amplify/.
from django.urls import path

from creatordesk.performance import portal_views

urlpatterns = [
    path("", portal_views.amplify_list, name="amplify_portal_list"),
    path("<int:amplify_task_pk>/", portal_views.amplify_task, name="amplify_portal_task"),
]
