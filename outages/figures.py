"""Outage figures for the dashboard: how the outage promises are kept (planned outages announced
7 days ahead, fault information within minutes) and how many calls each outage brings. Counted in
SQL; the written definitions are DEFINITIONS here and in docs/figures.md."""
from statistics import median

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Extract
from django.utils.translation import gettext_lazy as _

from .models import OutageCall, OutageEvent, OutageKind

DEFINITIONS = {
    "outage_count": _("停电事件数：统计期内开始(按停电开始时间 start_at)、责任单位在所选单位及下级单位的停电事件数，"
                    "分计划检修、临时检修、故障停电、欠费停电。"),
    "planned_notice_share": _("计划停电提前公告率 = 统计期内开始的计划检修停电中，录入(公告)时间距停电开始不少于"
                            "规定天数(业务参数 outage_notice_days，默认 7 天)的数量 ÷ 计划检修停电数。"),
    "median_info_delay": _("故障停电信息报送时长(中位数，分钟) = 统计期内开始的故障停电，从停电开始到停电信息录入"
                         "(或配网系统推送)系统的时长的中位数；“两个5分钟”要求 5 分钟内。"),
    "median_notice_delay": _("故障停电客户通知时长(中位数，分钟) = 统计期内开始、已记录客户通知时间的故障停电，"
                           "从停电开始到停电信息发送至受影响客户的时长的中位数。"),
    "calls_per_event": _("每次停电来电数 = 统计期内开始的停电事件关联的停电咨询工单数 ÷ 停电事件数。"),
}


class _Median(Aggregate):
    """PostgreSQL's percentile_cont: the median computed in the database."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _delay(field: str):
    return ExpressionWrapper(F(field) - F("start_at"), output_field=DurationField())


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(max(seconds, 0) / 60, 1)


def outage_figures(scope, period) -> dict:
    """The outage figures of a unit subtree (reports.figures.Scope) and month (Period), in one query."""
    events = OutageEvent.objects.filter(start_at__gte=period.start, start_at__lt=period.end)
    if not scope.whole:
        events = events.filter(unit_id__in=scope.ids)
    calls = Subquery(OutageCall.objects.filter(event=OuterRef("pk")).order_by().values("event")
                     .annotate(c=Count("id")).values("c"))
    events = events.annotate(n_calls=Coalesce(calls, 0))
    fault, noticed = Q(kind=OutageKind.FAULT), Q(kind=OutageKind.FAULT, notice_sent_at__isnull=False)
    if connection.vendor == "postgresql":
        row = events.aggregate(
            total=Count("id"), **{k: Count("id", filter=Q(kind=k)) for k in OutageKind.values},
            planned_ahead=Count("id", filter=Q(kind=OutageKind.PLANNED, short_notice=False)),
            calls=Coalesce(Sum("n_calls"), 0),
            info=_Median(Extract(_delay("entered_at"), "epoch"), filter=fault),
            notice=_Median(Extract(_delay("notice_sent_at"), "epoch"), filter=noticed))
    else:  # SQLite (the embedded default) has no percentile: one month's events are few, read them once
        rows = list(events.values_list("kind", "short_notice", "start_at", "entered_at", "notice_sent_at", "n_calls"))
        row = {"total": len(rows), **{k: sum(r[0] == k for r in rows) for k in OutageKind.values},
               "planned_ahead": sum(r[0] == OutageKind.PLANNED and not r[1] for r in rows),
               "calls": sum(r[5] for r in rows)}
        for key, index in (("info", 3), ("notice", 4)):
            values = [(r[index] - r[2]).total_seconds() for r in rows if r[0] == OutageKind.FAULT and r[index]]
            row[key] = median(values) if values else None
    planned, total = row[OutageKind.PLANNED], row["total"]
    return {
        "count": total,
        "by_kind": [{"kind": k, "label": str(label), "count": row[k]} for k, label in OutageKind.choices],
        "planned_notice_share": round(row["planned_ahead"] / planned, 4) if planned else None,
        "median_info_delay": _minutes(row["info"]),
        "median_notice_delay": _minutes(row["notice"]),
        "calls": row["calls"],
        "calls_per_event": round(row["calls"] / total, 2) if total else None,
        "definitions": {key: str(text) for key, text in DEFINITIONS.items()},
    }
