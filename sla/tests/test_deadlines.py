"""Deadlines through real tickets: holidays and make-up days of 2025 and 2026, a start on a
holiday, an unknown year, the reconnection night rule, repair arrival by region, the regulator's
deadline, extensions and regional holidays."""
from datetime import datetime

import pytest
import time_machine

from complaints.models import ServiceArea
from complaints.services import ticket_dispatch, ticket_extension_decide, ticket_extension_request
from sla.models import CalendarDay, ClockName, ClockState
from sla.workcal import TZ, format_due

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


def dispatched_at(when, make_ticket, users, units, unit="GS-A1-1", actor="lead", **fields):
    with time_machine.travel(when, tick=False):
        ticket = make_ticket(**fields)
        return ticket_dispatch(ticket=ticket, actor=users[actor], unit=units[unit])


def dues(ticket):
    return {c.name: format_due(c.due_at) for c in ticket.clocks.all()
            if c.state in (ClockState.RUNNING, ClockState.WARNING)}


@pytest.mark.parametrize(("when", "first_contact", "resolution"), [
    # DOMAIN.md example: National Day 2026 (1–7 Oct off, Sat 10 Oct a make-up working day).
    (at(2026, 9, 30, 15, 0), "2026-10-08 24:00", "2026-10-12 24:00"),
    # Friday afternoon: the weekend does not count.
    (at(2026, 3, 13, 16, 0), "2026-03-16 24:00", "2026-03-19 24:00"),
    # Spring Festival 2026: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are make-up working days.
    (at(2026, 2, 13, 10, 0), "2026-02-14 24:00", "2026-02-26 24:00"),
    (at(2026, 2, 26, 10, 0), "2026-02-27 24:00", "2026-03-03 24:00"),
    # Spring Festival 2025: 28 Jan–4 Feb off; Sun 26 Jan and Sat 8 Feb make-up working days.
    (at(2025, 1, 24, 16, 0), "2025-01-26 24:00", "2025-02-06 24:00"),
    (at(2025, 2, 6, 9, 0), "2025-02-07 24:00", "2025-02-11 24:00"),
    # National Day 2025: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct make-up working days.
    (at(2025, 9, 26, 17, 0), "2025-09-28 24:00", "2025-10-09 24:00"),
    # A start on a holiday: counting begins the next day, holidays still skipped.
    (at(2026, 10, 3, 10, 0), "2026-10-08 24:00", "2026-10-12 24:00"),
    (at(2026, 5, 1, 9, 0), "2026-05-06 24:00", "2026-05-09 24:00"),
])
def test_dispatch_clocks_across_holidays(when, first_contact, resolution, make_ticket, users, units):
    ticket = dispatched_at(when, make_ticket, users, units)
    got = dues(ticket)
    assert got[ClockName.FIRST_CONTACT] == first_contact
    assert got[ClockName.RESOLUTION] == resolution
    assert all(c.calendar_known for c in ticket.clocks.all())


def test_unknown_year_counts_weekends_and_flags_it(make_ticket, users, units):
    ticket = dispatched_at(at(2026, 12, 30, 10, 0), make_ticket, users, units)
    resolution = ticket.clocks.get(name=ClockName.RESOLUTION)
    # 31 Dec; then 2027 has no holiday data: Fri 1 Jan counts, Mon 4, Tue 5 Jan.
    assert format_due(resolution.due_at) == "2027-01-05 24:00"
    assert resolution.calendar_known is False
    first = ticket.clocks.get(name=ClockName.FIRST_CONTACT)
    assert format_due(first.due_at) == "2026-12-31 24:00" and first.calendar_known is True


def test_start_in_unknown_year(make_ticket, users, units):
    # 2027 is not in the table yet: weekends only, and every working-day clock says so.
    ticket = dispatched_at(at(2027, 3, 10, 10, 0), make_ticket, users, units)
    first = ticket.clocks.get(name=ClockName.FIRST_CONTACT)
    resolution = ticket.clocks.get(name=ClockName.RESOLUTION)
    assert format_due(first.due_at) == "2027-03-11 24:00" and first.calendar_known is False
    assert format_due(resolution.due_at) == "2027-03-16 24:00" and resolution.calendar_known is False
    # The hour-based dispatch clock does not depend on the calendar.
    assert ticket.clocks.get(name=ClockName.DISPATCH).calendar_known is True


def test_report_and_12398_limits(make_ticket, users, units):
    report = dispatched_at(at(2026, 3, 10, 10, 0), make_ticket, users, units, unit="JJ", actor="discipline",
                           kind="report")
    assert dues(report)[ClockName.RESOLUTION] == "2026-03-23 24:00"  # 9 working days
    transfer = dispatched_at(at(2026, 3, 10, 10, 0), make_ticket, users, units, channel="12398",
                             regulator_ref="NY-2026-001", customer_phone="13900000001")
    assert dues(transfer)[ClockName.RESOLUTION] == "2026-03-24 24:00"  # 10 working days



