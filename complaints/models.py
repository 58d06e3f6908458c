"""The ticket 工单 and everything recorded around it.

Status changes only through complaints.services.workflow (one locked transition service);
nothing here changes state on save.
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Right
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from core.choices import ChoiceLabels
from core.vocabulary import Channel, Kind, ServiceType, Severity
from sla.states import SlaState

SEVERITY_RANK = {Severity.ORDINARY: 0, Severity.IMPORTANT: 1, Severity.MAJOR: 2}


class Mood(models.TextChoices):
    CALM = "calm", _("平稳")
    AGITATED = "agitated", _("情绪激动")
    DEMANDS_COMPLAINT = "demands_complaint", _("明确要求投诉")


class Status(models.TextChoices):
    REGISTERED = "registered", _("已受理")
    DISPATCHED = "dispatched", _("已派发")
    RETURNED = "returned", _("已退单")
    CONTACTED = "contacted", _("已联系")
    REPLIED = "replied", _("已答复")
    REVIEWED = "reviewed", _("待回访")
    ARCHIVED = "archived", _("已归档")
    WITHDRAWN = "withdrawn", _("已撤诉")
    DUPLICATE = "duplicate", _("重复工单")  # the same call logged twice: out of the workflow and of every figure


OPEN_STATUSES = [s for s in Status.values if s not in (Status.ARCHIVED, Status.WITHDRAWN, Status.DUPLICATE)]


def countable_q(prefix: str = "") -> Q:
    """The tickets every figure counts (reports, dashboard, bulletin, risk history): all but those
    marked a duplicate (重复工单) of another ticket. `prefix` for a query through a relation
    ("ticket__" from clocks or callbacks)."""
    return Q(**{f"{prefix}duplicate_of__isnull": True})


class TicketQuerySet(models.QuerySet):
    def countable(self):
        """What figures count: duplicates (重复工单) left out (see `countable_q`)."""
        return self.filter(countable_q())


class Category(models.Model):
    """Complaint classification: four classes, their items below. Codes are stable."""
    code = models.CharField(_("编码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey("self", verbose_name=_("大类"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="items")
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("投诉分类")
        verbose_name_plural = _("投诉分类")
        ordering = ["sort", "code"]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class ServiceArea(models.Model):
    """A village or community and the station / grid contact that serves it (一人一村)."""
    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    keywords = models.CharField(_("地址关键词"), max_length=255, blank=True,
                                help_text=_("地址中出现这些词(空格分隔)时自动匹配本区域"))
    unit = models.ForeignKey(Unit, verbose_name=_("供电所"), on_delete=models.PROTECT,
                             related_name="service_areas")
    contact = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("网格联系人"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务区域")
        verbose_name_plural = _("服务区域")

    def __str__(self):
        return self.name


class AccountRegistration(models.Model):
    """The service area an account number 户号 is registered in (from the marketing system): grid
    routing matches it before the address keywords."""
    account_no = models.CharField(_("户号"), max_length=32, unique=True)
    service_area = models.ForeignKey(ServiceArea, verbose_name=_("服务区域"), on_delete=models.CASCADE,
                                     related_name="accounts")

    class Meta:
        verbose_name = _("户号登记区域")
        verbose_name_plural = _("户号登记区域")

    def __str__(self):
        return self.account_no


# The words `?q=` looks for: name, address and description as one text, so that one trigram
# index (migration 0018, PostgreSQL) serves the search and a write to a ticket updates one text
# index, not three. A newline between the parts: a search never matches across two of them.
TICKET_TEXT = models.Func(models.F("customer_name"), models.F("address"), models.F("description"),
                          template="(%(expressions)s)", arg_joiner=" || '\n' || ", output_field=models.TextField())


class Ticket(ChoiceLabels, models.Model):
    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    service_type = models.CharField(_("服务类型"), max_length=32, choices=ServiceType.choices,
                                    blank=True, default="")
    category = models.ForeignKey(Category, verbose_name=_("分类"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices,
                                default=Severity.ORDINARY)
    received_at = models.DateTimeField(_("受理时间"))
    logged_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    customer_name = models.CharField(_("客户姓名"), max_length=60)
    customer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    account_no = models.CharField(_("户号"), max_length=32, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    service_area = models.ForeignKey(ServiceArea, verbose_name=_("服务区域"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    description = models.TextField(_("诉求内容"), max_length=5000)
    mood = models.CharField(_("客户情绪"), max_length=20, choices=Mood.choices, default=Mood.CALM)
    regulator_ref = models.CharField(_("12398转办编号"), max_length=40, blank=True)
    regulator_due_at = models.DateTimeField(_("监管要求办结时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("缴费时间"), null=True, blank=True)

    intake_unit = models.ForeignKey(Unit, verbose_name=_("受理单位"), on_delete=models.PROTECT,
                                    related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="tickets")
    # Who the ticket belongs to for visibility: the responsible unit once dispatched, the intake
    # unit before. Stored (not derived in each query) so scoping is one indexed IN, not an OR.
    owner_unit = models.ForeignKey(Unit, verbose_name=_("归属单位"), on_delete=models.PROTECT, related_name="+",
                                   db_index=False)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.REGISTERED)
    version = models.PositiveIntegerField(default=1, help_text="optimistic concurrency counter")

    is_repeat = models.BooleanField(_("重复投诉"), default=False)
    is_escalated = models.BooleanField(_("越级投诉"), default=False)
    onsite_required = models.BooleanField(_("需现场调查"), default=False)
    wide_impact = models.BooleanField(_("影响面较大"), default=False, db_default=False)  # bulk loaders omit it
    redispatch_count = models.PositiveSmallIntegerField(_("重新派发次数"), default=0)
    chase_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    callback_attempts = models.PositiveSmallIntegerField(_("回访次数"), default=0)

    substantiated = models.BooleanField(_("是否属实"), null=True, blank=True)
    at_fault = models.BooleanField(_("是否有责"), null=True, blank=True)
    cause = models.TextField(_("原因"), blank=True, max_length=5000)
    measures = models.TextField(_("处理措施"), blank=True, max_length=5000)
    reply_text = models.TextField(_("答复内容"), blank=True, max_length=5000)
    callback_result = models.CharField(_("回访结果"), max_length=12, blank=True)

    dispatched_at = models.DateTimeField(_("派发时间"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    sla_state = models.CharField(_("时限状态"), max_length=10, choices=SlaState.choices,
                                 default=SlaState.NONE)
    next_due_at = models.DateTimeField(_("最近到期"), null=True, blank=True)
    # Kept by the database from customer_phone (every writer, bulk loads and the purge included) and
    # indexed: agents find a caller by the last four digits (complaints.services.customer_search).
    phone_last4 = models.GeneratedField(expression=Right("customer_phone", 4),
                                        output_field=models.CharField(max_length=4), db_persist=True)
    # Marked a duplicate (重复工单, the same call logged twice — not a repeat complaint): the original, why,
    # and the status to go back to when the mark is taken back (complaints.services.duplicate).
    duplicate_of = models.ForeignKey("self", verbose_name=_("原工单"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="duplicates")
    duplicate_reason = models.CharField(_("重复原因"), max_length=500, blank=True, default="", db_default="")
    duplicate_from_status = models.CharField(max_length=12, blank=True, default="", db_default="")

    objects = TicketQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["updated_at", "phone_last4"])

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        permissions = [
            ("intake_ticket", _("受理工单")),
            ("dispatch_ticket", _("派发工单")),
            ("handle_ticket", _("承办工单(联系、答复、退单、申请延期)")),
            ("review_ticket", _("审核答复")),
            ("callback_ticket", _("回访")),
            ("supervise_ticket", _("督办与预警")),
            ("decide_extension", _("审批延期")),
            ("decide_responsibility", _("认定责任与考核")),
            ("withdraw_ticket", _("撤诉")),
            ("view_complainant", _("查看举报人信息")),
            ("view_phone", _("查看完整电话号码")),
            ("report_major", _("报送重大事件快报")),
            ("view_report", _("查看举报件(纪检监察、督办部门)")),
            ("search_customer", _("按电话、户号查询工单")),
            ("view_access_log", _("查看敏感信息访问记录")),
            ("investigate_report", _("调查处理举报(下发调查任务、作出结论)")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="ticket_status_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="ticket_severity_valid"),
            # A duplicate and only a duplicate names its original — never itself.
            models.CheckConstraint(condition=(Q(status="duplicate") & Q(duplicate_of__isnull=False)
                                              & ~Q(duplicate_of=models.F("id")))
                                   | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                                   name="ticket_duplicate_has_original"),
        ]
        indexes = [
            # kind included: the list's total (scope minus reports) is then an index-only count on PostgreSQL.
            models.Index(fields=["owner_unit", "-received_at", "-id"], include=["kind"], name="ticket_owner_received"),
            models.Index(fields=["unit", "status", "-received_at"], name="ticket_unit_queue"),
            models.Index(fields=["status", "-received_at"], name="ticket_status_queue"),
            # The dispatch queue, oldest first, and its major tickets pinned on top: a backlog of
            # thousands otherwise meant sorting all of it for one page (0.3 s and 0.5 s at 1M).
            models.Index(fields=["received_at", "id"], name="ticket_waiting_dispatch",
                         condition=Q(status__in=[Status.REGISTERED, Status.RETURNED])),
            models.Index(fields=["received_at", "id"], name="ticket_major_waiting",
                         condition=Q(status__in=[Status.REGISTERED, Status.RETURNED], severity=Severity.MAJOR)),
            models.Index(fields=["-received_at", "-id"], name="ticket_received"),
            models.Index(fields=["customer_phone"], name="ticket_phone"),
            models.Index(fields=["phone_last4"], name="ticket_phone_last4"),
            models.Index(fields=["account_no"], name="ticket_account"),
            models.Index(fields=["regulator_ref"], name="ticket_regulator_ref", condition=~Q(regulator_ref="")),
            models.Index(fields=["sla_state", "next_due_at"], name="ticket_sla"),
        ]

    def __str__(self):
        return self.number

    # Which records a ticket can have at all, by what it is (kind and severity are fixed at intake):
    # the services refuse the others, and the ticket page and API skip reading them.
    @property
    def takes_major_reports(self) -> bool:
        return self.severity == Severity.MAJOR

    @property
    def takes_investigation_tasks(self) -> bool:
        return self.kind == Kind.REPORT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def rows(self, relation: str):
        """The rows of a reverse relation (`clocks`, `events`, `supervisions`, …) for whoever shows
        or checks them: on a ticket intake has just registered, what intake wrote with it (`written`;
        a new ticket has nothing else), so its 201 needs no read-back; otherwise the prefetched rows,
        or one query."""
        written = self.__dict__.get("written")
        if written is not None:
            return written.get(relation, [])
        return getattr(self, relation).all()


class TicketEvent(ChoiceLabels, models.Model):
    """The readable timeline: who did what, when, from which state to which."""
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(_("动作"), max_length=32)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("处理记录")
        verbose_name_plural = _("处理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="event_ticket_at")]


class ContactAttempt(ChoiceLabels, models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", _("电话")
        SMS = "sms", _("短信")
        VISIT = "visit", _("上门")
        OTHER = "other", _("其他")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField(_("联系时间"))
    method = models.CharField(_("联系方式"), max_length=8, choices=Method.choices)
    reached = models.BooleanField(_("是否联系上"), default=True)
    note = models.TextField(_("联系情况"), blank=True, max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["at"]


def attachment_path(instance, filename):
    # Random stored names: the customer's file name is kept in `name`, never used on disk.

    return f"attachments/{instance.ticket_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class OnsiteInvestigation(models.Model):
    """现场调查: who went, when, what they found, with photos — recorded before the reply."""
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="onsite_investigations")
    investigators = models.CharField(_("调查人员"), max_length=200)
    visited_at = models.DateTimeField(_("调查时间"))
    findings = models.TextField(_("调查情况"), max_length=5000)
    photos = models.ManyToManyField(Attachment, verbose_name=_("现场照片"), related_name="+", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("现场调查")
        verbose_name_plural = _("现场调查")
        ordering = ["visited_at", "id"]


class ExtensionRequest(ChoiceLabels, models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")
        WITHDRAWN = "withdrawn", _("已撤回")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延期工作日"))
    reason = models.TextField(_("延期原因"), max_length=2000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("审批结果"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True, max_length=2000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        indexes = [models.Index(fields=["decision"], name="extension_decision")]


class SupervisionOrder(ChoiceLabels, models.Model):
    """督办单 or 投诉风险预警单 issued on a ticket, by a person or automatically on breach."""

    class OrderKind(models.TextChoices):
        SUPERVISION = "supervision", _("督办单")
        RISK_WARNING = "risk_warning", _("投诉风险预警单")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="supervisions")
    kind = models.CharField(_("类型"), max_length=16, choices=OrderKind.choices)
    content = models.TextField(_("督办内容"), max_length=2000)
    due_at = models.DateTimeField(_("督办期限"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField()
    automatic = models.BooleanField(_("系统自动"), default=False)
    # Its own clock: warned at warn_at, escalated one level (三级督办) each time due_at passes unanswered.
    level = models.PositiveSmallIntegerField(_("督办级别"), default=1, db_default=1)
    warn_at = models.DateTimeField(_("预警时刻"), null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(_("超期时间"), null=True, blank=True)
    reply = models.TextField(_("督办答复"), blank=True, max_length=2000, default="", db_default="")
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    close_note = models.CharField(_("办结说明"), max_length=200, blank=True, default="", db_default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办/预警")
        verbose_name_plural = _("督办/预警")
        indexes = [
            models.Index(fields=["closed_at", "issued_at"], name="supervision_open"),
            # The order sweep reads only unanswered open orders whose warning or due has passed.
            models.Index(fields=["due_at"], name="supervision_due",
                         condition=Q(closed_at__isnull=True, replied_at__isnull=True)),
            models.Index(fields=["warn_at"], name="supervision_warn",
                         condition=Q(closed_at__isnull=True, replied_at__isnull=True, warned_at__isnull=True)),
        ]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def answered(self) -> bool:
        return self.replied_at is not None


class InvestigationTask(models.Model):
    """调查任务: what the discipline office asks a unit to look into for a misconduct report (举报).

    It carries only the matter the office wrote — the unit that receives it never sees the report,
    its number, its complainant or its attachments (the report stays 404 for them); the unit's answer
    (findings, optional files stored as the report's attachments) is read on the report."""
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="investigation_tasks")
    unit = models.ForeignKey(Unit, verbose_name=_("调查单位"), on_delete=models.PROTECT, related_name="+")
    matter = models.TextField(_("调查事项"), max_length=2000)
    due_at = models.DateTimeField(_("答复期限"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("下发时间"))
    findings = models.TextField(_("调查情况"), blank=True, max_length=5000)
    files = models.ManyToManyField(Attachment, verbose_name=_("附件"), related_name="+", blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("超期提醒时间"), null=True, blank=True)  # told once, by the sweep
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调查任务")
        verbose_name_plural = _("调查任务")
        indexes = [models.Index(fields=["unit", "-issued_at"], name="investigation_unit"),
                   # The overdue sweep reads only open, unanswered tasks not yet reported overdue.
                   models.Index(fields=["due_at"], name="investigation_due",
                                condition=Q(closed_at__isnull=True, answered_at__isnull=True,
                                            overdue_at__isnull=True))]

    @property
    def state(self) -> str:
        if self.closed_at is not None:
            return "closed"
        return "answered" if self.answered_at is not None else "open"

    @property
    def state_label(self) -> str:
        return str({"open": _("待答复"), "answered": _("已答复"), "closed": _("已办结")}[self.state])


class MajorReport(ChoiceLabels, models.Model):
    """重大事件快报 (within the hour) and 当日简要情况 (by the end of the day), sent to the superior
    unit's supervision office. Each stops its clock (sla ClockName major_report / major_summary)."""

    class ReportKind(models.TextChoices):
        FLASH = "flash", _("重大事件快报")
        SUMMARY = "summary", _("当日简要情况")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="major_reports")
    kind = models.CharField(_("类型"), max_length=8, choices=ReportKind.choices)
    what = models.TextField(_("事件经过"), max_length=2000)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    impact = models.TextField(_("影响范围"), max_length=2000, blank=True)
    measures = models.TextField(_("已采取措施"), max_length=2000, blank=True)
    sent_to = models.ForeignKey(Unit, verbose_name=_("报送单位"), null=True, on_delete=models.SET_NULL,
                                related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("报送时间"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("重大事件报告")
        verbose_name_plural = _("重大事件报告")
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["ticket", "kind"], name="major_report_once")]


