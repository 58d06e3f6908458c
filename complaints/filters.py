"""The one filter schema of the ticket list: the list page, the API (through DRF's
DjangoFilterBackend, which also documents it in the OpenAPI schema) and the exports read the same
parameters with the same meaning.

Where the pages and the API used to differ, both spellings are kept: a unit or category is named by
its code (the API's `GS-A1-1`, `FW01`) or its id (the page's select, older drill-down links);
`clock_state` is the API's name for `clock`; `status` takes one value, a comma-separated list or
the parameter repeated."""
import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Reverse
from django.db.models.lookups import Contains, IRegex, StartsWith
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from accounts.models import Unit
from complaints.models import (
    OPEN_STATUSES,
    TICKET_TEXT,
    Category,
    Channel,
    Kind,
    Severity,
    SlaState,
    Status,
    Ticket,
    countable_q,
)
from complaints.services.customer_search import customer_search_q, looks_like_customer_number
from core.badinput import DATE_VALIDATORS
from sla.states import BREACHED, RUNNING, WARNING, labelled

CLOCK_FILTERS = labelled(RUNNING, WARNING, BREACHED) + [("due_today", _("今日到期"))]
FULL_NUMBER = re.compile(r"\d{15}")  # complaints.services.numbering: YYYYMMDD + 7 digits
PART_NUMBER = re.compile(r"\d{4,8}")  # the last digits of a number, as they are read out (reversed-number index)
LEADING_NUMBER = re.compile(r"\d{9,14}")  # a longer run holds part of the date: the number's start (btree)
Q_MAX = 100


def day_start(value) -> datetime:
    return timezone.make_aware(datetime.combine(value, time.min))


def clock_state_q(state: str, now: datetime | None = None) -> Q:
    """Tickets whose worst unfinished clock is in `state` — counting a due or warn instant that
    passed since the last sweep, so the filter never lags behind the countdown on screen."""
    now = now or timezone.now()
    if state == "breached":
        return Q(sla_state=SlaState.BREACHED) | Q(sla_state__in=(SlaState.RUNNING, SlaState.WARNING),
                                                  next_due_at__lte=now)
    if state == "warning":
        return Q(sla_state=SlaState.WARNING, next_due_at__gt=now)
    if state == "running":
        return Q(sla_state=SlaState.RUNNING, next_due_at__gt=now)
    if state == "due_today":
        today = timezone.localdate()
        return Q(next_due_at__gte=max(now, day_start(today)), next_due_at__lt=day_start(today + timedelta(days=1)),
                 sla_state__in=(SlaState.RUNNING, SlaState.WARNING, SlaState.BREACHED))
    return Q()


def is_text_search(value: str) -> bool:
    """`?q=` looks for words, not a number (search_q's first choice; the paginator reads a text
    search's page by id, core.pagination `sparse`)."""
    value = value.strip()
    return bool(value) and not FULL_NUMBER.fullmatch(value) and not looks_like_customer_number(value)


def search_q(user, value: str) -> Q:
    """What `?q=` finds: a whole ticket number exactly; a run of digits also as a part of a ticket
    number (4–8 digits as its end, as the last digits are read out; 9–14 digits as its
    beginning, date first) and, for the roles that may, as the customer's phone (the last four) or
    account number — throttled and recorded (complaints.services.customer_search); words in the
    customer's name, address or the description. The 12398 reference always matches whole.
    On PostgreSQL every branch has an index (migrations 0004, 0015, 0018, 0019)."""
    if is_text_search(value):
        return text_q(value) | Q(regulator_ref=value)
    if FULL_NUMBER.fullmatch(value):
        return Q(number=value)
    found = customer_search_q(user=user, value=value) if user is not None else Q(pk__in=[])
    found |= Q(number=value) | Q(regulator_ref=value)
    if PART_NUMBER.fullmatch(value):
        found |= Q(StartsWith(Reverse("number"), value[::-1]))  # ends with: a b-tree range, not a scan
    elif LEADING_NUMBER.fullmatch(value):  # so a phone number costs no trigram scan of the numbers
        found |= Q(number__startswith=value)
    return found


def text_q(value: str) -> Q:
    """Words in the ticket's text, in any case. Most searches are Chinese, which has no case: a
    plain LIKE, checked on each row at half the cost of UPPER(…) LIKE. A word with letters is
    matched case-insensitively as an escaped regular expression. On PostgreSQL the one trigram
    index on the text (migration 0018) serves both."""
    if value.upper() == value.lower():
        return Q(Contains(TICKET_TEXT, value))
    return Q(IRegex(TICKET_TEXT, re.escape(value)))


