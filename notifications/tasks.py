"""Outbox delivery. Each message is claimed by compare-and-set (pending → sending, stamped with
claimed_at), sent, then marked sent by compare-and-set on that same claim — so a retried task,
two workers or an overlapping beat run never send a message twice. A message left 'sending' by
a worker killed mid-delivery is claimed again after STALE_AFTER."""
import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.sms import get_sms_backend

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BATCH = 200

State = OutboxMessage.State


def _claimable(now):
    return Q(state=State.PENDING) | Q(state=State.SENDING, claimed_at__lt=now - STALE_AFTER)


def _send(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        send_mail(message.subject or message.body[:60], message.body, settings.DEFAULT_FROM_EMAIL,
                  [message.recipient], fail_silently=False)
    elif message.channel == OutboxMessage.Channel.SMS:
        get_sms_backend().send(message.recipient, message.body)
    else:
        raise ValueError(f"unknown channel {message.channel}")


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
    mine.update(state=State.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
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
