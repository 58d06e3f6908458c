"""The case loop's rules as the regulations write them (issue 15). Expected instants are computed
here from the working calendar (chinese_calendar's table, counted by the Civil Code rule: the
start day is not counted, the limit ends at 24:00 of the last counted working day)."""
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
import time_machine

from complaints.models import ExtensionRequest, Severity, TicketEvent
from complaints.services import (
    ticket_contact,
    ticket_dispatch,
    ticket_extension_request,
    ticket_reply,
    ticket_return,
    ticket_withdraw,
)
from notifications.models import Notification
from sla.models import ClockName
from sla.workcal import TZ
from tests import samples

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


def working_days_after(start: datetime, days: int) -> datetime:
    """24:00 of the `days`-th working day after the start day."""
    day: date = start.astimezone(TZ).date()
    while days:
        day += timedelta(days=1)
        days -= chinese_calendar.is_workday(day)
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=TZ)


def clock(ticket, name):
    return ticket.clocks.exclude(state="cancelled").filter(name=name).order_by("-started_at", "-id").first()


# --- rule 1: repair arrival follows the unit that does the repair -------------------------

def test_repair_arrival_follows_the_dispatched_units_region(make_ticket, users, units):
    units["GS-A1-1"].region_type = "remote"  # the demo's 城关 station is urban; remote (2 h) set here
    units["GS-A1-1"].save(update_fields=["region_type"])
    received = at(2026, 3, 10, 10, 0)
    with time_machine.travel(received, tick=False):
        ticket = make_ticket(kind="repair", category=None, description="停电", address="无匹配地址")
    assert clock(ticket, ClockName.REPAIR_ARRIVAL).due_at == received + timedelta(minutes=45)  # region unknown
    with time_machine.travel(received + timedelta(minutes=10), tick=False):
        ticket = ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])  # remote
    arrival = clock(ticket, ClockName.REPAIR_ARRIVAL)
    assert arrival.started_at == received and arrival.due_at == received + timedelta(hours=2)
    with time_machine.travel(received + timedelta(minutes=20), tick=False):
        ticket = ticket_return(ticket=ticket, actor=users["station_a"], reason="非本所辖区")
        ticket = ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A2-2"])  # rural
    arrival = clock(ticket, ClockName.REPAIR_ARRIVAL)
    assert arrival.due_at == received + timedelta(minutes=90) and arrival.state == "running"
    ticket.refresh_from_db()
    assert ticket.next_due_at == received + timedelta(minutes=90)


# --- rule 2: the 12398 reply clock runs from the transfer's receipt -----------------------

def test_12398_reply_clock_runs_from_receipt_beside_resolution(make_ticket, users, units):
    received = at(2026, 11, 27, 9, 0)
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        ticket = make_ticket(channel="12398", regulator_ref="NY-2026-1127", received_at=received)
        ticket = ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])
    reply = clock(ticket, ClockName.REGULATOR_REPLY)
    assert reply.started_at == received
    assert reply.due_at == working_days_after(received, 10)  # 11 Dec 24:00, not 16 Dec
    resolution = clock(ticket, ClockName.RESOLUTION)  # its own clock, from dispatch
    assert resolution is not None and resolution.started_at == at(2026, 12, 2, 9, 0)


def test_12398_stated_deadline_wins_only_when_earlier(make_ticket, users):
    received = at(2026, 3, 10, 9, 0)
    earlier, later = at(2026, 3, 20, 17, 0), at(2026, 4, 30, 17, 0)
    with time_machine.travel(received, tick=False):
        first = make_ticket(channel="12398", regulator_ref="NY-1", regulator_due_at=earlier)
        second = make_ticket(channel="12398", regulator_ref="NY-2", regulator_due_at=later,
                             customer_phone="13900000009", account_no="3100099999")
    assert clock(first, ClockName.REGULATOR_REPLY).due_at == earlier
    assert clock(second, ClockName.REGULATOR_REPLY).due_at == working_days_after(received, 10)


