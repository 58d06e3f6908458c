"""Entering, pushing and restoring outage events; the 7-day notice flag; outage enquiries and
their closing with one SMS per caller on restoration."""
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Status
from complaints.services import IntakeData
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Setting
from notifications.models import OutboxMessage
from notifications.sms import LocmemSmsBackend
from notifications.tasks import deliver_outbox_task
from outages.models import OutageCall, OutageEvent
from outages.services import OutageData, outage_call_log, outage_push, outage_restore, outage_text
from tests.broker import broker_at

pytestmark = pytest.mark.django_db
DEAD_BROKER = "redis://127.0.0.1:1/0"


def _data(units, areas, **overrides):
    fields = dict(kind="fault", cause="线路故障", unit=units["GS-A1-1"], start_at=timezone.now() - timedelta(hours=1),
                  service_areas=[areas["village"]])
    fields.update(overrides)
    return OutageData(**fields)


def test_push_is_idempotent_by_source_id(users, units, areas):
    first, created = outage_push(actor=users["lead"], source_system="pms", source_id="TD-1",
                                 data=_data(units, areas))
    again, created_again = outage_push(actor=users["lead"], source_system="pms", source_id="TD-1",
                                       data=_data(units, areas, cause="线路故障，正在抢修"))
    assert (created, created_again) == (True, False) and again.pk == first.pk
    assert OutageEvent.objects.count() == 1 and OutageEvent.objects.get().cause == "线路故障，正在抢修"
    restored_at = timezone.now() - timedelta(minutes=1)
    outage_push(actor=users["lead"], source_system="pms", source_id="TD-1",
                data=_data(units, areas, restored_at=restored_at))
    outage_push(actor=users["lead"], source_system="pms", source_id="TD-1",
                data=_data(units, areas, restored_at=timezone.now()))  # a repeated restoration push
    event = OutageEvent.objects.get()
    assert event.restored_at == restored_at  # restored once, by the first restoration
    other, created = outage_push(actor=users["lead"], source_system="oms", source_id="TD-1",
                                 data=_data(units, areas))
    assert created and other.pk != event.pk  # the key is the pair (system, id)
    assert event.history.count() == 3  # created, updated, restored (the repeats wrote nothing)


def test_planned_outage_entered_less_than_notice_days_before_is_flagged(users, units, areas):
    days = 7  # the default of outage_notice_days
    now = timezone.now()

    def planned(start):
        return outage_push(actor=users["station_a"], source_system="pms", source_id=str(start.timestamp()),
                           data=_data(units, areas, kind="planned", start_at=start))[0]

    assert planned(now + timedelta(days=days, minutes=5)).short_notice is False
    assert planned(now + timedelta(days=days) - timedelta(minutes=5)).short_notice is True
    fault = outage_push(actor=users["station_a"], source_system="pms", source_id="f",
                        data=_data(units, areas, start_at=now - timedelta(minutes=1)))[0]
    assert fault.short_notice is False  # only planned outages promise notice
    Setting.objects.create(key="outage_notice_days", value=3)
    assert planned(now + timedelta(days=4)).short_notice is False


def test_entry_is_checked_and_scoped(users, units, areas):
    with pytest.raises(ValidationFailed) as bad:
        outage_push(actor=users["station_a"], source_system="", source_id="x",
                    data=_data(units, areas, cause="", service_areas=[],
                               restored_at=timezone.now() - timedelta(days=1)))
    assert set(bad.value.fields) == {"cause", "service_areas", "restored_at"}
    with pytest.raises(PermissionDenied):  # station A's staff cannot enter station B's outage
        outage_push(actor=users["station_a"], source_system="", source_id="y", data=_data(units, areas,
                                                                                          unit=units["GS-B1-1"]))
    with pytest.raises(PermissionDenied):
        outage_push(actor=users["agent"], source_system="", source_id="z", data=_data(units, areas))


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend


def _call(users, event, phone, **overrides):
    fields = dict(channel="95598_phone", kind="repair", customer_name="王五", customer_phone=phone,
                  address="东州市城关镇幸福村3组", description="")
    fields.update(overrides)
    return outage_call_log(actor=users["agent"], event=event, data=IntakeData(**fields))[0]


def test_call_is_logged_as_an_enquiry_closed_at_intake(users, make_event):
    event = make_event()
    ticket = _call(users, event, "13900000001")
    assert (ticket.kind, ticket.status, ticket.dispatched_at) == ("enquiry", Status.ARCHIVED, None)
    assert ticket.outage_call.event == event
    assert ticket.reply_text == outage_text("outage_enquiry_reply", event)
    assert event.cause in ticket.reply_text and "幸福村" in ticket.reply_text
    assert "咨询停电" in ticket.description  # the agent typed nothing: the answer is the record
    assert [e.action for e in ticket.events.all()] == ["register", "close"]


def test_restoration_closes_open_enquiries_and_texts_each_caller_once(users, make_event, sms, settings,
                                                                       django_capture_on_commit_callbacks):
    event = make_event()
    closed = _call(users, event, "13900000001")
    open_one, _ = outage_call_log(actor=users["agent"], event=event, close=False, data=IntakeData(
        channel="95598_phone", kind="enquiry", customer_name="赵六", customer_phone="13900000002",
        description="停电了，什么时候来电"))
    same_caller, _ = outage_call_log(actor=users["agent"], event=event, close=False, data=IntakeData(
        channel="95598_phone", kind="enquiry", customer_name="赵六", customer_phone="13900000002",
        description="又打来问"))
    with broker_at(DEAD_BROKER), django_capture_on_commit_callbacks(execute=True):  # down while the unit restores
        outage_restore(actor=users["station_a"], event=event)
    open_one.refresh_from_db()
    same_caller.refresh_from_db()
    event.refresh_from_db()
    text = outage_text("outage_restored_reply", event)
    assert open_one.status == same_caller.status == Status.ARCHIVED and open_one.reply_text == text
    assert closed.events.count() == 2  # already closed at intake: left as it was
    assert sorted(OutboxMessage.objects.values_list("recipient", "state")) == [
        ("13900000001", "pending"), ("13900000002", "pending")]
    deliver_outbox_task.run()  # the worker is back: beat delivers
    deliver_outbox_task.run()
    assert sorted(sms.outbox) == [("13900000001", text), ("13900000002", text)]
    outage_restore(actor=users["station_a"], event=event)  # a second restoration sends nothing more
    deliver_outbox_task.run()
    assert len(sms.outbox) == 2 and not OutageCall.objects.filter(notified_at__isnull=True).exists()


def test_no_outage_enquiry_on_a_restored_event(users, make_event):
    event = make_event()
    outage_restore(actor=users["station_a"], event=event)
    with pytest.raises(Conflict):
        _call(users, event, "13900000001")


def test_a_broken_template_falls_back_to_the_default(make_event):
    event = make_event()
    Setting.objects.create(key="outage_enquiry_reply", value="原因 {cause")
    assert event.cause in outage_text("outage_enquiry_reply", event)
