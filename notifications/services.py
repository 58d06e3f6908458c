"""Notifications: an in-app row per recipient plus outbox messages, written in the caller's
transaction; delivery is scheduled after commit and retried by beat, so nothing is lost."""
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Role
from notifications.models import Notification, OutboxMessage


def notify(*, users, ticket, kind: str, message: str, email: bool = True) -> int:
    users = [u for u in {u.pk: u for u in users if u is not None and u.is_active}.values()]
    if not users:
        return 0
    Notification.objects.bulk_create(
        Notification(user=u, ticket=ticket, kind=kind, message=message[:300]) for u in users)
    if email:
        subject = f"[工单 {ticket.number}] {message}"[:200] if ticket else message[:200]
        OutboxMessage.objects.bulk_create(
            OutboxMessage(channel=OutboxMessage.Channel.EMAIL, recipient=u.email, subject=subject, body=message)
            for u in users if u.email)
        transaction.on_commit(_schedule_delivery)
    return len(users)


def _schedule_delivery():
    from core.tasks import enqueue
    from notifications.tasks import deliver_outbox_task

    enqueue(deliver_outbox_task)


def unit_people(unit, *roles: str):
    """Active users of `unit` holding any of `roles`."""
    if unit is None:
        return []
    return list(get_user_model().objects.filter(unit=unit, is_active=True, groups__name__in=roles).distinct())


def supervision_people():
    """The supervision office: users with the supervisor role in a unit marked as supervision."""
    return list(get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct())
