from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class RiskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "risk"
    verbose_name = "投诉风险预警"

    def ready(self):
        from complaints.signals import tickets_changed
        from outages.models import OutageEvent

        from .features import OUTAGES
        from .services import risk_after_action

        tickets_changed.connect(risk_after_action, dispatch_uid="risk_after_action")

        for signal in (post_save, post_delete):
            signal.connect(OUTAGES.changed, sender=OutageEvent, weak=False)
        m2m_changed.connect(OUTAGES.changed, sender=OutageEvent.service_areas.through, weak=False)
