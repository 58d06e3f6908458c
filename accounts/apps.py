from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "组织与用户"

    def ready(self):
        from accounts import grants, middleware, signals  # noqa: F401  (grant cache; session renewal; login log)
