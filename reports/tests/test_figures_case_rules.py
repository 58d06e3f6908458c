"""Figures on a hand-built month with the issue-15 cases: a 不属实 complaint, a reply sent back and
then given late, an unsatisfied callback on a 12398 complaint (March 2026, Asia/Shanghai).

  A  complaint 95598  replied 03-11 属实, decided 有责 (warning), satisfied      → 投诉(有责投诉)
  B  complaint 95598  replied 03-11 不属实; 有责 refused, decided 无责           → 投诉类诉求 only
  C  complaint 95598  replied 03-12 属实 (on time), sent back 03-13, replied again an hour after its due
  D  complaint 12398  received 03-10 09:00, replied 03-12 属实, callback unsatisfied → re-dispatched
All dispatched Tue 03-10 10:00 to GS-A1-1; figures read on 03-20."""
from datetime import datetime, timedelta

import chinese_calendar
import pytest
import time_machine

from core.errors import ValidationFailed
from reports import figures
from reports.figures import Period, resolve_scope
from sla.workcal import TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


def working_days_after(start: datetime, days: int) -> datetime:
    day = start.astimezone(TZ).date()
    while days:
        day += timedelta(days=1)
        days -= chinese_calendar.is_workday(day)
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=TZ)


@pytest.fixture
def month(make_ticket, users, units):
    from complaints.services import (
        ticket_callback,
        ticket_contact,
        ticket_dispatch,
        ticket_reply,
        ticket_responsibility,
        ticket_review,
    )

    station, sup, lead = users["station_a"], users["supervisor"], users["lead"]
    dispatched = at(2026, 3, 10, 10, 0)
    due = working_days_after(dispatched, 4)

    def reply(t, substantiated):
        return ticket_reply(ticket=t, actor=station, substantiated=substantiated, cause="原因", measures="措施",
                            reply_text="已答复")

    with time_machine.travel(dispatched, tick=False) as clock:
        made = {}
        for i, key in enumerate("ABCD"):
            fields = {"channel": "12398", "regulator_ref": "NY-D", "received_at": at(2026, 3, 10, 9, 0)} \
                if key == "D" else {}
            t = make_ticket(customer_phone=f"1390000{i:04d}", account_no=f"31000{i:05d}", **fields)
            t = ticket_dispatch(ticket=t, actor=lead, unit=units["GS-A1-1"])
            made[key] = ticket_contact(ticket=t, actor=station, method="phone")
        clock.move_to(at(2026, 3, 11, 10))
        a = ticket_review(ticket=reply(made["A"], True), actor=sup, approved=True)
        ticket_responsibility(ticket=a, actor=sup, at_fault=True, person="张三", decision="warning")
        ticket_callback(ticket=a, actor=sup, result="satisfied")
        b = reply(made["B"], False)
        with pytest.raises(ValidationFailed):
            ticket_responsibility(ticket=b, actor=sup, at_fault=True, decision="warning")
        ticket_responsibility(ticket=b, actor=sup, at_fault=False)
        clock.move_to(at(2026, 3, 12, 10))
        c = reply(made["C"], True)
        d = ticket_review(ticket=reply(made["D"], True), actor=sup, approved=True)
        clock.move_to(at(2026, 3, 13, 10))
        ticket_review(ticket=c, actor=sup, approved=False, comment="措施不具体")
        d = ticket_callback(ticket=d, actor=sup, result="unsatisfied")
        clock.move_to(due + timedelta(hours=1))
        c = reply(c, True)
        ticket_responsibility(ticket=c, actor=sup, at_fault=False)
        clock.move_to(at(2026, 3, 20, 10))
        yield {"A": a, "B": b, "C": c, "D": d}


def test_figures_count_only_at_fault_complaints_and_judge_the_final_reply(month, users):
    scope = resolve_scope(users["viewer"])
    h = figures.headline(scope, Period(2026, 3))
    cur = h["current"]
    assert cur["complaint_requests"] == 4  # 投诉类诉求: A B C D
    assert cur["complaints"] == 1  # 投诉(有责投诉): A only; B is 不属实 and could not be decided at fault
    assert cur["substantiated"] == 3  # A C D
    assert cur["per_million"] == round(1 / cur["customers"] * 1_000_000, 2)
    # Resolution: A, B, D's first round on time; C's final reply late. D's second round still runs.
    assert (cur["resolution_met"], cur["resolution_done"], cur["on_time_resolution_rate"]) == (3, 4, 0.75)
    # The 12398 reply clock is counted on its own: D replied on 03-12, within 10 working days of receipt.
    assert (cur["regulator_reply_met"], cur["regulator_reply_done"], cur["regulator_reply_rate"]) == (1, 1, 1.0)
    assert (cur["satisfied"], cur["unsatisfied"], cur["satisfaction_rate"]) == (1, 1, 0.5)
    assert month["D"].onsite_required is True  # unsatisfied callback on a 12398 complaint
    keys = [f["key"] for f in h["figures"]]
    assert {"complaint_requests", "complaints", "regulator_reply_rate"} <= set(keys)
    labels = {f["key"]: f["label"] for f in h["figures"]}
    assert labels["complaints"] == "投诉(有责投诉)" and labels["complaint_requests"] == "投诉类诉求"


def test_dashboard_shows_both_counts_with_their_definitions(month, client_for):
    page = client_for("viewer").get("/reports/?month=2026-03")
    html = page.content.decode()
    assert page.status_code == 200
    assert "投诉类诉求" in html and "投诉(有责投诉)" in html
    assert "未核实、不属实或无责的不统计为投诉" in html
