from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "组织与用户"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts import grants, middleware, signals  # noqa: F401  (grant cache; session renewal; login log)
        from accounts.models import Unit
        from accounts.scoping import UNIT_PATHS

        for signal in (post_save, post_delete):
            signal.connect(UNIT_PATHS.changed, sender=Unit, weak=False)
