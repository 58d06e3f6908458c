"""Outbox delivery: exactly once, across a broker outage, a killed worker and failures."""
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification, OutboxMessage
from notifications.services import notify
from notifications.sms import LocmemSmsBackend
from notifications.tasks import MAX_ATTEMPTS, deliver_one, deliver_outbox, deliver_outbox_task
from tests.broker import broker_at

pytestmark = pytest.mark.django_db
DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []


@pytest.fixture
def dead_broker(settings):
    with broker_at(DEAD_BROKER):
        settings.CELERY_BROKER_URL = DEAD_BROKER
        yield


def test_broker_down_then_beat_delivers_each_once(users, dead_broker, django_capture_on_commit_callbacks):
    people = [users["station_a"], users["manager_a"]]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify(users=people, ticket=None, kind="test", message="测试通知") == 2
    assert len(callbacks) == 1  # the enqueue ran against the dead broker and did not raise
    assert Notification.objects.filter(kind="test").count() == 2
    assert list(OutboxMessage.objects.values_list("state", flat=True)) == ["pending", "pending"]
    assert mail.outbox == []

    deliver_outbox_task.run()  # what beat does once the worker runs again
    deliver_outbox_task.run()  # a retried / duplicate task
    assert sorted(m.to[0] for m in mail.outbox) == ["manager_a@demo.local", "station_a@demo.local"]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    assert all(m.attempts == 1 and m.sent_at for m in OutboxMessage.objects.all())


def test_killed_worker_is_redelivered_once(db):
    now = timezone.now()
    stuck = OutboxMessage.objects.create(channel="email", recipient="a@x.cn", subject="s", body="b",
                                         state="sending", claimed_at=now - timedelta(minutes=6))
    fresh = OutboxMessage.objects.create(channel="email", recipient="b@x.cn", subject="s", body="b",
                                         state="sending", claimed_at=now - timedelta(minutes=1))
    deliver_outbox()
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [["a@x.cn"]]
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.state == "sent" and fresh.state == "sending"  # another worker may still be on it


def test_claim_is_compare_and_set(db):
    message = OutboxMessage.objects.create(channel="sms", recipient="13800138000", body="复电通知")
    assert deliver_one(message.pk) == "sent"
    assert deliver_one(message.pk) == "skipped"
    assert LocmemSmsBackend.outbox == [("13800138000", "复电通知")]


def test_failures_retry_then_fail(db, settings):
    settings.EMAIL_BACKEND = "notifications.tests.test_outbox.BrokenBackend"
    message = OutboxMessage.objects.create(channel="email", recipient="a@x.cn", subject="s", body="b")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = deliver_one(message.pk)
        message.refresh_from_db()
        assert message.attempts == attempt
        assert result == ("failed" if attempt == MAX_ATTEMPTS else "retry")
    assert message.state == "failed" and "SMTP down" in message.last_error
    assert deliver_one(message.pk) == "skipped"


def test_sms_via_notify(users):
    user = users["station_a"]
    user.phone = "13911112222"
    user.save()
    notify(users=[user], ticket=None, kind="test", message="短信", email=False, sms=True)
    deliver_outbox()
    assert LocmemSmsBackend.outbox == [("13911112222", "短信")]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")
