"""Notifications people read: repeats grouped, returns told to the dispatcher with the reason, the bell
split into "needs my action" and "for information", live by polling at one query."""
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from complaints.services import ticket_dispatch, ticket_return
from complaints.services.sweep import sweep_clocks
from notifications.kinds import ACTION_KINDS, needs_action
from notifications.models import Notification
from notifications.selectors import bell_counts
from notifications.services import notify
from sla.models import Clock, ClockName, ClockState
from sla.workcal import TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


def _notification_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "notifications_notification" in q["sql"]]


def test_two_breach_sweeps_make_one_row_counted_twice(make_ticket, users, units, client_for):
    supervisor = users["supervisor"]
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):  # Tuesday
        ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    Notification.objects.all().delete()
    with time_machine.travel(at(2026, 3, 12, 0, 1), tick=False):  # first contact breached
        assert sweep_clocks().breached
    row = Notification.objects.get(user=supervisor, ticket=ticket, kind="sla_breach")
    assert row.count == 1 and row.read_at is None
    client_for("supervisor").post(reverse("notifications:open", args=[row.pk]))  # read it
    with time_machine.travel(at(2026, 3, 20, 0, 1), tick=False):  # the resolution clock breaches too
        assert sweep_clocks().breached
    breached = Clock.objects.filter(ticket=ticket, state=ClockState.BREACHED).count()
    assert breached >= 2
    rows = Notification.objects.filter(user=supervisor, ticket=ticket, kind="sla_breach")
    assert rows.count() == 1  # one row, not one per breach
    row = rows.get()
    assert row.count == breached  # each breach counted
    assert row.read_at is None  # unread again
    assert row.last_at == at(2026, 3, 20, 0, 1) and row.created_at < row.last_at
    assert str(ClockName.RESOLUTION.label) in row.message  # the latest notice's text
    handler = Notification.objects.get(user=users["station_a"], ticket=ticket, kind="sla_breach")
    assert handler.count == breached
    # The bell counts the ticket once, on the "for information" side.
    assert bell_counts(supervisor) == {"action": 0, "info": 1}
    page = client_for("supervisor").get(reverse("notifications:list")).content.decode()
    assert f"共 {breached} 次" in page


def test_repeats_in_one_call_and_other_kinds(users, dispatched):
    me = users["station_a"]
    Notification.objects.all().delete()
    notify(users=[me], ticket=dispatched, kind="sla_warning", message="一", email=False)
    notify(users=[me, me], ticket=dispatched, kind="sla_warning", message="二", email=False)
    row = Notification.objects.get(user=me, kind="sla_warning")
    assert row.count == 2 and row.message == "二"  # the same user twice in one call: once
    from notifications.services import notify_many

    notify_many([([me], dispatched, "sla_warning", "三"), ([me], dispatched, "sla_warning", "四")], email=False)
    row.refresh_from_db()
    assert row.count == 4 and row.message == "四"
    # A kind that is not a repeat keeps a row per notice (each return has its own reason).
    notify(users=[me], ticket=dispatched, kind="note", message="甲", email=False)
    notify(users=[me], ticket=dispatched, kind="note", message="乙", email=False)
    assert Notification.objects.filter(user=me, kind="note").count() == 2


def test_return_tells_the_dispatcher_with_the_reason(users, units, dispatched):
    reason = "该地址属于西州供电公司供区，非本所管辖"
    ticket_return(ticket=dispatched, actor=users["station_a"], reason=reason)
    told = Notification.objects.filter(ticket=dispatched, kind="returned")
    assert {n.user.username for n in told} == {"lead"}  # who dispatched it
    note = told.get()
    assert reason in note.text and dispatched.number in note.text and units["GS-A1-1"].name in note.text
    assert note.needs_action and bell_counts(users["lead"])["action"] >= 1
    with translation.override("en"):
        english = note.text
    assert reason in english and "returned" in english.lower()
    # Every return: dispatched again and returned again → told again, with the new reason.
    ticket_dispatch(ticket=dispatched, actor=users["supervisor"], unit=units["GS-A1-1"])
    ticket_return(ticket=dispatched, actor=users["station_a"], reason="仍不属于本所")
    assert Notification.objects.filter(ticket=dispatched, kind="returned", user=users["supervisor"],
                                       message__contains="仍不属于本所").exists()
    assert Notification.objects.filter(ticket=dispatched, kind="returned").count() == 2


def test_return_after_an_automatic_dispatch_tells_the_intake_units_leads(users, units, make_ticket):
    from accounts.system import system_user

    ticket = ticket_dispatch(ticket=make_ticket(), actor=system_user(), unit=units["GS-A1-1"])
    ticket_return(ticket=ticket, actor=users["station_a"], reason="不是本所的")
    told = set(Notification.objects.filter(ticket=ticket, kind="returned").values_list("user__username", flat=True))
    assert told == {"lead"}  # the lead of 客户服务中心, where the call was taken


