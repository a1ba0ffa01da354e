from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "creatordesk.performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from creatordesk.performance.ingest import post_gains_forget
        from creatordesk.performance.models import Post

        def forget(sender: type[Post], instance: Post, **kwargs: object) -> None:
            post_gains_forget(post=instance)

        pre_delete.connect(forget, sender=Post, weak=False, dispatch_uid="performance.post_gains_forget")
