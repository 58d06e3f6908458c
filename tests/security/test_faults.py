"""Faults: a stopped broker never stops the work (outbox rows wait, pending), and a database
connection dropping mid-request gives a clean 503 with the ticket unchanged."""
import logging
import threading
import time
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError
from django.urls import reverse

from complaints import services as s
from complaints.models import Status, Ticket
from notifications.models import Notification, OutboxMessage
from tests.broker import broker_at

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(settings):
    """Point Celery at a port nothing listens on, and put everything back afterwards."""
    with broker_at(DEAD_BROKER, settings.REDIS_BROKER_TRANSPORT_OPTIONS) as app:  # as deployed
        settings.CELERY_BROKER_URL = DEAD_BROKER
        yield app


def test_broker_really_is_down(broker_down):
    from core.tasks import enqueue, heartbeat_task

    started = time.monotonic()
    assert enqueue(heartbeat_task) is False
    assert time.monotonic() - started < 10  # no retry loop keeps the user waiting


def test_a_dead_broker_fails_fast_even_while_the_clock_stands_still(broker_down):
    """kombu's connection timeout runs on a clock: frozen (a test's time machine, a stalled host) it
    never expires, and without a retry limit a publish waited on the dead broker for ever."""
    from core.tasks import enqueue, heartbeat_task

    sent = []
    with time_machine.travel("2026-12-01 10:00 +08:00", tick=False):
        sender = threading.Thread(target=lambda: sent.append(enqueue(heartbeat_task)), daemon=True)
        sender.start()
        sender.join(timeout=30)
    assert not sender.is_alive(), "the publish is still retrying the dead broker"
    assert sent == [False]  # refused, left for beat


def test_every_step_works_with_the_broker_down(broker_down, users, units, category,
                                               django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.WARNING, logger="core.tasks")
    lead, handler, manager, supervisor, agent = (users[n] for n in ("lead", "station_a", "manager_a", "supervisor",
                                                                     "agent"))

    def step(call):
        with django_capture_on_commit_callbacks(execute=True):  # run the after-commit enqueue for real
            return call()

    def register(**extra):
        data = dict(channel="95598_phone", kind="complaint", customer_name="张三", customer_phone="13800138000",
                    description="停电未通知", category=category, severity="major")
        data.update(extra)
        return step(lambda: s.ticket_register(actor=agent, data=s.IntakeData(**data)))[0]

    t = register()
    t = step(lambda: s.ticket_dispatch(ticket=t, actor=lead, unit=units["GS-A1-1"]))
    t = step(lambda: s.ticket_return(ticket=t, actor=handler, reason="不属本所"))
    t = step(lambda: s.ticket_dispatch(ticket=t, actor=lead, unit=units["GS-A1-1"]))
    t = step(lambda: s.ticket_assign(ticket=t, actor=manager, handler=handler))
    t = step(lambda: s.ticket_chase(ticket=t, actor=agent, note="客户催办"))
    t = step(lambda: s.ticket_add_info(ticket=t, actor=agent, text="补充：已停电两天"))
    t = step(lambda: s.ticket_supervise(ticket=t, actor=supervisor, kind="supervision", content="尽快处理"))
    t = step(lambda: s.ticket_extension_request(ticket=t, actor=handler, days=3, reason="需现场勘查"))
    t = step(lambda: s.ticket_extension_decide(ticket=t, actor=supervisor, approved=True))
    t = step(lambda: s.ticket_contact(ticket=t, actor=handler, method="phone"))
    t = step(lambda: s.ticket_note(ticket=t, actor=handler, text="备注"))
    t = step(lambda: s.ticket_reply(ticket=t, actor=handler, substantiated=True, cause="线路故障", measures="抢修",
                                    reply_text="已恢复供电"))
    t = step(lambda: s.ticket_review(ticket=t, actor=supervisor, approved=True))
    t = step(lambda: s.ticket_responsibility(ticket=t, actor=supervisor, at_fault=False))
    t = step(lambda: s.ticket_callback(ticket=t, actor=supervisor, result="unsatisfied"))
    assert t.status == Status.DISPATCHED and t.redispatch_count == 1
    t = step(lambda: s.ticket_withdraw(ticket=t, actor=agent, reason="客户撤诉"))
    assert t.status == Status.WITHDRAWN

    enquiry = register(kind="enquiry", category=None, severity=None)
    enquiry = step(lambda: s.ticket_close(ticket=enquiry, actor=agent, reply_text="已解答"))
    assert enquiry.status == Status.ARCHIVED

    assert Ticket.objects.count() == 2
    assert Notification.objects.filter(ticket=t).exists()
    pending = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING)
    assert pending.exists()
    assert not OutboxMessage.objects.exclude(state=OutboxMessage.State.PENDING).exists()  # nothing lost, all waiting
    assert "broker unavailable" in caplog.text  # the after-commit enqueue really ran and failed


def test_intake_api_works_with_the_broker_down(broker_down, client_as, category, django_capture_on_commit_callbacks):
    body = {"channel": "95598_phone", "kind": "complaint", "customer": {"name": "张三", "phone": "13800138000"},
            "description": "停电未通知", "category": category.code, "severity": "major"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("agent").post("/api/v1/tickets/", body, format="json")
    assert response.status_code == 201, response.content
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).exists()


# --- the database dropping mid-request ----------------------------------------------------------

def _drop_connection(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def _unchanged(ticket):
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert fresh.status == Status.REGISTERED and fresh.version == ticket.version and fresh.unit_id is None
    assert fresh.events.count() == 1 and fresh.history.count() == 1
    assert not Notification.objects.filter(ticket=ticket, kind="dispatched").exists()


def test_api_answers_503_json_and_the_ticket_is_unchanged(make_ticket, client_as):
    ticket = make_ticket()
    # Fails inside the transaction, after the ticket was changed in memory and locked.
    with mock.patch("complaints.services.workflow.clocks_on", side_effect=_drop_connection):
        response = client_as("lead").post(reverse("api-ticket-dispatch", args=[ticket.number]),
                                        {"unit": "GS-A1-1", "version": ticket.version}, format="json")
    assert response.status_code == 503
    body = response.json()
    assert body["error"]["code"] == "unavailable" and "数据库" in body["error"]["message"]
    _unchanged(ticket)


def test_page_shows_a_chinese_error_and_the_ticket_is_unchanged(make_ticket, client_for, units):
    ticket = make_ticket()
    with mock.patch("complaints.services.workflow.clocks_on", side_effect=_drop_connection):
        response = client_for("lead").post(reverse("complaints:act", args=[ticket.number, "dispatch"]),
                                           {"version": ticket.version, "dispatch-unit": units["GS-A1-1"].pk})
    assert response.status_code == 503
    html = response.content.decode()
    assert "数据库暂时不可用" in html and "工单没有被修改" in html
    _unchanged(ticket)


def test_intake_failing_midway_leaves_nothing_half_written(users, category):
    # Fails after the ticket, its history row and its clocks were inserted, before the timeline event.
    with mock.patch("complaints.services.intake.TicketEvent.objects.bulk_create", side_effect=_drop_connection), \
            pytest.raises(OperationalError):
        s.ticket_register(actor=users["agent"], data=s.IntakeData(
            channel="95598_phone", kind="complaint", customer_name="张三", customer_phone="13800138000",
            description="x", category=category))
    assert not Ticket.objects.exists() and not Ticket.history.exists()
    from sla.models import Clock

    assert not Clock.objects.exists()
