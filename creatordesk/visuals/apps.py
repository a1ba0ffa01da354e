from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisualsConfig(AppConfig):
    name = "creatordesk.visuals"
    verbose_name = _("AI visuals")