def test_12398_reply_days_are_a_setting(make_ticket):
    from core.config import DEFAULTS
    from core.models import Setting

    assert DEFAULTS["regulator_reply_working_days"][0] == 10
    Setting.objects.create(key="regulator_reply_working_days", value=7)
    received = at(2026, 3, 10, 9, 0)
    with time_machine.travel(received, tick=False):
        ticket = make_ticket(channel="12398", regulator_ref="NY-3")
    assert clock(ticket, ClockName.REGULATOR_REPLY).due_at == working_days_after(received, 7)


# --- rule 3: a media complaint is major and reported ---------------------------------------

def test_media_complaint_is_major_and_reported(make_ticket, users):
    ticket = make_ticket(channel="media", severity="ordinary")
    assert ticket.severity == Severity.MAJOR
    assert Notification.objects.filter(ticket=ticket, kind="major", user=users["supervisor"]).exists()
    enquiry = make_ticket(channel="media", kind="enquiry", category=None, customer_phone="13900000011",
                          account_no="")
    assert enquiry.severity == Severity.ORDINARY


# --- rule 9: an extension request that can no longer apply is withdrawn ---------------------

def test_pending_extension_is_withdrawn_when_the_ticket_is_replied(contacted, users):
    ticket_extension_request(ticket=contacted, actor=users["station_a"], days=2, reason="需现场核实")
    ticket = ticket_reply(ticket=contacted, actor=users["station_a"], substantiated=True, cause="c",
                          measures="m", reply_text="r")
    request = ticket.extensions.get()
    assert request.decision == ExtensionRequest.Decision.WITHDRAWN and request.decided_at is not None
    assert TicketEvent.objects.filter(ticket=ticket, action="extension_withdrawn").count() == 1
    assert not ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING).exists()


def test_pending_extension_is_withdrawn_when_the_ticket_is_withdrawn(dispatched, users):
    ticket_extension_request(ticket=dispatched, actor=users["station_a"], days=2, reason="需现场核实")
    ticket = ticket_withdraw(ticket=dispatched, actor=users["agent"], reason="客户撤诉")
    assert ticket.extensions.get().decision == ExtensionRequest.Decision.WITHDRAWN
    assert TicketEvent.objects.filter(ticket=ticket, action="extension_withdrawn").exists()


def test_extension_stays_pending_while_the_unit_works(dispatched, users):
    ticket_extension_request(ticket=dispatched, actor=users["station_a"], days=2, reason="需现场核实")
    ticket = ticket_contact(ticket=dispatched, actor=users["station_a"], method="phone")
    assert ticket.extensions.get().decision == ExtensionRequest.Decision.PENDING


# --- rule 10: a late-logged letter -----------------------------------------------------------

def test_late_logged_letter_dispatch_clock_runs_from_logging(make_ticket, users, units):
    received, logged = at(2026, 3, 5, 9, 0), at(2026, 3, 10, 10, 0)
    with time_machine.travel(logged, tick=False):
        ticket = make_ticket(channel="letter", received_at=received)
    dispatch = clock(ticket, ClockName.DISPATCH)
    assert dispatch.started_at == logged and dispatch.due_at == logged + timedelta(hours=1)
    dispatched = logged + timedelta(minutes=30)
    with time_machine.travel(dispatched, tick=False):
        ticket = ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])
    assert clock(ticket, ClockName.DISPATCH).state == "met"
    assert clock(ticket, ClockName.RESOLUTION).due_at == working_days_after(dispatched, 4)


# --- rule 5: 不属实 cannot be decided at fault unless the finding is changed first ------------

def _replied(contacted, users, substantiated):
    return ticket_reply(ticket=contacted, actor=users["station_a"], substantiated=substantiated, cause="核查",
                        measures="解释", reply_text="已答复")


def test_not_substantiated_cannot_be_at_fault_until_the_finding_changes(contacted, users):
    from complaints.services import ticket_change_finding, ticket_responsibility
    from core.errors import ValidationFailed

    ticket = _replied(contacted, users, substantiated=False)
    with pytest.raises(ValidationFailed) as refused:
        ticket_responsibility(ticket=ticket, actor=users["supervisor"], at_fault=True, decision="warning")
    assert "at_fault" in refused.value.fields
    ticket.refresh_from_db()
    assert ticket.at_fault is None and not ticket.accountabilities.exists()

    ticket = ticket_change_finding(ticket=ticket, actor=users["supervisor"], substantiated=True, reason="复核属实")
    change = TicketEvent.objects.get(ticket=ticket, action="change_finding")
    assert change.note == "复核属实" and change.data == {"from": False, "to": True}
    assert ticket.history.filter(substantiated=False).exists() and ticket.history.first().substantiated is True
    ticket = ticket_responsibility(ticket=ticket, actor=users["supervisor"], at_fault=True, decision="warning")
    assert ticket.at_fault is True

    ticket = ticket_change_finding(ticket=ticket, actor=users["supervisor"], substantiated=False, reason="再次复核")
    assert ticket.substantiated is False and ticket.at_fault is None  # not substantiated: no longer at fault


