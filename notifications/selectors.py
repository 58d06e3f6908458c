"""Reads of the signed-in user's notifications: the bell's two counts and the page's two lists."""
from django.db.models import Count, Q

from notifications.kinds import ACTION_KINDS
from notifications.models import Notification

ACTION = Q(kind__in=ACTION_KINDS)


def bell_counts(user) -> dict[str, int]:
    """Unread notifications, as tickets: {"action": needs my action, "info": for information}.
    One query on the unread partial index; a ticket with several unread notices of one side counts
    once there (repeats are one row already, see notifications.kinds), a notice without a ticket
    counts as one."""
    no_ticket = Q(ticket__isnull=True)
    row = Notification.objects.filter(user=user, read_at__isnull=True).aggregate(
        action_tickets=Count("ticket", distinct=True, filter=ACTION),
        action_other=Count("id", filter=ACTION & no_ticket),
        info_tickets=Count("ticket", distinct=True, filter=~ACTION),
        info_other=Count("id", filter=~ACTION & no_ticket))
    return {"action": row["action_tickets"] + row["action_other"], "info": row["info_tickets"] + row["info_other"]}


def notification_list(user, *, needs_action: bool, unread_only: bool = False, limit: int = 100) -> list:
    """One side of the user's notifications, the latest first (a repeat moves its row up)."""
    qs = Notification.objects.filter(user=user).filter(ACTION if needs_action else ~ACTION)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return list(qs.select_related("ticket").order_by("-last_at", "-id")[:limit])
