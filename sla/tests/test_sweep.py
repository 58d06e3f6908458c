"""The sweep: warnings and breaches on schedule, once, with notifications and supervision."""
from datetime import datetime

import pytest
import time_machine

from complaints.models import SlaState, Status, SupervisionOrder, TicketEvent
from complaints.services import ticket_dispatch
from complaints.services.sweep import apply_side_effects, clock_cas, sweep_clocks
from complaints.tasks import sweep_clocks_task
from notifications.models import Notification, OutboxMessage
from sla.models import Clock, ClockName, ClockState
from sla.workcal import TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


def _dispatched(make_ticket, users, units):
    ticket = make_ticket()
    return ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])


def test_ticket_left_alone_warns_then_breaches(make_ticket, users, units):
    # Tuesday 2026-03-10 10:00: first contact due Wednesday 24:00 (Thursday 00:00).
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        ticket = _dispatched(make_ticket, users, units)
    first = ticket.clocks.get(name=ClockName.FIRST_CONTACT)
    assert first.due_at == at(2026, 3, 12, 0, 0)
    # 75 % of 38 h from 10:00 Tuesday = 28.5 h → Wednesday 14:30.
    assert first.warn_at == at(2026, 3, 11, 14, 30)

    with time_machine.travel(at(2026, 3, 11, 14, 29), tick=False):
        assert sweep_clocks().as_dict()["warned"] == 0
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()
    with time_machine.travel(at(2026, 3, 11, 14, 31), tick=False):
        result = sweep_clocks()
    assert result.warned == [first.pk]
    first.refresh_from_db()
    ticket.refresh_from_db()
    assert first.state == ClockState.WARNING and first.warned_at == at(2026, 3, 11, 14, 31)
    assert ticket.sla_state == SlaState.WARNING
    warned_to = set(Notification.objects.filter(kind="sla_warning").values_list("user__username", flat=True))
    assert warned_to == {"station_a", "manager_a"}
    message = Notification.objects.filter(kind="sla_warning").first().message
    assert "首次联系" in message and "2026-03-11 24:00" in message
    assert OutboxMessage.objects.filter(state="pending").count() == 2

    with time_machine.travel(at(2026, 3, 12, 0, 1), tick=False):
        result = sweep_clocks()
    assert result.breached == [first.pk] and result.supervision_orders == 1
    first.refresh_from_db()
    ticket.refresh_from_db()
    assert first.state == ClockState.BREACHED and first.breached_at == at(2026, 3, 12, 0, 1)
    assert ticket.sla_state == SlaState.BREACHED
    assert ticket.status == Status.DISPATCHED  # the sweep never changes the workflow
    breached_to = set(Notification.objects.filter(kind="sla_breach").values_list("user__username", flat=True))
    assert breached_to == {"station_a", "manager_a", "supervisor"}
    order = SupervisionOrder.objects.get(ticket=ticket)
    assert order.automatic and order.issued_by is None and order.kind == "supervision"
    assert order.due_at == at(2026, 3, 13, 0, 1)  # supervision_due_hours = 24
    assert order.history.count() == 1 and order.history.first().history_user is None
    event = TicketEvent.objects.get(ticket=ticket, action="auto_supervise")
    assert event.actor is None
    from complaints.templatetags.complaints_tags import action_label

    assert action_label(event.action) == "系统自动督办"  # the timeline names it, page and API alike

    # Later sweeps: the resolution clock warns and breaches, but no second open automatic order.
    with time_machine.travel(at(2026, 3, 20, 0, 1), tick=False):
        result = sweep_clocks()
    assert ClockName.RESOLUTION in set(Clock.objects.filter(pk__in=result.breached).values_list("name", flat=True))
    assert SupervisionOrder.objects.filter(ticket=ticket).count() == 1


def test_sweep_twice_changes_nothing_twice(make_ticket, users, units):
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        ticket = _dispatched(make_ticket, users, units)
    with time_machine.travel(at(2026, 3, 12, 0, 1), tick=False):
        first = sweep_clocks()
        second = sweep_clocks()
        sweep_clocks_task.run()
    assert len(first.breached) == 1 and second.as_dict() == {
        "warned": 0, "breached": 0, "supervision_orders": 0, "notifications": 0}
    assert Notification.objects.filter(kind="sla_breach").count() == 3
    assert SupervisionOrder.objects.filter(ticket=ticket).count() == 1