class CallResult(models.TextChoices):
    """What a call to the customer came to: the callback after the reply and the half-year follow-up."""
    SATISFIED = "satisfied", _("满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("未联系上")


class FollowUp(ChoiceLabels, models.Model):
    """半年跟踪回访: a call to the complainant some months after archiving (seed 003 第二十四条)."""
    Result = CallResult

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="followup")
    due_at = models.DateTimeField(_("跟踪回访日期"))
    result = models.CharField(_("回访结果"), max_length=12, choices=Result.choices, blank=True)
    note = models.TextField(_("回访记录"), blank=True, max_length=2000)
    done_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("跟踪回访")
        verbose_name_plural = _("跟踪回访")
        indexes = [models.Index(fields=["due_at"], name="followup_pending", condition=Q(done_at__isnull=True))]


class Callback(ChoiceLabels, models.Model):
    Result = CallResult

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="callbacks")
    at = models.DateTimeField()
    result = models.CharField(_("回访结果"), max_length=12, choices=Result.choices)
    note = models.TextField(_("回访记录"), blank=True, max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["at"]


class TicketLink(ChoiceLabels, models.Model):
    class LinkKind(models.TextChoices):
        REPEAT = "repeat", _("重复投诉")
        ESCALATED = "escalated", _("越级投诉")
        DUPLICATE = "duplicate", _("重复工单")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=LinkKind.choices)

    class Meta:
        verbose_name = _("关联工单")
        verbose_name_plural = _("关联工单")
        constraints = [models.UniqueConstraint(fields=["ticket", "other", "kind"], name="link_unique")]