@pytest.mark.parametrize(("paid", "due"), [
    (at(2026, 3, 10, 22, 30), at(2026, 3, 11, 10, 0)),   # after 22:00 → 10:00 next day
    (at(2026, 3, 10, 21, 0), at(2026, 3, 10, 23, 0)),    # before → 2 hours
    (at(2026, 3, 10, 21, 59), at(2026, 3, 10, 23, 59)),
])
def test_reconnection_night_rule(paid, due, make_ticket):
    with time_machine.travel(at(2026, 3, 10, 22, 45), tick=False):
        ticket = make_ticket(kind="service_request", service_type="reconnection", paid_at=paid, category=None)
    clock = ticket.clocks.get(name=ClockName.RECONNECTION)
    assert clock.started_at == paid and clock.due_at == due


@pytest.mark.parametrize(("station", "region", "minutes"), [("GS-A1-1", "urban", 45), ("GS-A1-2", "rural", 90),
                                                       ("GS-A2-2", "remote", 120)])
def test_repair_arrival_by_region_type(station, region, minutes, make_ticket, units):
    units[station].region_type = region  # 城关 urban, 乡镇 rural in the demo organisation; remote set here
    units[station].save(update_fields=["region_type"])
    area = ServiceArea.objects.create(code=f"T-{station}", name="测试村", keywords="", unit=units[station])
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        ticket = make_ticket(kind="repair", category=None, service_area=area, description="停电")
    clock = ticket.clocks.get(name=ClockName.REPAIR_ARRIVAL)
    assert (clock.due_at - clock.started_at).total_seconds() == minutes * 60


def test_extension_moves_resolution_due(make_ticket, users, units):
    ticket = dispatched_at(at(2026, 3, 10, 10, 0), make_ticket, users, units)
    assert dues(ticket)[ClockName.RESOLUTION] == "2026-03-16 24:00"
    with time_machine.travel(at(2026, 3, 12, 10, 0), tick=False):
        ticket_extension_request(ticket=ticket, actor=users["station_a"], days=3, reason="需现场核实")
        ticket = ticket_extension_decide(ticket=ticket, actor=users["supervisor"], approved=True)
    clock = ticket.clocks.get(name=ClockName.RESOLUTION)
    assert format_due(clock.due_at) == "2026-03-19 24:00" and clock.extended_days == 3
    ticket.refresh_from_db()
    assert ticket.next_due_at == ticket.clocks.get(name=ClockName.FIRST_CONTACT).due_at


def test_extension_after_breach_across_holiday(make_ticket, users, units):
    from complaints.models import SlaState
    from complaints.services.sweep import sweep_clocks

    ticket = dispatched_at(at(2026, 9, 24, 10, 0), make_ticket, users, units)
    # Mid-Autumn (25–27 Sep) and National Day (1–7 Oct) off: 28, 29, 30 Sep, 8 Oct.
    assert dues(ticket)[ClockName.RESOLUTION] == "2026-10-08 24:00"
    with time_machine.travel(at(2026, 10, 9, 0, 30), tick=False):
        sweep_clocks()
    assert ticket.clocks.get(name=ClockName.RESOLUTION).state == ClockState.BREACHED
    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        ticket_extension_request(ticket=ticket, actor=users["station_a"], days=2, reason="节后入户核实")
        ticket = ticket_extension_decide(ticket=ticket, actor=users["supervisor"], approved=True)
    clock = ticket.clocks.get(name=ClockName.RESOLUTION)
    # Fri 9 Oct and the make-up Saturday 10 Oct.
    assert format_due(clock.due_at) == "2026-10-10 24:00"
    assert clock.state == ClockState.WARNING and clock.breached_at is None
    ticket.refresh_from_db()
    assert ticket.sla_state == SlaState.BREACHED  # first contact is still breached


def test_regional_holiday_applies_to_the_units_subtree(make_ticket, users, units):
    # A regional two-day holiday (like Guangxi's 壮族三月三) for 东州 (DS-A) and all below it.
    for day in (12, 13):
        CalendarDay.objects.create(date=at(2026, 3, day).date(), name="壮族三月三", unit=units["DS-A"])
    inside = dispatched_at(at(2026, 3, 10, 10, 0), make_ticket, users, units, unit="GS-A1-1")
    outside = dispatched_at(at(2026, 3, 10, 10, 0), make_ticket, users, units, unit="GS-B1-1",
                            customer_phone="13900000002")
    assert dues(inside)[ClockName.RESOLUTION] == "2026-03-18 24:00"
    assert dues(outside)[ClockName.RESOLUTION] == "2026-03-16 24:00"
    assert dues(inside)[ClockName.FIRST_CONTACT] == "2026-03-11 24:00"