def test_change_finding_api_needs_a_reason(client_as, contacted, users):
    ticket = _replied(contacted, users, substantiated=False)
    client = client_as("supervisor")
    url = f"/api/v1/tickets/{ticket.number}/change-finding/"
    bad = client.post(url, {"substantiated": True}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["error"]["fields"]
    good = client.post(url, {"substantiated": True, "reason": "复核属实"}, format="json")
    assert good.status_code == 200 and good.json()["substantiated"] is True


# --- rule 6: a rejected reply resumes its clock ----------------------------------------------

def test_rejected_reply_resumes_the_resolution_clock_on_its_own_due(make_ticket, users, units, client_for):
    from complaints.services import ticket_extension_decide, ticket_review
    from complaints.services.sweep import sweep_clocks

    dispatched = at(2026, 3, 10, 10, 0)
    with time_machine.travel(dispatched, tick=False):
        ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
        ticket = ticket_contact(ticket=ticket, actor=users["station_a"], method="phone")
        ticket_extension_request(ticket=ticket, actor=users["station_a"], days=2, reason="需现场核实")
        ticket_extension_decide(ticket=ticket, actor=users["supervisor"], approved=True)
    due = working_days_after(dispatched, 4 + 2)  # extension kept
    with time_machine.travel(at(2026, 3, 12, 10, 0), tick=False):
        ticket = _replied(ticket, users, substantiated=True)
    assert clock(ticket, ClockName.RESOLUTION).state == "met"
    with time_machine.travel(at(2026, 3, 13, 10, 0), tick=False):
        ticket = ticket_review(ticket=ticket, actor=users["supervisor"], approved=False, comment="措施不具体")
    resolution = clock(ticket, ClockName.RESOLUTION)
    assert resolution.completed_at is None and resolution.state == "running" and resolution.due_at == due
    ticket.refresh_from_db()
    assert ticket.next_due_at == due and ticket.sla_state == "running"

    page = client_for("station_a").get(f"/tickets/{ticket.number}/")
    html = page.content.decode()
    assert "答复被审核退回" in html and "措施不具体" in html
    assert "已答复</textarea>" in html  # the reply form holds the previous reply

    # Not replied again by the due: the sweep breaches it, and the late final reply is what counts.
    with time_machine.travel(due + timedelta(hours=1), tick=False):
        assert resolution.pk in sweep_clocks().breached
        ticket = _replied(ticket, users, substantiated=True)
    resolution.refresh_from_db()
    assert resolution.state == "breached" and resolution.completed_at == due + timedelta(hours=1)


def test_reopened_clock_past_due_is_left_to_the_sweep(contacted, users):
    from complaints.services import ticket_review

    ticket = _replied(contacted, users, substantiated=True)
    resolution = clock(ticket, ClockName.RESOLUTION)
    with time_machine.travel(resolution.due_at + timedelta(days=1), tick=False):
        ticket_review(ticket=ticket, actor=users["supervisor"], approved=False, comment="重答")
    resolution.refresh_from_db()
    assert resolution.state == "running" and resolution.breached_at is None  # the sweep breaches and notifies


# --- rule 4: on-site investigation -------------------------------------------------------------

PNG = samples.png()


def _photo(name="现场.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_unsatisfied_callback_on_12398_requires_a_recorded_investigation_before_the_reply(make_ticket, users,
                                                                                           units):
    from complaints.services import ticket_callback, ticket_onsite_investigation, ticket_review
    from core.errors import ValidationFailed

    ticket = make_ticket(channel="12398", regulator_ref="NY-9")
    assert ticket.onsite_required is False  # a first 12398 call
    ticket = ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])
    ticket = ticket_contact(ticket=ticket, actor=users["station_a"], method="phone")
    ticket = _replied(ticket, users, substantiated=True)
    ticket = ticket_review(ticket=ticket, actor=users["supervisor"], approved=True)
    ticket = ticket_callback(ticket=ticket, actor=users["supervisor"], result="unsatisfied")
    assert ticket.onsite_required is True
    ticket = ticket_contact(ticket=ticket, actor=users["station_a"], method="phone")
    with pytest.raises(ValidationFailed) as refused:
        _replied(ticket, users, substantiated=True)
    assert refused.value.code == "onsite_required"

    with pytest.raises(ValidationFailed) as no_photo:
        ticket_onsite_investigation(ticket=ticket, actor=users["station_a"], investigators="张承办、李师傅",
                                    visited_at=at(2026, 1, 5, 10, 0), findings="表计正常", photos=[])
    assert "photos" in no_photo.value.fields
    visited = ticket.dispatched_at
    ticket = ticket_onsite_investigation(ticket=ticket, actor=users["station_a"], investigators="张承办、李师傅",
                                         visited_at=visited, findings="表计正常，线路老化", photos=[_photo()])
    record = ticket.onsite_investigations.get()
    assert (record.investigators, record.visited_at, record.recorded_by) == ("张承办、李师傅", visited,
                                                                             users["station_a"])
    assert [p.name for p in record.photos.all()] == ["现场.png"]
    assert _replied(ticket, users, substantiated=True).status == "replied"


