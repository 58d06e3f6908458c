"""Delivery through a real SMTP conversation (an aiosmtpd server the test starts on a free port):
one e-mail with a one-line subject for a multi-line text, and no second copy within the claim
window when the worker dies after the server accepted the message."""
import socket
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.db.models import F

from complaints.models import Severity
from notifications.models import OutboxMessage
from notifications.tasks import CLAIM_WINDOW, deliver_outbox

pytestmark = pytest.mark.django_db


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_multi_line_text_of_a_major_ticket_is_one_email_with_a_one_line_subject(smtp, make_ticket, users):
    ticket = make_ticket(severity=Severity.MAJOR, description="变压器冒烟起火\n周边三个村停电")
    emails = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL, recipient=users["supervisor"].email)
    assert emails.count() == 1

    assert deliver_outbox()["failed"] == 0
    assert emails.get().state == OutboxMessage.State.SENT
    assert len(smtp.messages) == 1
    subject = _subject(smtp.messages[0])
    assert "\n" not in subject and "\r" not in subject
    assert ticket.number in subject and "变压器冒烟起火 周边三个村停电" in subject


class WorkerKilled(BaseException):
    """What the rest of the task sees of a worker killed by the OOM killer or kill -9: nothing."""


def test_worker_killed_after_hand_off_sends_no_second_copy_within_the_claim_window(smtp, make_ticket, users):
    make_ticket(severity=Severity.MAJOR, description="线路断落")
    message = OutboxMessage.objects.get(channel=OutboxMessage.Channel.EMAIL, recipient=users["supervisor"].email)
    OutboxMessage.objects.exclude(pk=message.pk).update(state=OutboxMessage.State.SENT)

    with mock.patch("notifications.tasks._mark_sent", side_effect=WorkerKilled), pytest.raises(WorkerKilled):
        deliver_outbox()  # the server accepted the message, then the worker died
    assert len(smtp.messages) == 1
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENDING

    deliver_outbox()  # the task redelivered at once (acks_late), and every beat run within the window
    claimed = OutboxMessage.objects.filter(pk=message.pk)
    claimed.update(claimed_at=F("claimed_at") - CLAIM_WINDOW + timedelta(seconds=30))
    deliver_outbox()
    assert len(smtp.messages) == 1

    # Past the window the outbox cannot tell "accepted" from "died before sending": it sends
    # again — at least once — under the same Message-ID, for receivers that de-duplicate on it.
    claimed.update(claimed_at=F("claimed_at") - timedelta(minutes=1))
    deliver_outbox()
    assert len(smtp.messages) == 2
    assert smtp.messages[0]["Message-ID"] == smtp.messages[1]["Message-ID"] == message.message_id
    assert claimed.get().state == OutboxMessage.State.SENT


def test_sms_carries_the_same_idempotency_key_on_every_attempt(settings, make_ticket, users):
    from notifications.services import notify
    from notifications.sms import LocmemSmsBackend

    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox, LocmemSmsBackend.keys = [], []
    user = users["station_a"]
    user.phone = "13911112222"
    user.save(update_fields=["phone"])
    ticket = make_ticket()
    notify(users=[user], ticket=ticket, kind="test", message="复电通知", email=False, sms=True)
    sms = OutboxMessage.objects.get(channel=OutboxMessage.Channel.SMS)
    with mock.patch("notifications.tasks._mark_sent", side_effect=WorkerKilled), pytest.raises(WorkerKilled):
        deliver_outbox()
    OutboxMessage.objects.filter(pk=sms.pk).update(claimed_at=F("claimed_at") - CLAIM_WINDOW - timedelta(minutes=1))
    deliver_outbox()
    assert len(LocmemSmsBackend.keys) == 2
    assert LocmemSmsBackend.keys[0] == LocmemSmsBackend.keys[1] == sms.delivery_key != ""
