"""Rule 7: supervision orders have their own clock, are answered and closed, and escalate by level
(三级督办: station → county → city) when unanswered, the answerable unit's manager told each time."""
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Role, User
from complaints.models import Status, SupervisionOrder, TicketEvent
from complaints.services import (
    supervision_close,
    supervision_reply,
    supervision_sweep,
    ticket_callback,
    ticket_supervise,
)
from complaints.services.sweep import sweep_clocks
from core.models import Setting
from notifications.models import Notification
from sla.workcal import TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


def _manager(username, unit):
    user = User.objects.create(username=username, unit=unit)
    user.groups.add(Group.objects.get(name=Role.UNIT_MANAGER))
    return user


def _told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_unanswered_order_escalates_station_county_city_then_breaches(dispatched, users, units):
    _manager("mgr_county", units["XG-A1"])
    _manager("mgr_city", units["DS-A"])
    hours = 24  # supervision_level_hours default
    issued = at(2026, 3, 10, 9, 0)
    with time_machine.travel(issued, tick=False):
        ticket_supervise(ticket=dispatched, actor=users["supervisor"], kind="supervision", content="请加快处理")
    order = SupervisionOrder.objects.get(ticket=dispatched)
    assert order.level == 1 and order.due_at == issued + timedelta(hours=hours)
    assert order.warn_at == issued + timedelta(hours=hours * 0.75)

    with time_machine.travel(issued + timedelta(hours=18, minutes=1), tick=False):
        assert supervision_sweep()["warned"] == 1
        assert supervision_sweep()["warned"] == 0  # a second run changes nothing
    assert _told("supervision_warning") == {"manager_a"}

    level2_at = issued + timedelta(hours=hours, minutes=1)
    with time_machine.travel(level2_at, tick=False):
        assert supervision_sweep() == {"warned": 0, "escalated": 1, "breached": 0}
        assert supervision_sweep()["escalated"] == 0
    order.refresh_from_db()
    assert order.level == 2 and order.due_at == level2_at + timedelta(hours=hours)
    assert _told("supervision_escalated") == {"mgr_county"}  # the station's superior: the county company

    level3_at = order.due_at + timedelta(minutes=1)
    with time_machine.travel(level3_at, tick=False):
        supervision_sweep()
    order.refresh_from_db()
    assert order.level == 3 and order.due_at == level3_at + timedelta(hours=hours)
    assert _told("supervision_escalated") == {"mgr_county", "mgr_city"}

    with time_machine.travel(order.due_at + timedelta(minutes=1), tick=False):
        assert supervision_sweep()["breached"] == 1
        assert supervision_sweep()["breached"] == 0  # top level: breached once, no fourth level
    order.refresh_from_db()
    assert order.level == 3 and order.closed_at is None
    assert _told("supervision_breached") == {"supervisor"}
    assert TicketEvent.objects.filter(ticket=dispatched, action="order_escalated").count() == 2


def test_levels_and_hours_are_settings(dispatched, users):
    Setting.objects.create(key="supervision_levels", value=2)
    Setting.objects.create(key="supervision_level_hours", value=4)
    issued = at(2026, 3, 10, 9, 0)
    with time_machine.travel(issued, tick=False):
        ticket_supervise(ticket=dispatched, actor=users["supervisor"], kind="supervision", content="督办")
    order = SupervisionOrder.objects.get(ticket=dispatched)
    assert order.due_at == issued + timedelta(hours=4)
    with time_machine.travel(issued + timedelta(hours=4, minutes=1), tick=False):
        assert supervision_sweep()["escalated"] == 1
    with time_machine.travel(issued + timedelta(hours=8, minutes=2), tick=False):
        assert supervision_sweep() == {"warned": 0, "escalated": 0, "breached": 1}


def test_answered_order_stops_escalating_and_is_closed_by_the_office(dispatched, users):
    issued = at(2026, 3, 10, 9, 0)
    with time_machine.travel(issued, tick=False):
        ticket = ticket_supervise(ticket=dispatched, actor=users["supervisor"], kind="supervision", content="督办")
    order = SupervisionOrder.objects.get(ticket=ticket)
    with time_machine.travel(issued + timedelta(hours=2), tick=False):
        ticket = supervision_reply(ticket=ticket, actor=users["station_a"], order_id=order.pk, text="已上门处理")
    with time_machine.travel(issued + timedelta(hours=30), tick=False):
        assert supervision_sweep() == {"warned": 0, "escalated": 0, "breached": 0}
    order.refresh_from_db()
    assert order.reply == "已上门处理" and order.replied_by == users["station_a"] and order.level == 1
    assert _told("supervision_replied") == {"supervisor"}
    supervision_close(ticket=ticket, actor=users["supervisor"], order_id=order.pk, note="同意销号")
    order.refresh_from_db()
    assert order.closed_at is not None and order.closed_by == users["supervisor"]
    assert list(TicketEvent.objects.filter(ticket=ticket, action__startswith="order_")
                .values_list("action", flat=True)) == ["order_reply", "order_close"]


