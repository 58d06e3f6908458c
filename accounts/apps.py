from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "组织与用户"

    def ready(self):
        from accounts import middleware, signals  # noqa: F401  (session renewal; login audit log)
