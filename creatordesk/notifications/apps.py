from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "creatordesk.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from creatordesk.notifications.checks import check_outbound_allow_list, check_site_url

        checks.register(check_outbound_allow_list)
        checks.register(check_site_url, checks.Tags.security, deploy=True)
