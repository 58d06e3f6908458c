"""Complaint risk: the score of each open ticket (TicketRisk), customers marked sensitive by hand
(SensitiveCustomer), the 12398 ledger (RegulatorCase) and the monthly 约谈 list (InterviewList)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models import Ticket
from complaints.policy import mask_phone
from core.choices import ChoiceLabels


class Level(models.TextChoices):
    NONE = "none", _("低")
    YELLOW = "yellow", _("黄色")
    ORANGE = "orange", _("橙色")
    RED = "red", _("红色")


class TicketRisk(ChoiceLabels, models.Model):
    """The current risk score of an open ticket and the factors that made it (removed when the
    ticket closes). Written only by risk.services (each ticket event, the sweep)."""
    ticket = models.OneToOneField(Ticket, primary_key=True, on_delete=models.CASCADE, related_name="risk")
    score = models.PositiveIntegerField(_("风险分"), default=0)
    level = models.CharField(_("风险等级"), max_length=8, choices=Level.choices, default=Level.NONE)
    # [{"code": factor code, "points": int, "value": the count or share it was computed from}]
    factors = models.JSONField(_("构成"), default=list)
    red_since = models.DateTimeField(_("达到红色时间"), null=True, blank=True)  # set once per crossing
    followed_up_at = models.DateTimeField(_("跟进时间"), null=True, blank=True)
    followed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    updated_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("工单风险")
        verbose_name_plural = _("工单风险")
        constraints = [models.CheckConstraint(condition=Q(level__in=Level.values), name="risk_level_valid")]
        indexes = [
            # The risk list: tickets at a level, highest score first.
            models.Index(fields=["-score"], name="risk_listed", condition=~Q(level=Level.NONE)),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.score} {self.level}"


class SensitiveCustomer(models.Model):
    """A customer marked sensitive by hand (the automatic rule is computed: risk.sensitive)."""
    account_no = models.CharField(_("户号"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    reason = models.CharField(_("原因"), max_length=200)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(_("标记时间"))
    removed_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    removed_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("敏感客户标记")
        verbose_name_plural = _("敏感客户标记")
        constraints = [models.CheckConstraint(condition=~Q(account_no="", phone=""), name="sensitive_has_key")]
        indexes = [
            models.Index(fields=["account_no"], name="sensitive_account", condition=Q(removed_at__isnull=True)),
            models.Index(fields=["phone"], name="sensitive_phone", condition=Q(removed_at__isnull=True)),
        ]

    def __str__(self):
        return self.account_no or mask_phone(self.phone)  # shown in the admin's titles and logs


class RegulatorCase(ChoiceLabels, models.Model):
    """The 12398 ledger (台账): one row per 12398 transfer, managed until 销号 (closed with the
    regulator's confirmation)."""

    class State(models.TextChoices):
        OPEN = "open", _("办理中")
        REPLIED = "replied", _("已答复监管")
        CLOSED = "closed", _("已销号")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="regulator_case")
    state = models.CharField(_("台账状态"), max_length=8, choices=State.choices, default=State.OPEN)
    reply_to_regulator = models.TextField(_("答复监管内容"), blank=True, max_length=5000)
    replied_at = models.DateTimeField(_("答复监管时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    confirmation = models.CharField(_("监管确认情况"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = _("12398台账")
        verbose_name_plural = _("12398台账")
        constraints = [models.CheckConstraint(condition=Q(state__in=["open", "replied", "closed"]),
                                              name="regulator_case_state_valid")]
        indexes = [models.Index(fields=["state"], name="regulator_case_state")]

    def __str__(self):
        return f"{self.ticket_id} {self.state}"


class InterviewList(models.Model):
    """The monthly 约谈 list: units over both the count and the per-million threshold in a month
    (rows: [{"unit": id, "code", "name", "complaints", "customers", "per_million", "tickets": [numbers]}])."""
    month = models.CharField(_("月份"), max_length=7, unique=True)  # YYYY-MM
    count_threshold = models.PositiveIntegerField(_("有责投诉件数阈值"))
    rate_threshold = models.FloatField(_("百万客户投诉率阈值"))
    rows = models.JSONField(_("约谈单位"), default=list)
    produced_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("月度约谈名单")
        verbose_name_plural = _("月度约谈名单")
        ordering = ["-month"]

    def __str__(self):
        return self.month

