from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "creatordesk.reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from django.db.models import fields

        # Django's own "- Select an option -" has no German in Django's catalogue, so every empty
        # choice of every select box (stage, product, campaign) read English to German users; this
        # label lives in the project's catalogue. Django documents overriding it from ready().
        fields.BLANK_CHOICE_LABEL = _("Choose…")
