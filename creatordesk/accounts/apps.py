from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "creatordesk.accounts"
    verbose_name = _("Accounts and workspaces")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from creatordesk.accounts.middleware import session_stamp_sign_in

        # Every way of signing in (login page, invitation, admin, test clients) goes through login(),
        # which saves the session anyway; stamping it there spares the next request a session write.
        user_logged_in.connect(session_stamp_sign_in, dispatch_uid="accounts.session_stamp_sign_in")
