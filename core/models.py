from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """Last tick written by Celery beat (through a worker), read by /healthz."""

    name = models.CharField(max_length=32, unique=True)
    at = models.DateTimeField()


class Setting(models.Model):
    """An administrator-editable business setting; defaults live in core.config."""

    key = models.CharField(_("键"), max_length=60, unique=True)
    value = models.JSONField(_("值"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("业务参数")
        verbose_name_plural = _("业务参数")

    def __str__(self):
        return self.key