class Accountability(ChoiceLabels, models.Model):
    """考核: who is responsible for an at-fault complaint and what was decided (四不放过)."""

    class Decision(models.TextChoices):
        WARNING = "warning", _("通报批评")
        RETRAINING = "retraining", _("培训再上岗")
        DEDUCTION = "deduction", _("绩效扣分")
        OTHER = "other", _("其他")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="accountabilities")
    unit = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    person = models.CharField(_("责任人"), max_length=60, blank=True)
    decision = models.CharField(_("考核意见"), max_length=12, choices=Decision.choices)
    note = models.TextField(_("说明"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核记录")
        verbose_name_plural = _("考核记录")


class SensitiveAccess(ChoiceLabels, models.Model):
    """Who saw an unmasked phone number or a complainant's identity, or searched tickets by a customer's
    number, and when (PIPL). A search keeps a digest of what was searched, never the number."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("查看完整号码")
        SEARCH = "search", _("按号码查询")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=32)
    action = models.CharField(_("操作"), max_length=8, choices=Action.choices, default=Action.REVEAL)
    query_digest = models.CharField(_("查询摘要"), max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("敏感信息查看记录")
        verbose_name_plural = _("敏感信息查看记录")


class TicketCounter(models.Model):
    """Number allocator for databases without sequences (SQLite); PostgreSQL uses a sequence."""
    id = models.PositiveSmallIntegerField(primary_key=True)
    value = models.BigIntegerField(default=0)


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key, so a retried intake POST returns the first ticket."""
    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique")]
