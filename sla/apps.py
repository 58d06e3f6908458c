from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = "时限与工作日历"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from sla.calendar import bump_version
        from sla.models import CalendarDay, CalendarYear, ClockPolicy
        from sla.policies import clear_cache

        for model in (CalendarDay, CalendarYear):
            post_save.connect(lambda **kw: bump_version(), sender=model, weak=False)
            post_delete.connect(lambda **kw: bump_version(), sender=model, weak=False)
        post_save.connect(lambda **kw: clear_cache(), sender=ClockPolicy, weak=False)
        post_delete.connect(lambda **kw: clear_cache(), sender=ClockPolicy, weak=False)
