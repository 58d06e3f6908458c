"""The monthly 约谈 list (双向条件): units whose at-fault complaints in a month exceed
`interview_count_threshold` AND whose per-million rate exceeds `interview_rate_threshold`, with
their cases; produced on the first working day of the next month (beat, sla calendar)."""
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Unit
from complaints.models import Ticket
from core.config import setting
from reports.figures import AT_FAULT_COMPLAINT, Period
from sla.calendar import get_calendar

from .models import InterviewList


def interview_rows(period: Period) -> list[dict]:
    """Every unit (with its subtree) over both thresholds in the month, highest rate first: one
    grouped query for the counts, one for the cases of the units listed."""
    count_limit = int(setting("interview_count_threshold"))
    rate_limit = float(setting("interview_rate_threshold"))
    counts = dict(Ticket.objects.countable().filter(AT_FAULT_COMPLAINT, period.q()).values("owner_unit_id")
                  .annotate(n=Count("id")).values_list("owner_unit_id", "n").order_by())
    units = list(Unit.objects.values("id", "code", "name", "path", "customer_count"))
    path_of = {u["id"]: u["path"] for u in units}
    rows = []
    for unit in units:
        inside = [uid for uid in counts if path_of.get(uid, "").startswith(unit["path"])]
        n = sum(counts[uid] for uid in inside)
        customers = sum(u["customer_count"] for u in units if u["path"].startswith(unit["path"]))
        rate = n / customers * 1_000_000 if customers else None
        if n > count_limit and rate is not None and rate > rate_limit:
            rows.append({"unit": unit["id"], "code": unit["code"], "name": unit["name"], "path": unit["path"],
                         "complaints": n, "customers": customers, "per_million": round(rate, 2), "units": inside})
    cases = list(Ticket.objects.countable().filter(AT_FAULT_COMPLAINT, period.q(),
                                       owner_unit_id__in={uid for r in rows for uid in r["units"]})
                 .order_by("received_at").values_list("owner_unit_id", "number")) if rows else []
    for row in rows:
        members = set(row.pop("units"))
        row["tickets"] = [number for uid, number in cases if uid in members]
    return sorted(rows, key=lambda r: (-r["per_million"], r["path"]))


def interview_produce(period: Period, *, now=None) -> InterviewList:
    """Write (or rewrite) the month's list — idempotent."""
    with transaction.atomic():
        row, _ = InterviewList.objects.update_or_create(month=period.key, defaults={
            "count_threshold": int(setting("interview_count_threshold")),
            "rate_threshold": float(setting("interview_rate_threshold")),
            "rows": interview_rows(period), "produced_at": now or timezone.now()})
    return row


def first_working_day(year: int, month: int) -> date:
    calendar, day = get_calendar(), date(year, month, 1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def interview_due(today: date | None = None) -> InterviewList | None:
    """On the first working day of a month: last month's list, once (beat calls this daily)."""
    today = today or timezone.localdate()
    if today != first_working_day(today.year, today.month):
        return None
    last = Period(today.year, today.month).shift(-1)
    if InterviewList.objects.filter(month=last.key).exists():
        return None
    return interview_produce(last)
