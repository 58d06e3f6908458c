"""Rule 8: a major ticket opens a flash report due within the hour and a same-day summary due by
24:00, both clocks, sent to the superior unit's supervision office, shown on the ticket and dashboard."""
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from complaints.models import MajorReport
from complaints.services import major_report_submit
from complaints.services.sweep import sweep_clocks
from core.errors import Conflict, ValidationFailed
from core.models import Setting
from notifications.models import Notification
from sla.models import ClockName, ClockState
from sla.workcal import TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


REPORT = dict(what="台区变压器烧毁，抢修延误致客户家中起火", place="东州市城关镇幸福村", impact="约200户停电",
              measures="已组织抢修并上门慰问")


def test_major_ticket_opens_report_and_summary_clocks(make_ticket):
    registered = at(2026, 3, 10, 15, 20)
    with time_machine.travel(registered, tick=False):
        ticket = make_ticket(severity="major")
    clocks = {c.name: c for c in ticket.clocks.all()}
    assert clocks[ClockName.MAJOR_REPORT].due_at == registered + timedelta(hours=1)
    assert clocks[ClockName.MAJOR_SUMMARY].due_at == at(2026, 3, 11, 0, 0)  # 24:00 of the same day
    ordinary = make_ticket()
    assert not ordinary.clocks.filter(name__in=[ClockName.MAJOR_REPORT, ClockName.MAJOR_SUMMARY]).exists()


def test_report_minutes_are_a_setting_and_an_unsent_report_breaches(make_ticket, users):
    Setting.objects.create(key="major_report_minutes", value=15)
    registered = at(2026, 3, 10, 9, 0)
    with time_machine.travel(registered, tick=False):
        ticket = make_ticket(severity="major")
    report = ticket.clocks.get(name=ClockName.MAJOR_REPORT)
    assert report.due_at == registered + timedelta(minutes=15)
    sweep_clocks(now=registered + timedelta(minutes=16))
    report.refresh_from_db()
    assert report.state == ClockState.BREACHED


def test_flash_report_goes_to_the_superior_supervision_office_and_stops_its_clock(make_ticket, users, units):
    registered = at(2026, 3, 10, 15, 20)
    with time_machine.travel(registered, tick=False):
        ticket = make_ticket(severity="major")
    with time_machine.travel(registered + timedelta(minutes=40), tick=False):
        with pytest.raises(ValidationFailed):
            major_report_submit(ticket=ticket, actor=users["agent"], kind="flash", what="起火")  # impact etc. missing
        ticket = major_report_submit(ticket=ticket, actor=users["agent"], kind="flash", **REPORT)
    report = MajorReport.objects.get(ticket=ticket)
    assert report.sent_to == units["KF"]  # the intake centre's superior company's supervision office
    assert set(Notification.objects.filter(kind="major_flash").values_list("user__username", flat=True)) == {
        "supervisor"}
    flash = ticket.clocks.get(name=ClockName.MAJOR_REPORT)
    assert flash.state == ClockState.MET
    assert ticket.clocks.get(name=ClockName.MAJOR_SUMMARY).completed_at is None
    with pytest.raises(Conflict):
        major_report_submit(ticket=ticket, actor=users["agent"], kind="flash", **REPORT)
    with time_machine.travel(at(2026, 3, 10, 23, 0), tick=False):
        ticket = major_report_submit(ticket=ticket, actor=users["supervisor"], kind="summary", what="已恢复供电")
    assert ticket.clocks.get(name=ClockName.MAJOR_SUMMARY).state == ClockState.MET


def test_not_major_is_refused(make_ticket, users):
    with pytest.raises(Conflict):
        major_report_submit(ticket=make_ticket(), actor=users["agent"], kind="flash", **REPORT)


def test_shown_on_ticket_page_and_dashboard(make_ticket, users, client_for):
    ticket = make_ticket(severity="major")
    page = client_for("agent").get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert "重大事件快报" in page and 'id="action-major_report"' in page
    board = client_for("viewer").get(reverse("reports:dashboard"))
    pending = board.context["data"]["major_pending"]
    # Nearest due first: late in the evening the day's summary (by 24:00) is due before the flash report.
    clocks = ticket.clocks.filter(name__in=["major_report", "major_summary"]).order_by("due_at", "id")
    assert [(p["number"], p["clock"]) for p in pending] == [(ticket.number, c.name) for c in clocks]
    assert {p["clock"] for p in pending} == {"major_report", "major_summary"}
    web = client_for("agent")
    ticket.refresh_from_db()
    response = web.post(reverse("complaints:act", args=[ticket.number, "major_report"]),
                        {"version": ticket.version, **{f"major_report-{k}": v for k, v in REPORT.items()}})
    assert response.status_code == 302
    board = client_for("viewer").get(reverse("reports:dashboard"))
    assert [p["clock"] for p in board.context["data"]["major_pending"]] == ["major_summary"]
    page = web.get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert 'id="major-reports"' in page and "约200户停电" in page