def test_orders_close_with_the_ticket_and_a_later_breach_gets_a_new_automatic_order(reviewed, users):
    # The callback clock (24 h from review) breaches: an automatic order; the unsatisfied callback
    # re-dispatches; the first-contact clock breaches later: a second automatic order once the first closed.
    ticket = reviewed
    sweep_clocks(now=ticket.reviewed_at + timedelta(hours=25))
    first = SupervisionOrder.objects.get(ticket=ticket, automatic=True)
    supervision_close(ticket=ticket, actor=users["supervisor"], order_id=first.pk)
    ticket = ticket_callback(ticket=ticket, actor=users["supervisor"], result="unsatisfied")
    sweep_clocks(now=ticket.dispatched_at + timedelta(days=10))
    assert SupervisionOrder.objects.filter(ticket=ticket, automatic=True).count() == 2
    ticket = ticket_supervise(ticket=ticket, actor=users["supervisor"], kind="risk_warning", content="防止越级")
    from complaints.services import ticket_withdraw

    ticket_withdraw(ticket=ticket, actor=users["supervisor"], reason="客户撤诉")
    assert not SupervisionOrder.objects.filter(ticket=ticket, closed_at__isnull=True).exists()


def test_open_orders_list_counts_all_and_pages(client_for, make_ticket, users, units, django_assert_max_num_queries):
    from complaints.services import ticket_dispatch

    for _ in range(3):
        t = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
        for _ in range(20):
            ticket_supervise(ticket=t, actor=users["supervisor"], kind="supervision", content="督办")
    closed = SupervisionOrder.objects.first()
    closed.closed_at = closed.issued_at
    closed.save()
    web = client_for("supervisor")
    with django_assert_max_num_queries(15):
        page = web.get(reverse("complaints:supervision"))
    assert page.status_code == 200 and page.context["orders"].paginator.count == 59
    assert len(page.context["orders"]) == 50
    second = web.get(reverse("complaints:supervision") + "?orders_page=2")
    assert len(second.context["orders"]) == 9
    assert web.get(reverse("complaints:supervision") + "?orders_page=x").status_code == 200


def test_unit_answers_an_order_on_the_ticket_page(dispatched, users, client_for):
    ticket_supervise(ticket=dispatched, actor=users["supervisor"], kind="supervision", content="督办")
    order = SupervisionOrder.objects.get(ticket=dispatched)
    web = client_for("station_a")
    dispatched.refresh_from_db()
    response = web.post(reverse("complaints:act", args=[dispatched.number, "order_reply"]),
                        {"version": dispatched.version, "order_reply-order_id": order.pk, "order_reply-text": "已处理"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.reply == "已处理"
    response = web.post(reverse("complaints:act", args=[dispatched.number, "order_reply"]),
                        {"version": dispatched.version + 1, "order_reply-order_id": order.pk, "order_reply-text": "x"})
    assert response.status_code == 400  # no unanswered order left to choose
    assert dispatched.status == Status.DISPATCHED


def test_api_order_reply_and_close(dispatched, users, client_as):
    ticket_supervise(ticket=dispatched, actor=users["supervisor"], kind="supervision", content="督办")
    order = SupervisionOrder.objects.get(ticket=dispatched)
    url = f"/api/v1/tickets/{dispatched.number}/"
    assert client_as("station_a").post(url + "order-reply/", {"order_id": 99999, "text": "x"},
                                       format="json").status_code == 400
    response = client_as("station_a").post(url + "order-reply/", {"order_id": order.pk, "text": "已处理"},
                                           format="json")
    assert response.status_code == 200 and "order_reply" not in response.json()["allowed_actions"]
    assert client_as("station_a").post(url + "order-close/", {"order_id": order.pk}, format="json").status_code == 403
    assert client_as("supervisor").post(url + "order-close/", {"order_id": order.pk}, format="json").status_code == 200
    order.refresh_from_db()
    assert order.closed_by == users["supervisor"]
