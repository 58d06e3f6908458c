from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "系统设置"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core import checks, config  # noqa: F401  (checks registers the start-up checks)
        from core.models import Setting

        for signal in (post_save, post_delete):
            signal.connect(config.clear_cache, sender=Setting, dispatch_uid=f"config_{signal is post_save}")
