"""Working calendar data, clock policies and the clocks themselves."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import RegionType, Unit
from core.choices import ChoiceLabels
from core.vocabulary import Channel, Kind, ServiceType, Severity


class CalendarDay(models.Model):
    """A national exception to Monday–Friday: a holiday on a weekday or a make-up working day.

    Regional additions (e.g. Guangxi 壮族三月三) carry a unit and apply to its whole subtree."""

    date = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("调休上班"), default=False,
                                     help_text=_("勾选表示该日为调休上班日；不勾选表示放假"))
    name = models.CharField(_("名称"), max_length=40, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("地区(单位)"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("为空表示全国；选择单位表示该单位及下级单位的地方性假日"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日/调休")
        verbose_name_plural = _("节假日/调休")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date"], condition=Q(unit__isnull=True), name="calendar_day_national"),
            models.UniqueConstraint(fields=["date", "unit"], name="calendar_day_regional"),
        ]

    def __str__(self):
        return f"{self.date} {self.name}"


class CalendarYear(models.Model):
    """A year whose holiday schedule is known (seeded from chinesecalendar or entered by an admin)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=60, default="chinesecalendar")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("已知年度")
        verbose_name_plural = _("已知年度")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class ClockName(models.TextChoices):
    DISPATCH = "dispatch", _("派发")
    FIRST_CONTACT = "first_contact", _("首次联系")
    RESOLUTION = "resolution", _("处理答复")
    CALLBACK = "callback", _("回访")
    RECONNECTION = "reconnection", _("欠费复电")
    REPAIR_ARRIVAL = "repair_arrival", _("抢修到达")
    CONNECTION = "connection", _("装表接电")
    MAJOR_REPORT = "major_report", _("重大事件快报")
    MAJOR_SUMMARY = "major_summary", _("重大事件当日简要情况")
    REGULATOR_REPLY = "regulator_reply", _("12398答复")


class LimitUnit(models.TextChoices):
    MINUTES = "minutes", _("分钟")
    HOURS = "hours", _("小时")
    WORKING_DAYS = "working_days", _("工作日")


class ClockPolicy(ChoiceLabels, models.Model):
    """How long a clock runs for the tickets it matches. Blank criteria match anything; among
    the matching rows the highest priority wins, then the most specific."""

    clock = models.CharField(_("计时项"), max_length=16, choices=ClockName.choices)
    kind = models.CharField(_("工单类型"), max_length=16, choices=Kind.choices, blank=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, blank=True)
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices, blank=True)
    service_type = models.CharField(_("服务类型"), max_length=32, choices=ServiceType.choices, blank=True)
    region_type = models.CharField(_("地区类型"), max_length=8, choices=RegionType.choices, blank=True)
    limit_unit = models.CharField(_("单位"), max_length=12, choices=LimitUnit.choices)
    amount = models.PositiveIntegerField(_("时限"))
    warn_ratio = models.DecimalField(_("预警比例"), max_digits=3, decimal_places=2, default=0.75)
    priority = models.SmallIntegerField(_("优先级"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("依据"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        ordering = ["clock", "-priority"]

    def __str__(self):
        return f"{self.get_clock_display()} {self.amount}{self.get_limit_unit_display()}"


class ClockState(models.TextChoices):
    RUNNING = "running", _("计时中")
    WARNING = "warning", _("预警")
    MET = "met", _("按时完成")
    BREACHED = "breached", _("超时")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_CLOCK_STATES = [ClockState.RUNNING, ClockState.WARNING]


class Clock(ChoiceLabels, models.Model):
    ticket = models.ForeignKey("complaints.Ticket", on_delete=models.CASCADE, related_name="clocks")
    name = models.CharField(_("计时项"), max_length=16, choices=ClockName.choices)
    policy = models.ForeignKey(ClockPolicy, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    started_at = models.DateTimeField(_("开始"))
    due_at = models.DateTimeField(_("到期"))
    warn_at = models.DateTimeField(_("预警时刻"))
    state = models.CharField(_("状态"), max_length=10, choices=ClockState.choices,
                             default=ClockState.RUNNING)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    calendar_known = models.BooleanField(default=True)
    extended_days = models.PositiveSmallIntegerField(_("延期工作日"), default=0)

    class Meta:
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        ordering = ["started_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ClockState.values), name="clock_state_valid"),
        ]
        indexes = [
            # The sweep reads only what crossed a threshold: partial indexes on the instants.
            models.Index(fields=["warn_at"], name="clock_warn_due",
                         condition=Q(state=ClockState.RUNNING)),
            models.Index(fields=["due_at"], name="clock_breach_due",
                         condition=Q(state__in=ACTIVE_CLOCK_STATES)),
            models.Index(fields=["ticket", "name"], name="clock_ticket_name"),
            # The dashboard's major events still to report upward: a handful among millions of clocks.
            models.Index(fields=["due_at"], name="clock_major_open",
                         condition=Q(name__in=[ClockName.MAJOR_REPORT, ClockName.MAJOR_SUMMARY],
                                     completed_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.name} {self.state}"

    @property
    def is_active(self) -> bool:
        # Breached clocks keep running until the step is done (completed_at set).
        return self.completed_at is None and self.state != ClockState.CANCELLED


class SweepRun(models.Model):
    """When the sweep last ran, so it can look only at what crossed since then."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_run_at = models.DateTimeField(null=True)