class StatusField(forms.CharField):
    """`open`, one status, or several separated by commas; an unknown one is refused."""

    def clean(self, value):
        value = super().clean(value)
        parts = [p.strip() for p in (value or "").split(",") if p.strip()]
        bad = [p for p in parts if p != "open" and p not in Status.values]
        if bad:
            raise ValidationError(_("状态无效：%(bad)s"), params={"bad": ", ".join(bad)[:100]}, code="invalid")
        return ",".join(parts)


class CodeOrIdField(forms.ModelChoiceField):
    """A unit or category by its code or, for the page's select and older links, its id."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        found = self.queryset.filter(code=value).first() if len(value) <= 32 else None
        if found is None and value.isdigit() and len(value) < 10:
            found = self.queryset.filter(pk=int(value)).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class CodeOrIdFilter(django_filters.ModelChoiceFilter):
    field_class = CodeOrIdField


class StatusFilter(django_filters.CharFilter):
    field_class = StatusField


def as_text_parameter(filter_):
    """Document a filter whose value is a code or a list as a string query parameter (OpenAPI)."""
    return extend_schema_field({"type": "string", "description": str(filter_.extra["help_text"])})(filter_)


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("搜索"), max_length=Q_MAX,
                                  help_text=_("搜索：工单编号(完整或末几位)、电话(完整或后四位，限有权按号码查询的角色)、"
                                              "户号、客户姓名、地址、12398编号或诉求内容关键词"))
    status = as_text_parameter(StatusFilter(
        method="filter_status", label=_("状态"), max_length=200,
        help_text=_("状态；多个用逗号分隔或重复传参(status=dispatched,contacted)；open 表示全部在办状态"),
        widget=forms.Select(choices=[("", _("全部")), ("open", _("在办(未办结)"))] + list(Status.choices))))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("渠道"), empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("类型"), empty_label=_("全部"))
    category = as_text_parameter(CodeOrIdFilter(
        queryset=Category.objects.select_related("parent"), method="filter_category", label=_("分类"),
        empty_label=_("全部"), help_text=_("分类编码(大类则含其全部项目)"),
        error_messages={"invalid_choice": _("分类不存在")}))
    unit = as_text_parameter(CodeOrIdFilter(
        queryset=Unit.objects.all(), method="filter_unit", label=_("承办单位"), empty_label=_("全部"),
        help_text=_("承办单位编码(含下级单位)"), error_messages={"invalid_choice": _("单位不存在")}))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("级别"), empty_label=_("全部"))
    received_from = django_filters.DateFilter(method="filter_from", label=_("受理日期自"), validators=DATE_VALIDATORS,
                                              help_text=_("受理日期自(含)，YYYY-MM-DD"),
                                              widget=forms.DateInput(attrs={"type": "date"}))
    received_to = django_filters.DateFilter(method="filter_to", label=_("至"), validators=DATE_VALIDATORS,
                                            help_text=_("受理日期至(含)，YYYY-MM-DD"),
                                            widget=forms.DateInput(attrs={"type": "date"}))
    clock = django_filters.ChoiceFilter(choices=CLOCK_FILTERS, method="filter_clock", label=_("时限"),
                                        empty_label=_("全部"))
    clock_state = django_filters.ChoiceFilter(choices=labelled(WARNING, BREACHED), method="filter_clock",
                                              label=_("时限状态"), help_text=_("时限状态(clock 的旧名)"))

    # A figure's drill-down (reports.figures.ticket_list_url) lists what the figure counted.
    counted = django_filters.ChoiceFilter(
        choices=[("1", _("计入统计的工单"))], method="filter_counted", label=_("统计口径"), widget=forms.HiddenInput,
        help_text=_("1：只列统计计入的工单(不含标记为重复工单的)，与图表口径一致"))

    class Meta:
        model = Ticket
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        if hasattr(data, "getlist") and len(data.getlist("status")) > 1:
            data = data.copy()  # ?status=a&status=b means what ?status=a,b does
            data["status"] = ",".join(v for v in data.getlist("status") if v)
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)

    def filter_search(self, qs, name, value):
        value = value.strip()
        return qs.filter(search_q(self.user, value)) if value else qs

    def filter_status(self, qs, name, value):
        wanted = set()
        for part in value.split(","):
            wanted.update(OPEN_STATUSES if part == "open" else [part])
        return qs.filter(status__in=wanted) if value else qs

    def filter_category(self, qs, name, value):
        return qs.filter(Q(category=value) | Q(category__parent=value)) if value else qs

    def filter_unit(self, qs, name, value):
        return qs.filter(unit__path__startswith=value.path) if value else qs

    def filter_from(self, qs, name, value):
        return qs.filter(received_at__gte=day_start(value)) if value else qs

    def filter_to(self, qs, name, value):
        return qs.filter(received_at__lt=day_start(value + timedelta(days=1))) if value else qs

    def filter_counted(self, qs, name, value):
        return qs.filter(countable_q()) if value else qs

    def filter_clock(self, qs, name, value):
        return qs.filter(clock_state_q(value)) if value else qs
