"""Outage events 停电信息 (planned, temporary, fault, arrears) and the calls answered from them.

Written only through outages.services; not personal data (an event names areas, not customers).
The calls are tickets (complaints.Ticket, scoped as every ticket) linked to their event."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from complaints.models import ServiceArea, Ticket
from core.choices import ChoiceLabels


class OutageKind(models.TextChoices):
    PLANNED = "planned", _("计划检修")
    TEMPORARY = "temporary", _("临时检修")
    FAULT = "fault", _("故障停电")
    ARREARS = "arrears", _("欠费停电")


class OutageEvent(ChoiceLabels, models.Model):
    kind = models.CharField(_("停电类型"), max_length=12, choices=OutageKind.choices)
    cause = models.CharField(_("停电原因"), max_length=500, help_text=_("用客户听得懂的话说明原因"))
    unit = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    service_areas = models.ManyToManyField(ServiceArea, verbose_name=_("停电服务区域"), blank=True,
                                           related_name="+")
    keywords = models.CharField(_("台区/线路/地址关键词"), max_length=255, blank=True,
                                help_text=_("客户地址含其中任一词(空格分隔)即视为在停电范围内"))
    start_at = models.DateTimeField(_("停电开始时间"))
    expected_restore_at = models.DateTimeField(_("预计恢复时间"), null=True, blank=True)
    restored_at = models.DateTimeField(_("实际恢复时间"), null=True, blank=True)
    entered_at = models.DateTimeField(_("信息录入时间"))
    notice_sent_at = models.DateTimeField(_("客户通知时间"), null=True, blank=True,
                                          help_text=_("停电信息发送至受影响客户的时间"))
    short_notice = models.BooleanField(_("计划停电未提前公告"), default=False,
                                       help_text=_("计划检修录入时距停电开始不足规定天数(投诉风险)"))
    source_system = models.CharField(_("来源系统"), max_length=32, blank=True)
    source_id = models.CharField(_("来源系统编号"), max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("停电事件")
        verbose_name_plural = _("停电事件")
        ordering = ["-start_at", "-id"]
        permissions = [("manage_outage", _("录入与维护停电信息"))]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OutageKind.values), name="outage_kind_valid"),
            models.UniqueConstraint(fields=["source_system", "source_id"], condition=~Q(source_id=""),
                                    name="outage_source_unique"),
        ]
        indexes = [
            # Intake asks "what is off or about to go off now": the unrestored events by start.
            models.Index(fields=["start_at"], condition=Q(restored_at__isnull=True), name="outage_open"),
            models.Index(fields=["unit", "-start_at"], name="outage_unit_start"),
            models.Index(fields=["-start_at"], name="outage_start"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_at:%Y-%m-%d %H:%M}"

    @property
    def is_restored(self) -> bool:
        return self.restored_at is not None

    def covers(self, *, service_area_id: int | None, address: str) -> bool:
        """Whether a caller in this area / at this address is inside the event (areas prefetched)."""
        if service_area_id is not None and any(a.pk == service_area_id for a in self.service_areas.all()):
            return True
        return bool(address) and any(word in address for word in self.keywords.split())


class OutageCall(models.Model):
    """A call (a ticket, kind enquiry) answered from an event; the caller hears of the restoration."""

    event = models.ForeignKey(OutageEvent, verbose_name=_("停电事件"), on_delete=models.PROTECT,
                              related_name="calls")
    ticket = models.OneToOneField(Ticket, verbose_name=_("工单"), on_delete=models.CASCADE,
                                  related_name="outage_call")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    notified_at = models.DateTimeField(_("复电短信时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("停电咨询")
        verbose_name_plural = _("停电咨询")
        indexes = [models.Index(fields=["event", "notified_at"], name="outage_call_event")]
