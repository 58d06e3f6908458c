"""The monthly 约谈 list on a hand-built month: both conditions (count AND per-million rate) must be
exceeded; produced once on the first working day of the next month; page and Excel."""
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Unit
from complaints.models import Ticket
from core.models import Setting
from reports.figures import Period
from risk.interviews import first_working_day, interview_due, interview_rows
from risk.models import InterviewList

pytestmark = pytest.mark.django_db


def subtree_customers(code):
    unit = Unit.objects.get(code=code)
    return sum(u.customer_count for u in Unit.objects.filter(path__startswith=unit.path))


@pytest.fixture
def month(make_ticket, users, units):
    """Last month: 3 at-fault complaints of station A, 2 of station B, 1 not at fault of station A."""
    first = timezone.localtime().replace(day=1, hour=10, minute=0, second=0, microsecond=0)
    at = (first - timedelta(days=1)).replace(day=3)
    made = {"GS-A1-1": [], "GS-B1-1": []}
    for i, (code, fault) in enumerate([("GS-A1-1", True)] * 3 + [("GS-B1-1", True)] * 2 + [("GS-A1-1", False)]):
        t = make_ticket(received_at=at, customer_phone=f"1350000000{i}", account_no=f"M{i}")
        Ticket.objects.filter(pk=t.pk).update(unit=units[code], owner_unit=units[code], substantiated=True,
                                              at_fault=fault)
        if fault:
            made[code].append(t.number)
    # Station A's rate with 3 complaints must exceed the rate threshold; station B's 2 must not
    # pass the count threshold (2 is not more than 2).
    rate_a = 3 / subtree_customers("GS-A1-1") * 1_000_000
    Setting.objects.create(key="interview_count_threshold", value=2)
    Setting.objects.create(key="interview_rate_threshold", value=rate_a - 0.01)
    return Period(at.year, at.month), made


def test_units_over_both_thresholds_with_their_cases(month):
    period, made = month
    rows = interview_rows(period)
    station = next(r for r in rows if r["code"] == "GS-A1-1")
    assert station["complaints"] == 3 and sorted(station["tickets"]) == sorted(made["GS-A1-1"])
    assert station["per_million"] == round(3 / subtree_customers("GS-A1-1") * 1_000_000, 2)
    assert "GS-B1-1" not in {r["code"] for r in rows}  # 2 complaints: not more than the count threshold
    for r in rows:  # every listed unit exceeds both
        assert r["complaints"] > 2 and r["per_million"] > 3 / subtree_customers("GS-A1-1") * 1_000_000 - 0.01


def test_rate_alone_is_not_enough(month):
    period, _made = month
    row = Setting.objects.get(key="interview_count_threshold")
    row.value = 3  # station A has 3: not more than 3
    row.save()
    assert "GS-A1-1" not in {r["code"] for r in interview_rows(period)}


def test_produced_once_on_the_first_working_day(month):
    period, _made = month
    nxt = period.shift(1)
    day = first_working_day(nxt.year, nxt.month)
    if day > date(nxt.year, nxt.month, 1):
        assert interview_due(date(nxt.year, nxt.month, 1)) is None  # a holiday or weekend: not yet
    assert interview_due(day + timedelta(days=1)) is None  # not the first working day
    produced = interview_due(day)
    assert produced.month == period.key and "GS-A1-1" in {r["code"] for r in produced.rows}
    assert interview_due(day) is None and InterviewList.objects.count() == 1


def test_page_and_excel(month, client_for):
    period, made = month
    client = client_for("supervisor")
    page = client.get(reverse("risk:interviews"), {"month": period.key}).content.decode()
    assert made["GS-A1-1"][0] in page and "预览" in page
    ws = load_workbook(BytesIO(client.get(reverse("risk:interviews_xlsx"), {"month": period.key}).content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:3] == ("序号", "单位编码", "单位") and "GS-A1-1" in {r[1] for r in rows[2:]}
    assert client_for("station_a").get(reverse("risk:interviews")).status_code == 403


def test_first_working_day_skips_the_national_day_holiday():
    assert first_working_day(2026, 10) == date(2026, 10, 8)


def test_a_duplicate_is_not_one_more_complaint(month, make_ticket, units):
    """The same call logged twice and marked a duplicate (重复工单) is not counted for the unit."""
    period, made = month
    original = Ticket.objects.get(number=made["GS-A1-1"][0])
    copy = make_ticket(received_at=original.received_at, customer_phone=original.customer_phone,
                       account_no=original.account_no)
    Ticket.objects.filter(pk=copy.pk).update(unit=units["GS-A1-1"], owner_unit=units["GS-A1-1"], substantiated=True,
                                             at_fault=True, duplicate_of=original, status="duplicate")
    station = next(r for r in interview_rows(period) if r["code"] == "GS-A1-1")
    assert station["complaints"] == 3 and copy.number not in station["tickets"]
