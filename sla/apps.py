from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = "时限与工作日历"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from sla.calendar import CALENDAR
        from sla.models import CalendarDay, CalendarYear, ClockPolicy
        from sla.policies import POLICIES

        for memo, models in ((CALENDAR, (CalendarDay, CalendarYear)), (POLICIES, (ClockPolicy,))):
            for model in models:
                for signal in (post_save, post_delete):
                    signal.connect(memo.changed, sender=model, weak=False)
