from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "系统设置"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from core import checks, config  # noqa: F401  (checks registers the start-up checks)
        from core.choices import install_choice_labels
        from core.models import Setting

        install_choice_labels(apps.get_models())

        for signal in (post_save, post_delete):
            signal.connect(config.OVERRIDES.changed, sender=Setting, dispatch_uid=f"config_{signal is post_save}")
