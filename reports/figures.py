"""The figures managers watch (DOMAIN.md §5), computed in the database.

Every function takes a `Scope` (the unit subtree the user chose, already checked against what
they may see) and a `Period` (a half-open [start, end) range of `received_at`). Each figure is
one aggregate query with conditional counts (`Count(filter=Q(...))`) or one GROUP BY; nothing
loops over tickets in Python. The written definitions live in DEFINITIONS and docs/figures.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncDay, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.scoping import scope_unit, sees_everything
from complaints.filters import clock_state_q  # the list's own filter: a chart counts what it links to
from complaints.models import (
    OPEN_STATUSES,
    Callback,
    Category,
    Channel,
    FollowUp,
    Kind,
    SlaState,
    Status,
    Ticket,
    countable_q,
)
from core.errors import NotFound, PermissionDenied, ValidationFailed
from outages.figures import outage_figures
from sla.models import Clock, ClockName, ClockState
from sla.states import BREACHED, NONE, RUNNING, WARNING, labelled

SEGMENT = 7  # one materialised-path segment: six digits and a dot ("000012.")
TREND_MONTHS = 12
BREACH_LIST_LIMIT = 20
AGE_BUCKETS = [  # (label, youngest age in days, oldest age in days or None), age = today - received date
    (_("当天"), 0, 0), (_("1–2天"), 1, 2), (_("3–6天"), 3, 6), (_("7–14天"), 7, 14), (_("15–29天"), 15, 29),
    (_("30天及以上"), 30, None)]
CLOCK_STATES = labelled(RUNNING, WARNING, BREACHED, NONE)

DEFINITIONS: dict[str, str] = {  # lazy: each reader's language
    "volume": _("统计期内受理的全部工单数(按受理时间 received_at 计，含各类型、含已撤诉)。"),
    "complaint_requests": _("投诉类诉求：统计期内受理的全部投诉工单数(类型=投诉，不论是否属实、是否有责；不含举报、"
                            "意见、咨询等)。"),
    "complaints": _("投诉(有责投诉)：统计期内受理、答复“属实”且认定“有责”的投诉工单数；未核实、不属实或无责的不统计"
                    "为投诉(投诉量、百万客户投诉率和考核均按此口径)。"),
    "regulator_12398": _("统计期内受理的 12398 能源监管热线转办工单数(渠道=12398，各类型均计)。"),
    "substantiated": _("统计期内受理、承办单位答复“属实”的投诉工单数。"),
    "at_fault": _("有责投诉：同“投诉(有责投诉)”(不属实的工单不能认定有责)。"),
    "repeat_rate": _("重复投诉率 = 统计期内受理的重复投诉(受理时识别为同一客户同一分类窗口期内再次投诉) ÷ 投诉类诉"
                     "求数。"),
    "first_contact_rate": _("及时联系率 = 首次联系计时“按时完成”数 ÷ (“按时完成”+“超时”)数；计时属于统计期内受理的"
                            "工单，仍在计时中的和已取消的不计；重新派发产生的新计时单独计入。"),
    "on_time_resolution_rate": _("按时办结率 = 处理答复计时“按时完成”数 ÷ (“按时完成”+“超时”)数；口径同及时联系率("
                                 "统计期内受理的工单，计时中和已取消的不计)；答复被审核退回的，按最终答复是否在期限"
                                 "内判定。"),
    "regulator_reply_rate": _("12398按时答复率 = 12398答复计时(自收到转办单起，或转办单要求的更早时限)“按时完成”数 "
                              "÷ (“按时完成”+“超时”)数；与按时办结率分开统计。"),
    "first_time_resolution_rate": _("投诉一次解决率 = 已归档且从未因回访不满意重新派发的投诉 ÷ 已归档的投诉；工单为"
                                    "统计期内受理，已撤诉的不计。"),
    "first_call_resolution_rate": _("咨询一次办结率(首问解决率) = 统计期内受理的咨询工单中，受理时当场办结(直接办结"
                                    "，含按知识库答复、按停电信息答复；从未派发)的数量 ÷ 统计期内受理的咨询工单数；"
                                    "其中按知识库答复办结的单列为“知识库答复”数。"),
    "satisfaction_rate": _("回访满意率 = 回访结果“满意”次数 ÷ (“满意”+“不满意”)次数；“未联系上”的回访不计入分子分母"
                           "；按回访记录计(同一工单多次回访各计一次)，工单为统计期内受理。"),
    "per_million": _("百万客户投诉率 = 统计期内受理的投诉(有责投诉)数 ÷ 所选单位及下级单位客户数之和 × 1,000,000。"),
    "mom": _("环比 = (本期 − 上月同口径) ÷ 上月；比率类指标给出百分点差。上月为 0 时不计算。"),
    "yoy": _("同比 = (本期 − 上年同月同口径) ÷ 上年同月。上年同月为 0 时不计算。"),
    "trend": _("近 12 个月每月受理量、投诉类诉求量、12398 转办量(按受理时间所在自然月)。"),
    "daily": _("统计期内每日受理量与投诉类诉求量(按受理日期)。"),
    "by_channel": _("统计期内受理工单按受理渠道分布。"),
    "by_kind": _("统计期内受理工单按工单类型分布。"),
    "by_category": _("统计期内受理工单按投诉分类(大类及小类)分布；未分类的单列。"),
    "by_unit": _("统计期内受理工单按承办单位汇总到所选单位的直属下级单位(含其全部下级)；尚未派发的工单计入“未派发”"
                 "，直接由所选单位本级承办的计入“本级”。"),
    "ranking": _("下级单位排名：按投诉(有责投诉)数降序，其次属实投诉数、投诉类诉求数；百万客户投诉率按该单位及其下"
                 "级客户数计算。"),
    "open_by_age": _("当前(实时，不受统计期限制)未办结工单按受理日期距今天数分布；未办结 = 状态不是“已归档”“已撤诉”"
                     "。"),
    "open_by_clock": _("当前未办结工单按最差计时状态分布：超时 = 有计时已超过期限；预警 = 进入预警期；正常 = 计时中"
                       "未预警；无计时 = 没有正在进行的计时(实时，不受统计期限制)。"),
    "breaches_by_unit": _("当前处于超时状态的工单按承办单位(汇总到直属下级单位)分布(实时，不受统计期限制)。"),
    "breach_list": _("当前处于超时状态的工单，按最近到期时间由近及远列出前 20 件(实时)。"),
    "bulletin": _("投诉事件通报：统计月内受理、答复“属实”的投诉工单，按承办单位分组，列出处理经过、原因、责任认定、"
                  "考核意见和整改措施。"),
}
LABELS = {
    "volume": _("受理量"), "complaint_requests": _("投诉类诉求"), "complaints": _("投诉(有责投诉)"),
    "regulator_12398": _("12398转办量"), "substantiated": _("属实投诉"), "at_fault": _("有责投诉"),
    "regulator_reply_rate": _("12398按时答复率"), "repeat_rate": _("重复投诉率"), "first_contact_rate": _("及时联系率"),
    "on_time_resolution_rate": _("按时办结率"), "first_time_resolution_rate": _("投诉一次解决率"),
    "satisfaction_rate": _("回访满意率"), "per_million": _("百万客户投诉率"),
    "first_call_resolution_rate": _("咨询一次办结率"),
}


# --- period and scope -----------------------------------------------------------------------

def _month_start(year: int, month: int) -> datetime:
    return timezone.make_aware(datetime(year, month, 1))


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """A calendar month in local time: [start, end) on received_at."""
    year: int
    month: int

    @classmethod
    def parse(cls, value: str | None) -> Period:
        if not value:
            today = timezone.localdate()
            return cls(today.year, today.month)
        try:
            year, month = (int(x) for x in str(value).split("-"))
            if not (2000 <= year <= 2100 and 1 <= month <= 12):
                raise ValueError
        except ValueError:
            raise ValidationFailed("月份格式应为 YYYY-MM", fields={"month": ["月份格式应为 YYYY-MM"]}) from None
        return cls(year, month)

    @property
    def start(self) -> datetime:
        return _month_start(self.year, self.month)

    @property
    def end(self) -> datetime:
        return _month_start(*_add_months(self.year, self.month, 1))

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).astimezone(timezone.get_current_timezone()).date()

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return gettext("%(year)s年%(month)s月") % {"year": self.year, "month": self.month}

    def shift(self, months: int) -> Period:
        return Period(*_add_months(self.year, self.month, months))

    def q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}received_at__gte": self.start, f"{prefix}received_at__lt": self.end})


@dataclass
class Scope:
    """The unit subtree a figure counts: the chosen unit and everything below it."""
    unit: Unit
    units: list[dict] = field(default_factory=list)  # the subtree, tree order
    is_home: bool = True  # the user's own scope root: links need no unit parameter

    @property
    def whole(self) -> bool:
        return self.unit.parent_id is None

    @property
    def ids(self) -> list[int]:
        return [u["id"] for u in self.units]

    def q(self, prefix: str = "") -> Q:
        """Tickets belonging to the subtree — the same rule as complaints.permissions.ticket_scope:
        the responsible unit once dispatched, the intake unit before — that figures count: never a
        duplicate (重复工单, `complaints.models.countable_q`). Every figure goes through here."""
        if self.whole:
            return countable_q(prefix)
        return countable_q(prefix) & Q(**{f"{prefix}owner_unit_id__in": self.ids})

    def tickets(self) -> QuerySet:
        return Ticket.objects.filter(self.q())

    @property
    def customers(self) -> int:
        return sum(u["customer_count"] for u in self.units)

    def children(self) -> list[dict]:
        depth = self.unit.depth + 1
        return [u for u in self.units if u["depth"] == depth]

    def subtree_customers(self, path: str) -> int:
        return sum(u["customer_count"] for u in self.units if u["path"].startswith(path))


def home_unit(user) -> Unit:
    """The root of what the user may see."""
    if sees_everything(user):
        root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        if root is None:
            raise NotFound("尚未建立单位")
        return root
    unit = scope_unit(user)
    if unit is None:
        raise PermissionDenied("您尚未设置所属单位，无法查看统计")
    return unit


def resolve_scope(user, unit_code: str | None = None) -> Scope:
    """The subtree for `unit_code` (or the user's own); NotFound if it is not the user's to see."""
    home = home_unit(user)
    unit = home
    if unit_code and unit_code != home.code:
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None or not home.contains(unit):
            raise NotFound("单位不存在或不在您的管辖范围内")
    return scope_of(unit, is_home=unit.pk == home.pk)


def scope_and_period(user, params) -> tuple[Scope, Period]:
    """The unit subtree and month a report request asks for (`?unit=`, `?month=`), checked."""
    period = Period.parse(params.get("month"))
    return resolve_scope(user, params.get("unit") or None), period


def scope_of(unit: Unit, *, is_home: bool = True) -> Scope:
    units = list(unit.subtree().order_by("path")
                 .values("id", "code", "name", "path", "depth", "customer_count", "parent_id"))
    return Scope(unit=unit, units=units, is_home=is_home)


def units_for_picker(user) -> list[dict]:
    """The units a user may pick on the dashboard, indented by depth."""
    home = home_unit(user)
    rows = list(home.subtree().exclude(kind="department").order_by("path")
                .values("code", "name", "depth"))
    for row in rows:
        row["indent"] = "　" * (row["depth"] - home.depth)
    return rows


# --- links into the ticket list ---------------------------------------------------------------

def ticket_list_url(scope: Scope | None = None, period: Period | None = None, *, unit_id: int | None = None,
                    **params) -> str:
    """The ticket list (complaints:list) filtered to what a figure counts."""
    base = reverse("complaints:list")
    query: list[tuple[str, str]] = [("counted", "1")]  # no duplicate, as the figure
    if unit_id is not None:
        query.append(("unit", str(unit_id)))
    elif scope is not None and not scope.is_home:
        query.append(("unit", str(scope.unit.pk)))
    if period is not None:
        query += [("received_from", period.first_day.isoformat()), ("received_to", period.last_day.isoformat())]
    for key, value in params.items():
        if value is None or value == "":
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            query.append((key, str(item)))
    return f"{base}?{urlencode(query)}"


def ticket_url(number: str) -> str:
    return reverse("complaints:detail", args=[number])


def ticket_url_maker():
    """number → ticket page URL for long lists: one reverse() rather than one per row (ticket
    numbers are URL-safe letters, digits and dashes)."""
    head, _, tail = ticket_url("0").rpartition("0")
    return lambda number: f"{head}{number}{tail}"


# --- helpers --------------------------------------------------------------------------------

def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _change(current, previous) -> float | None:
    if current is None or previous is None or not previous:
        return None
    return round((current - previous) / previous, 4)


def _points(current, previous) -> float | None:
    if current is None or previous is None:
        return None
    return round(current - previous, 4)


def _in(periods: dict[str, Period], prefix: str = "") -> Q:
    q = Q()
    for p in periods.values():
        q |= p.q(prefix)
    return q


COMPLAINT = Q(kind=Kind.COMPLAINT)  # 投诉类诉求: every complaint ticket
# 投诉(有责投诉): only substantiated at-fault complaints count as complaints (seed 003: 未核实前不统计为投诉).
AT_FAULT_COMPLAINT = COMPLAINT & Q(substantiated=True, at_fault=True)
COUNT_METRICS = {
    "volume": Q(),
    "complaint_requests": COMPLAINT,
    "complaints": AT_FAULT_COMPLAINT,
    "regulator_12398": Q(channel=Channel.REGULATOR_12398),
    "substantiated": COMPLAINT & Q(substantiated=True),
    "at_fault": AT_FAULT_COMPLAINT,
    "repeat": COMPLAINT & Q(is_repeat=True),
    "archived_complaints": COMPLAINT & Q(status=Status.ARCHIVED),
    "first_time": COMPLAINT & Q(status=Status.ARCHIVED, redispatch_count=0),
    "withdrawn": Q(status=Status.WITHDRAWN),
    # First-call resolution of enquiries (knowledge base, outage information): closed at intake, never dispatched.
    "enquiries": Q(kind=Kind.ENQUIRY),
    "enquiries_first_call": Q(kind=Kind.ENQUIRY, status=Status.ARCHIVED, dispatched_at__isnull=True),
    "kb_answered": Q(kind=Kind.ENQUIRY, knowledge_answer__isnull=False),
}


# --- the figures ----------------------------------------------------------------------------

def ticket_counts(scope: Scope, periods: dict[str, Period]) -> dict[str, dict[str, int]]:
    """Every count metric for each named period, in one query."""
    aggregates = {f"{name}__{metric}": Count("id", filter=p.q() & q)
                  for name, p in periods.items() for metric, q in COUNT_METRICS.items()}
    row = scope.tickets().filter(_in(periods)).aggregate(**aggregates)
    return {name: {metric: row[f"{name}__{metric}"] for metric in COUNT_METRICS} for name in periods}


RATE_CLOCKS = (ClockName.FIRST_CONTACT, ClockName.RESOLUTION, ClockName.REGULATOR_REPLY)


def clock_rates(scope: Scope, periods: dict[str, Period]) -> dict[str, dict[str, float | None]]:
    """Timely first contact, on-time resolution and the 12398 reply on time, per period, in one
    query over the clocks. A reopened clock (reply sent back) counts by its final reply."""
    aggregates = {}
    for name, p in periods.items():
        for clock in RATE_CLOCKS:
            base = p.q("ticket__") & Q(name=clock)
            aggregates[f"{name}__{clock}__met"] = Count("id", filter=base & Q(state=ClockState.MET))
            aggregates[f"{name}__{clock}__done"] = Count(
                "id", filter=base & Q(state__in=(ClockState.MET, ClockState.BREACHED)))
    row = (Clock.objects.filter(scope.q("ticket__"), _in(periods, "ticket__"), name__in=RATE_CLOCKS)
           .aggregate(**aggregates))
    out = {}
    for name in periods:
        fc, res, reg = RATE_CLOCKS
        out[name] = {
            "first_contact_met": row[f"{name}__{fc}__met"], "first_contact_done": row[f"{name}__{fc}__done"],
            "first_contact_rate": _ratio(row[f"{name}__{fc}__met"], row[f"{name}__{fc}__done"]),
            "resolution_met": row[f"{name}__{res}__met"], "resolution_done": row[f"{name}__{res}__done"],
            "on_time_resolution_rate": _ratio(row[f"{name}__{res}__met"], row[f"{name}__{res}__done"]),
            "regulator_reply_met": row[f"{name}__{reg}__met"], "regulator_reply_done": row[f"{name}__{reg}__done"],
            "regulator_reply_rate": _ratio(row[f"{name}__{reg}__met"], row[f"{name}__{reg}__done"]),
        }
    return out


def callback_rates(scope: Scope, periods: dict[str, Period]) -> dict[str, dict]:
    """Callback satisfaction per period: satisfied ÷ (satisfied + unsatisfied); unreachable apart."""
    aggregates = {}
    for name, p in periods.items():
        for result in Callback.Result.values:
            aggregates[f"{name}__{result}"] = Count("id", filter=p.q("ticket__") & Q(result=result))
    row = Callback.objects.filter(scope.q("ticket__"), _in(periods, "ticket__")).aggregate(**aggregates)
    out = {}
    for name in periods:
        sat, unsat = row[f"{name}__satisfied"], row[f"{name}__unsatisfied"]
        out[name] = {"satisfied": sat, "unsatisfied": unsat, "unreachable": row[f"{name}__unreachable"],
                     "satisfaction_rate": _ratio(sat, sat + unsat)}
    return out


def headline(scope: Scope, period: Period) -> dict:
    """The headline figures with their month-over-month and year-over-year change."""
    periods = {"current": period, "previous": period.shift(-1), "last_year": period.shift(-12)}
    counts = ticket_counts(scope, periods)
    clocks = clock_rates(scope, periods)
    callbacks = callback_rates(scope, periods)
    customers = scope.customers

    def values(name):
        c = counts[name]
        return {
            **c, **clocks[name], **callbacks[name],
            "repeat_rate": _ratio(c["repeat"], c["complaint_requests"]),
            "first_time_resolution_rate": _ratio(c["first_time"], c["archived_complaints"]),
            "first_call_resolution_rate": _ratio(c["enquiries_first_call"], c["enquiries"]),
            "per_million": round(c["at_fault"] / customers * 1_000_000, 2) if customers else None,
            "customers": customers,
        }

    cur, prev, ly = values("current"), values("previous"), values("last_year")
    figures = []
    for key in ("volume", "complaint_requests", "complaints", "substantiated", "regulator_12398"):
        figures.append({"key": key, "label": str(LABELS[key]), "value": cur[key], "unit": "件",
                        "previous": prev[key], "last_year": ly[key],
                        "mom": _change(cur[key], prev[key]), "yoy": _change(cur[key], ly[key]),
                        "definition": str(DEFINITIONS[key])})
    for key in ("first_contact_rate", "on_time_resolution_rate", "regulator_reply_rate", "first_time_resolution_rate",
                "satisfaction_rate", "repeat_rate", "first_call_resolution_rate"):
        figures.append({"key": key, "label": str(LABELS[key]), "value": cur[key], "unit": "%",
                        "previous": prev[key], "last_year": ly[key],
                        "mom_points": _points(cur[key], prev[key]), "yoy_points": _points(cur[key], ly[key]),
                        "definition": str(DEFINITIONS[key])})
    figures.append({"key": "per_million", "label": str(LABELS["per_million"]), "value": cur["per_million"],
                    "unit": "件/百万户", "previous": prev["per_million"], "last_year": ly["per_million"],
                    "mom": _change(cur["per_million"], prev["per_million"]),
                    "yoy": _change(cur["per_million"], ly["per_million"]),
                    "definition": str(DEFINITIONS["per_million"])})
    return {"figures": figures, "current": cur, "previous": prev, "last_year": ly}


def breakdown_rows(scope: Scope, period: Period) -> list[dict]:
    """One GROUP BY (channel, kind, category) for the period: the channel, kind and category
    breakdowns are sums over these few hundred rows at most."""
    return list(scope.tickets().filter(period.q()).values("channel", "kind", "category_id")
                .annotate(n=Count("id")).order_by())


def by_channel_and_kind(scope: Scope, period: Period, rows: list[dict] | None = None) -> dict:
    rows = breakdown_rows(scope, period) if rows is None else rows
    channels: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for row in rows:  # at most |channels| × |kinds| grouped rows
        channels[row["channel"]] = channels.get(row["channel"], 0) + row["n"]
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["n"]
    return {
        "by_channel": [{"code": c, "label": str(label), "count": channels[c]}
                       for c, label in Channel.choices if channels.get(c)],
        "by_kind": [{"code": k, "label": str(label), "count": kinds[k]} for k, label in Kind.choices if kinds.get(k)],
    }


def by_category(scope: Scope, period: Period, rows: list[dict] | None = None) -> list[dict]:
    """Classes with their items, each with its count (uncategorised apart)."""
    counts: dict[int | None, int] = {}
    for row in breakdown_rows(scope, period) if rows is None else rows:
        counts[row["category_id"]] = counts.get(row["category_id"], 0) + row["n"]
    categories = list(Category.objects.order_by("sort", "code").values("id", "code", "name", "parent_id"))
    classes = {c["id"]: {**c, "count": counts.get(c["id"], 0), "items": []}
               for c in categories if c["parent_id"] is None}
    for c in categories:
        if c["parent_id"] in classes:
            parent = classes[c["parent_id"]]
            n = counts.get(c["id"], 0)
            parent["count"] += n
            if n:
                parent["items"].append({"id": c["id"], "code": c["code"], "name": c["name"], "count": n})
    out = [{"id": c["id"], "code": c["code"], "name": c["name"], "count": c["count"], "items": c["items"]}
           for c in classes.values() if c["count"]]
    if counts.get(None):
        out.append({"id": None, "code": "", "name": "未分类", "count": counts[None], "items": []})
    return out


def _bucket(scope: Scope):
    return Substr("unit__path", 1, len(scope.unit.path) + SEGMENT)


def _unit_rows(scope: Scope, counts: dict[str | None, dict]) -> list[dict]:
    """Map grouped path prefixes to the child units (plus "本级" and "未派发")."""
    rows = []
    own = counts.get(scope.unit.path)
    if own:
        rows.append({"id": scope.unit.pk, "code": scope.unit.code, "name": f"{scope.unit.name}(本级)",
                     "own": True, **own})
    for child in scope.children():
        data = counts.get(child["path"])
        if data:
            rows.append({"id": child["id"], "code": child["code"], "name": child["name"], "own": False, **data})
    if counts.get(None):
        rows.append({"id": None, "code": "", "name": "未派发", "own": True, **counts[None]})
    return rows


def by_unit(scope: Scope, period: Period) -> list[dict]:
    """Volume and complaint counts per child unit of the chosen unit (rolled up by path prefix)."""
    grouped = (scope.tickets().filter(period.q()).annotate(bucket=_bucket(scope)).values("bucket")
               .annotate(volume=Count("id"), complaint_requests=Count("id", filter=COMPLAINT),
                         complaints=Count("id", filter=AT_FAULT_COMPLAINT),
                         substantiated=Count("id", filter=COUNT_METRICS["substantiated"]))
               .order_by())
    counts = {row.pop("bucket"): row for row in grouped}
    rows = _unit_rows(scope, counts)
    for row in rows:
        if row["id"] is None:
            row["customers"], row["per_million"] = 0, None
            continue
        path = next(u["path"] for u in scope.units if u["id"] == row["id"])
        customers = scope.unit.customer_count if row["own"] else scope.subtree_customers(path)
        row["customers"] = customers
        row["per_million"] = round(row["complaints"] / customers * 1_000_000, 2) if customers else None
    return rows


def ranking(unit_rows: list[dict]) -> list[dict]:
    """Child units ranked by complaints (有责投诉), then substantiated ones, then complaint tickets."""
    ranked = sorted((r for r in unit_rows if not r["own"]),
                    key=lambda r: (-r["complaints"], -r["substantiated"], -r["complaint_requests"], r["code"]))
    return [{**r, "rank": i} for i, r in enumerate(ranked, start=1)]


def breaches_by_unit(scope: Scope, now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    grouped = (scope.tickets().filter(clock_state_q("breached", now), status__in=OPEN_STATUSES)
               .annotate(bucket=_bucket(scope)).values("bucket").annotate(breached=Count("id")).order_by())
    return _unit_rows(scope, {row.pop("bucket"): row for row in grouped})


def daily(scope: Scope, period: Period) -> list[dict]:
    rows = (scope.tickets().filter(period.q()).annotate(day=TruncDay("received_at")).values("day")
            .annotate(volume=Count("id"), complaint_requests=Count("id", filter=COMPLAINT)).order_by("day"))
    by_day = {timezone.localtime(r["day"]).date() if isinstance(r["day"], datetime) else r["day"]: r for r in rows}
    out, day = [], period.first_day
    while day <= period.last_day:  # the days of the month, not tickets
        r = by_day.get(day, {})
        out.append({"date": day.isoformat(), "volume": r.get("volume", 0),
                    "complaint_requests": r.get("complaint_requests", 0)})
        day += timedelta(days=1)
    return out


def _month_counts(scope: Scope, first: Period, last: Period) -> dict[str, dict]:
    rows = (scope.tickets().filter(received_at__gte=first.start, received_at__lt=last.end)
            .annotate(m=TruncMonth("received_at")).values("m")
            .annotate(volume=Count("id"), complaint_requests=Count("id", filter=COMPLAINT),
                      regulator_12398=Count("id", filter=COUNT_METRICS["regulator_12398"])).order_by("m"))
    out = {}
    for r in rows:
        m = timezone.localtime(r["m"]) if isinstance(r["m"], datetime) else r["m"]
        out[f"{m.year:04d}-{m.month:02d}"] = {k: r[k] for k in ("volume", "complaint_requests", "regulator_12398")}
    return out


def trend(scope: Scope, period: Period, months: int = TREND_MONTHS) -> list[dict]:
    """Monthly volume for the `months` months ending with `period`. Months before the current
    calendar month are cached for 10 minutes (their received volume barely moves)."""
    first = period.shift(-(months - 1))
    this_month = Period.parse(None)
    closed_last = min(period, this_month.shift(-1), key=lambda p: (p.year, p.month))
    counts: dict[str, dict] = {}
    if (closed_last.year, closed_last.month) >= (first.year, first.month):
        key = f"reports:trend:v2:{scope.unit.pk}:{first.key}:{closed_last.key}"
        cached = cache.get(key)
        if cached is None:
            cached = _month_counts(scope, first, closed_last)
            cache.set(key, cached, 600)
        counts.update(cached)
    if (period.year, period.month) >= (this_month.year, this_month.month):
        start = max(first, this_month, key=lambda p: (p.year, p.month))
        counts.update(_month_counts(scope, start, period))
    zero = {"volume": 0, "complaint_requests": 0, "regulator_12398": 0}
    return [{"month": p.key, **counts.get(p.key, zero)} for p in (first.shift(i) for i in range(months))]


def open_snapshot(scope: Scope, now: datetime | None = None) -> dict:
    """Open tickets now, by age (days since the received date) and by clock state, in one query."""
    now = now or timezone.now()
    today = timezone.localdate(now)

    def day_start(d: date) -> datetime:
        return timezone.make_aware(datetime.combine(d, time.min))

    aggregates = {"total": Count("id")}
    for i, (_label, young, old) in enumerate(AGE_BUCKETS):
        q = Q(received_at__lt=day_start(today - timedelta(days=young - 1)))
        if old is not None:
            q &= Q(received_at__gte=day_start(today - timedelta(days=old)))
        aggregates[f"age{i}"] = Count("id", filter=q)
    for state, _label in CLOCK_STATES:
        q = Q(sla_state=SlaState.NONE) if state == "none" else clock_state_q(state, now)
        aggregates[f"clock_{state}"] = Count("id", filter=q)
    row = scope.tickets().filter(status__in=OPEN_STATUSES).aggregate(**aggregates)
    by_age = []
    for i, (label, young, old) in enumerate(AGE_BUCKETS):
        by_age.append({"label": str(label), "count": row[f"age{i}"],
                       "received_from": (today - timedelta(days=old)).isoformat() if old is not None else "",
                       "received_to": (today - timedelta(days=young)).isoformat()})
    by_clock = [{"state": s, "label": str(label), "count": row[f"clock_{s}"]} for s, label in CLOCK_STATES]
    return {"total": row["total"], "by_age": by_age, "by_clock": by_clock}


def followup_figures(scope: Scope, period: Period, now: datetime) -> dict:
    """Half-year follow-up calls (半年跟踪回访): made in the month (by result) and due but not made now."""
    tickets = scope.tickets()
    done = FollowUp.objects.filter(ticket__in=tickets, done_at__gte=period.start, done_at__lt=period.end)
    row = done.aggregate(done=Count("id"), satisfied=Count("id", filter=Q(result=FollowUp.Result.SATISFIED)),
                         unsatisfied=Count("id", filter=Q(result=FollowUp.Result.UNSATISFIED)))
    row["due"] = FollowUp.objects.filter(ticket__in=tickets, done_at__isnull=True, due_at__lte=now).count()
    return row


def major_pending(scope: Scope, limit: int = BREACH_LIST_LIMIT) -> list[dict]:
    """Major events whose flash report or same-day summary is not yet sent (their clocks), the
    nearest deadline first — what must go up to the superior supervision office now."""
    rows = (Clock.objects.filter(name__in=[ClockName.MAJOR_REPORT, ClockName.MAJOR_SUMMARY], completed_at__isnull=True,
                                 ticket__in=scope.tickets()).exclude(state=ClockState.CANCELLED)
            .order_by("due_at", "id").values("ticket__number", "name", "due_at", "state")[:limit])
    names = dict(ClockName.choices)
    return [{"number": r["ticket__number"], "url": ticket_url(r["ticket__number"]), "clock": r["name"],
             "label": str(names[r["name"]]), "due_at": r["due_at"], "state": r["state"]} for r in rows]


def breach_list(scope: Scope, now: datetime | None = None, limit: int = BREACH_LIST_LIMIT) -> list[Ticket]:
    """Open breached tickets by number. Reports (举报) are counted in the figures but never listed here:
    only the discipline office's own queues list them (complaints.policy)."""
    now = now or timezone.now()
    return list(scope.tickets().filter(clock_state_q("breached", now), status__in=OPEN_STATUSES)
                .exclude(kind=Kind.REPORT)
                .select_related("unit", "category").order_by("-next_due_at", "-id")[:limit])


# The month's figures aggregate tens of thousands of tickets and their clocks; they are shared
# by everyone looking at the same unit and month for this long (the "as of now" parts are not).
PERIOD_FIGURES_SECONDS = 300


def _shared_key(kind: str, scope: Scope, period: Period) -> str:
    return f"reports:{kind}:{scope.unit.pk}:{period.key}:{get_language()}"


def _shared(kind: str, scope: Scope, period: Period, compute, refresh: bool):
    key = _shared_key(kind, scope, period)
    value = None if refresh else cache.get(key)
    if value is None:
        value = compute()
        # when they were computed, beside them: the pages say "数据截至 HH:MM" (shared_as_of)
        cache.set_many({key: value, f"{key}:at": timezone.now().isoformat()}, PERIOD_FIGURES_SECONDS)
    return value


def shared_as_of(kind: str, scope: Scope, period: Period) -> datetime | None:
    """When the shared figures of `kind` ("headline", "period") now in the cache were computed."""
    at = cache.get(f"{_shared_key(kind, scope, period)}:at")
    return datetime.fromisoformat(at) if at else None


def shared_headline(scope: Scope, period: Period, *, refresh: bool = False) -> dict:
    """headline(), shared like period_figures (the bulletin shows the same figures as the dashboard)."""
    return _shared("headline", scope, period, lambda: headline(scope, period), refresh)


def period_figures(scope: Scope, period: Period, *, refresh: bool = False) -> dict:
    """The figures of one month for one subtree, cached briefly (see PERIOD_FIGURES_SECONDS);
    `refresh` recomputes them (the beat keeps the province's current month warm)."""
    def compute():
        units = by_unit(scope, period)
        rows = breakdown_rows(scope, period)
        return {
            "headline": shared_headline(scope, period, refresh=refresh),
            **by_channel_and_kind(scope, period, rows),
            "by_category": by_category(scope, period, rows),
            "by_unit": units,
            "ranking": ranking(units),
            "daily": daily(scope, period),
            "trend": trend(scope, period),
            "computed_at": timezone.now().isoformat(),
        }
    return _shared("period", scope, period, compute, refresh)


def dashboard(scope: Scope, period: Period) -> dict:
    """Everything the dashboard page and the summary API show, JSON-ready (except breach_list)."""
    now = timezone.now()
    return {
        "period": {"month": period.key, "label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat()},
        "unit": {"code": scope.unit.code, "name": scope.unit.name, "customers": scope.customers},
        **period_figures(scope, period),
        "open": open_snapshot(scope, now),
        "breaches_by_unit": breaches_by_unit(scope, now),
        "breach_list": breach_list(scope, now),
        "major_pending": major_pending(scope),
        "followups": followup_figures(scope, period, now),
        "outages": _outage_figures(scope, period),
        "definitions": {key: str(text) for key, text in DEFINITIONS.items()},
    }


def _outage_figures(scope: Scope, period: Period) -> dict:
    return outage_figures(scope, period)