def test_wide_impact_complaint_requires_an_investigation(make_ticket, client_as):
    assert make_ticket(wide_impact=True).onsite_required is True
    assert make_ticket(customer_phone="13900000021", account_no="").onsite_required is False
    body = {"channel": "95598_phone", "kind": "complaint", "category": "FW01", "customer": {
        "name": "李四", "phone": "13900000022"}, "description": "全村停电三天", "wide_impact": True}
    created = client_as("agent").post("/api/v1/tickets/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["onsite_required"] is True and created.json()["onsite_investigations"] == []


def test_onsite_investigation_api_and_page(contacted, users, client_as, client_for):
    from django.utils import timezone

    from complaints.models import Ticket

    Ticket.objects.filter(pk=contacted.pk).update(onsite_required=True)
    url = f"/api/v1/tickets/{contacted.number}/onsite-investigation/"
    api = client_as("station_a")
    bad = api.post(url, {"investigators": "张承办", "visited_at": timezone.now().isoformat(), "findings": "x",
                         "photos": [_photo("a.txt")]}, format="multipart")
    assert bad.status_code == 400 and "photos" in bad.json()["error"]["fields"]
    good = api.post(url, {"investigators": "张承办", "visited_at": timezone.now().isoformat(),
                          "findings": "线路老化", "photos": [_photo()]}, format="multipart")
    assert good.status_code == 200, good.json()
    [visit] = good.json()["onsite_investigations"]
    assert visit["investigators"] == "张承办" and visit["photos"][0]["name"] == "现场.png"
    page = client_for("station_a").get(f"/tickets/{contacted.number}/")
    assert "线路老化" in page.content.decode()
    assert api.post(f"/api/v1/tickets/{contacted.number}/reply/", {
        "substantiated": True, "cause": "c", "measures": "m", "reply_text": "r"}, format="json").status_code == 200


def test_intake_shows_before_saving_which_clocks_will_already_be_late(client_for):
    from complaints.models import Ticket

    now = at(2026, 3, 20, 10, 0)
    received = at(2026, 3, 2, 9, 0)
    assert working_days_after(received, 10) < now  # the 12398 reply is due before today
    with time_machine.travel(now, tick=False):
        page = client_for("agent").get("/intake/clocks/", {
            "channel": "12398", "kind": "complaint", "received_at": "2026-03-02T09:00"})
    html = page.content.decode()
    assert page.status_code == 200
    late = [item for item in html.split("</li>") if "<strong>保存时即已超时</strong>" in item]
    assert len(late) == 1 and 'data-clock="regulator_reply"' in late[0]
    assert 'data-clock="dispatch"' in html  # runs from logging: not late
    assert not Ticket.objects.exists()  # nothing saved