def test_concurrent_cas_on_same_candidates(make_ticket, users, units):
    """Two sweeps that read the same candidates: only one compare-and-set wins each clock."""
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        tickets = [_dispatched(make_ticket, users, units) for _ in range(3)]
    now = at(2026, 3, 11, 15, 0)
    candidates = list(Clock.objects.filter(state=ClockState.RUNNING, warn_at__lte=now).values_list("id", flat=True))
    assert len(candidates) == 3
    won_a = clock_cas(candidates, from_states=[ClockState.RUNNING], to_state=ClockState.WARNING, now=now)
    won_b = clock_cas(candidates, from_states=[ClockState.RUNNING], to_state=ClockState.WARNING, now=now)
    assert sorted(won_a) == sorted(candidates) and won_b == []
    apply_side_effects(won_a, kind="warning", now=now)
    apply_side_effects(won_b, kind="warning", now=now) if won_b else None
    assert Notification.objects.filter(kind="sla_warning").count() == 2 * len(tickets)
    # Partially overlapping: one clock already breached by "the other sweep".
    now = at(2026, 3, 12, 0, 5)
    due = list(Clock.objects.filter(state__in=["running", "warning"], due_at__lte=now).values_list("id", flat=True))
    other = clock_cas(due[:1], from_states=["running", "warning"], to_state=ClockState.BREACHED, now=now)
    mine = clock_cas(due, from_states=["running", "warning"], to_state=ClockState.BREACHED, now=now)
    assert other == due[:1] and sorted(mine) == sorted(due[1:])


def test_dispatch_clock_notifies_intake_leads(make_ticket, users):
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        ticket = make_ticket()
    with time_machine.travel(at(2026, 3, 10, 10, 50), tick=False):
        result = sweep_clocks()
    assert len(result.warned) == 1
    assert set(Notification.objects.filter(kind="sla_warning").values_list("user__username", flat=True)) == {"lead"}
    with time_machine.travel(at(2026, 3, 10, 11, 1), tick=False):
        result = sweep_clocks()
    assert len(result.breached) == 1
    assert set(Notification.objects.filter(kind="sla_breach").values_list("user__username", flat=True)) == {
        "lead", "supervisor"}
    ticket.refresh_from_db()
    assert ticket.status == Status.REGISTERED and ticket.sla_state == SlaState.BREACHED


def test_breach_without_auto_supervision(make_ticket, users, units):
    from core.models import Setting

    Setting.objects.create(key="auto_supervision_on_breach", value=False)
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        _dispatched(make_ticket, users, units)
    with time_machine.travel(at(2026, 3, 12, 0, 1), tick=False):
        result = sweep_clocks()
    assert len(result.breached) == 1 and result.supervision_orders == 0
    assert not SupervisionOrder.objects.exists()


def test_sweep_in_chunks_with_bounded_queries(make_ticket, users, units, django_assert_max_num_queries):
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        for _ in range(7):
            _dispatched(make_ticket, users, units)
    # Query count does not grow with tickets inside a chunk.
    with time_machine.travel(at(2026, 3, 12, 0, 1), tick=False), django_assert_max_num_queries(40):
        result = sweep_clocks(chunk=500)
    assert len(result.breached) == 7 and result.supervision_orders == 7
    Clock.objects.filter(pk__in=result.breached).update(state="running", breached_at=None)
    SupervisionOrder.objects.all().delete()
    with time_machine.travel(at(2026, 3, 12, 0, 1), tick=False):
        result = sweep_clocks(chunk=3)
    assert len(result.breached) == 7


def test_nothing_crossing_is_cheap(make_ticket, users, units, django_assert_max_num_queries):
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        _dispatched(make_ticket, users, units)
        sweep_clocks()
        with django_assert_max_num_queries(14):  # savepoints; + SET LOCAL on PostgreSQL
            result = sweep_clocks()
    assert result.as_dict()["warned"] == 0
