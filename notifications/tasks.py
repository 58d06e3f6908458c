"""Outbox delivery. Each message is claimed by compare-and-set (pending → sending, stamped with
claimed_at), handed to the mail server or SMS gateway, then marked sent by compare-and-set on that
same claim — so a retried task, two workers or an overlapping beat run never send a message twice.

What remains at least once: a worker killed after the receiver accepted a message and before it was
marked sent leaves it 'sending'. Nothing sends it again within CLAIM_WINDOW (a redelivered task
skips it); after that it is claimed again, because the outbox cannot tell "accepted" from "died
before sending". The second copy carries the same Message-ID (e-mail) / idempotency key (SMS), so a
receiver that de-duplicates on it shows one message; one that does not shows two.
"""
import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.sms import get_sms_backend

log = logging.getLogger(__name__)

CLAIM_WINDOW = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BATCH = 200

State = OutboxMessage.State


def _claimable(now):
    return Q(state=State.PENDING) | Q(state=State.SENDING, claimed_at__lt=now - CLAIM_WINDOW)


def one_line(text: str) -> str:
    """A mail header is one line: line breaks (of a two-line description or comment) become spaces."""
    return " ".join(text.split())


def _send(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        EmailMessage(one_line(message.subject or message.body[:60]), message.body, settings.DEFAULT_FROM_EMAIL,
                     [message.recipient], headers={"Message-ID": message.message_id}).send(fail_silently=False)
    elif message.channel == OutboxMessage.Channel.SMS:
        get_sms_backend().send(message.recipient, message.body, idempotency_key=message.delivery_key)
    else:
        raise ValueError(f"unknown channel {message.channel}")


def _mark_sent(mine) -> None:
    mine.update(state=State.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")


def deliver_one(message_id: int) -> str:
    """Claim, send and settle one message. Returns 'sent', 'retry', 'failed' or 'skipped'."""
    claim = timezone.now()
    claimed = (OutboxMessage.objects.filter(pk=message_id, state__in=[State.PENDING, State.SENDING])
               .filter(_claimable(claim)).update(state=State.SENDING, claimed_at=claim))
    if not claimed:
        return "skipped"  # someone else has it, or it is done
    message = OutboxMessage.objects.get(pk=message_id)
    mine = OutboxMessage.objects.filter(pk=message_id, state=State.SENDING, claimed_at=claim)
    try:
        _send(message)
    except Exception as exc:  # any gateway failure: count it and try again later
        log.warning("outbox %s delivery failed: %s", message_id, exc)
        failed = message.attempts + 1 >= MAX_ATTEMPTS
        mine.update(state=State.FAILED if failed else State.PENDING, attempts=F("attempts") + 1,
                    last_error=str(exc)[:300])
        return "failed" if failed else "retry"
    _mark_sent(mine)
    return "sent"


def deliver_outbox(batch: int = BATCH) -> dict:
    """Deliver what is due now: pending messages and stale claims, oldest first."""
    now = timezone.now()
    ids = list(OutboxMessage.objects.filter(state__in=[State.PENDING, State.SENDING]).filter(_claimable(now))
               .order_by("created_at", "id").values_list("id", flat=True)[:batch])
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    for message_id in ids:
        counts[deliver_one(message_id)] += 1
    return counts


@shared_task(name="notifications.tasks.deliver_outbox_task", ignore_result=True)
def deliver_outbox_task():
    return deliver_outbox()
