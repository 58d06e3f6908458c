"""Notifications: an in-app row per recipient plus outbox messages, written in the caller's
transaction; delivery is scheduled after commit and retried by beat, so nothing is lost."""
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Role
from notifications.models import Notification, OutboxMessage


def notify(*, users, ticket, kind: str, message: str, email: bool = True, sms: bool = False) -> int:
    """Notify `users` about `ticket` (in-app, plus e-mail / SMS through the outbox)."""
    return notify_many([(users, ticket, kind, message)], email=email, sms=sms)


def notify_many(items: Iterable[tuple], *, email: bool = True, sms: bool = False) -> int:
    """Several notifications at once — (users, ticket, kind, message) each — with one insert per
    table, so a sweep over hundreds of tickets costs a handful of queries."""
    rows, mails, texts = [], [], []
    for users, ticket, kind, message in items:
        unique = [u for u in {u.pk: u for u in users if u is not None and u.is_active}.values()]
        for u in unique:
            rows.append(Notification(user=u, ticket=ticket, kind=kind, message=message[:300]))
            if email and u.email:
                subject = f"[工单 {ticket.number}] {message}"[:200] if ticket else message[:200]
                mails.append(OutboxMessage(channel=OutboxMessage.Channel.EMAIL, recipient=u.email,
                                           subject=subject, body=message))
            if sms and getattr(u, "phone", ""):
                texts.append(OutboxMessage(channel=OutboxMessage.Channel.SMS, recipient=u.phone, body=message))
    if not rows:
        return 0
    Notification.objects.bulk_create(rows)
    if mails or texts:
        OutboxMessage.objects.bulk_create(mails + texts)
        transaction.on_commit(_schedule_delivery)
    return len(rows)


def _schedule_delivery():
    from core.tasks import enqueue
    from notifications.tasks import deliver_outbox_task

    enqueue(deliver_outbox_task)


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; False if it is not theirs or missing."""
    from django.utils import timezone

    found = Notification.objects.filter(pk=notification_id, user=user)
    if not found.exists():
        return False
    found.filter(read_at__isnull=True).update(read_at=timezone.now())
    return True


def unit_people(unit, *roles: str):
    """Active users of `unit` holding any of `roles`."""
    if unit is None:
        return []
    return list(get_user_model().objects.filter(unit=unit, is_active=True, groups__name__in=roles).distinct())


def supervision_people():
    """The supervision office: users with the supervisor role in a unit marked as supervision."""
    return list(get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct())
