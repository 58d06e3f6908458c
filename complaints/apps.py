from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("投诉工单")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Unit
        from complaints.models import ServiceArea
        from complaints.services.routing import AREA_KEYWORDS

        for model in (ServiceArea, Unit):
            for signal in (post_save, post_delete):
                signal.connect(AREA_KEYWORDS.changed, sender=model, weak=False)
