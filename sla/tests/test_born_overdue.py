"""Overdue at birth: a clock created already past its warning or due instant (a repair call
registered after it came in — its arrival clock runs from receipt) is warned or breached by the
next sweep exactly like one that crossed — notifications and the automatic supervision order — and only once."""
from datetime import datetime, timedelta

import pytest
import time_machine

from complaints.models import SlaState, SupervisionOrder
from complaints.services.sweep import sweep_clocks
from notifications.models import Notification
from sla.models import ClockName, ClockState
from sla.workcal import TZ

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=TZ)  # a Tuesday


def _arrival_clock(ticket):
    return ticket.clocks.get(name=ClockName.REPAIR_ARRIVAL)


def _repair(make_ticket, **fields):
    return make_ticket(kind="repair", category=None, description="停电", **fields)


@time_machine.travel(NOW, tick=False)
def test_born_breached_clock_is_breached_by_the_next_sweep_once(make_ticket, users):
    ticket = _repair(make_ticket, received_at=NOW - timedelta(hours=2))  # arrival due 45 min after receipt
    clock = _arrival_clock(ticket)
    assert clock.due_at <= NOW

    result = sweep_clocks()
    clock.refresh_from_db()
    ticket.refresh_from_db()
    assert clock.id in result.breached and clock.state == ClockState.BREACHED
    assert ticket.sla_state == SlaState.BREACHED
    breach = Notification.objects.filter(ticket=ticket, kind="sla_breach")
    supervisors = set(breach.filter(user=users["supervisor"]).values_list("user", flat=True))
    assert supervisors == {users["supervisor"].pk}  # the supervision office hears of it
    assert SupervisionOrder.objects.filter(ticket=ticket, automatic=True).count() == 1
    assert not Notification.objects.filter(ticket=ticket, kind="sla_warning").exists()  # breached, not also warned

    notified = breach.count()
    assert sweep_clocks().as_dict()["breached"] == 0  # once
    assert breach.count() == notified
    assert SupervisionOrder.objects.filter(ticket=ticket, automatic=True).count() == 1


@time_machine.travel(NOW, tick=False)
def test_born_past_its_warning_is_warned_by_the_next_sweep_once(make_ticket):
    ticket = _repair(make_ticket, received_at=NOW - timedelta(minutes=40))  # warned at 75% of 45 min
    clock = _arrival_clock(ticket)
    assert clock.warn_at <= NOW < clock.due_at

    assert clock.id in sweep_clocks().warned
    clock.refresh_from_db()
    assert clock.state == ClockState.WARNING
    warned = Notification.objects.filter(ticket=ticket, kind="sla_warning")
    assert warned.exists()
    count = warned.count()
    assert sweep_clocks().as_dict()["warned"] == 0
    assert warned.count() == count
    assert not SupervisionOrder.objects.filter(ticket=ticket).exists()