def test_split_counts_and_page_sections(users, dispatched, client_for):
    me = users["station_a"]
    Notification.objects.filter(user=me).delete()
    notify(users=[me], ticket=dispatched, kind="dispatched", message="派给我", email=False)
    notify(users=[me], ticket=dispatched, kind="supervision", message="督办单", email=False)
    notify(users=[me], ticket=dispatched, kind="sla_breach", message="超时", email=False)
    notify(users=[me], ticket=None, kind="extension_decided", message="延期已批", email=False)
    # needs my action: one ticket (two notices about it); for information: the ticket + a notice without one
    assert bell_counts(me) == {"action": 1, "info": 2}
    assert needs_action("dispatched") and needs_action("returned") and not needs_action("sla_breach")
    assert "supervision_replied" in ACTION_KINDS  # the office closes an answered order
    page = client_for("station_a").get(reverse("notifications:list")).content.decode()
    action_part, info_part = page.split('id="notifications-info"')
    assert "派给我" in action_part and "督办单" in action_part and "超时" not in action_part
    assert "超时" in info_part and "延期已批" in info_part and "派给我" not in info_part
    body = client_for("station_a").get("/api/v1/notifications/").json()
    assert body["needs_action"] == 1 and body["for_information"] == 2 and body["unread"] == 4
    assert {r["message"]: r["needs_action"] for r in body["results"]}["派给我"] is True


def test_bell_fragment_polls_at_one_query(users, dispatched, client_for):
    me = users["station_a"]
    Notification.objects.filter(user=me).delete()
    notify(users=[me], ticket=dispatched, kind="dispatched", message="派给我", email=False)
    client = client_for("station_a")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'data-action="1"' in body and 'data-info="0"' in body
    assert 'hx-trigger="every 15s"' in body and "<nav" not in body
    assert len(_notification_queries(ctx)) == 1
    # A full page: the bell (with its polling) costs one query too.
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("complaints:list")).content.decode()
    assert 'id="notif-bell"' in page and reverse("notifications:bell") in page
    assert len(_notification_queries(ctx)) == 1
    # A new notice shows at the next poll, without a reload.
    notify(users=[me], ticket=None, kind="sla_warning", message="预警", email=False)
    body = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-info="1"' in body


def test_bell_signed_out_stops_polling(client):
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 286 and response.content == b""
    assert client.get(reverse("notifications:bell")).status_code == 302  # a plain request: to the login page


def test_migration_groups_existing_repeats(users, dispatched):
    """The data migration's function on rows written before grouping (one row per notice)."""
    import importlib

    from django.apps import apps as django_apps

    me, now = users["manager_a"], dispatched.received_at
    Notification.objects.all().delete()
    old = [Notification.objects.create(user=me, ticket=dispatched, kind="sla_breach", message=f"第{n}次")
           for n in range(3)]
    Notification.objects.filter(pk=old[2].pk).update(read_at=now)  # the latest read, an older one not
    Notification.objects.create(user=me, ticket=dispatched, kind="dispatched", message="派发")
    Notification.objects.filter(user=me).update(group_key=None)
    migration = importlib.import_module("notifications.migrations.0004_group_existing")
    migration.group_existing(django_apps, None)
    rows = Notification.objects.filter(user=me, kind="sla_breach")
    assert rows.count() == 1
    kept = rows.get()
    assert kept.pk == old[2].pk and kept.count == 3 and kept.read_at is None
    assert kept.group_key == f"sla_breach:{dispatched.pk}"
    assert Notification.objects.get(user=me, kind="dispatched").group_key is None


def test_a_sweep_of_many_repeats_costs_a_few_queries(users, make_ticket, django_assert_max_num_queries):
    """Grouping stays a bulk write: one upsert for all repeats of a call, however many tickets."""
    from notifications.services import notify_many

    tickets = [make_ticket() for _ in range(30)]
    people = [users["station_a"], users["manager_a"], users["supervisor"]]
    Notification.objects.all().delete()
    for _round in range(2):
        with django_assert_max_num_queries(4):  # upsert + outbox insert (+ savepoints)
            notify_many([(people, t, "sla_breach", f"工单 {t.number} 已超时") for t in tickets])
    assert Notification.objects.count() == len(tickets) * len(people)
    assert set(Notification.objects.values_list("count", flat=True)) == {2}
    assert bell_counts(users["supervisor"]) == {"action": 0, "info": len(tickets)}
