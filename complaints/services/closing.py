"""What the transition service does when a ticket leaves the open statuses (archived, withdrawn,
a report concluded): close its supervision orders and investigation tasks, schedule the follow-up
call of a substantiated complaint. Kept apart from the services of those records, which are built on
the transition service, so that it can call these without a cycle."""
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext

from accounts.models import Role, Unit
from complaints.models import FollowUp, InvestigationTask, Kind, SupervisionOrder, Ticket, TicketEvent
from core.config import setting
from notifications.services import notify_many, unit_people


def followup_schedule(ticket: Ticket, *, at: datetime) -> FollowUp | None:
    """Called by the transition service when a ticket is archived: a substantiated complaint gets a
    follow-up `followup_months` after (while the setting is on); a ticket already scheduled keeps its own."""
    if not (setting("followup_substantiated") and ticket.kind == Kind.COMPLAINT and ticket.substantiated):
        return None
    due = at + relativedelta(months=int(setting("followup_months")))
    followup, _created = FollowUp.objects.get_or_create(ticket=ticket, defaults={"due_at": due})
    return followup


def supervision_close_for_ticket(ticket: Ticket, *, actor, at: datetime) -> int:
    """Close every open order of a ticket that has just been archived or withdrawn (called by the
    transition service inside its transaction). Returns how many were closed."""
    orders = list(SupervisionOrder.objects.select_for_update().filter(ticket=ticket, closed_at__isnull=True))
    for order in orders:
        order.closed_at, order.close_note = at, gettext("工单已办结，自动办结")
        order._history_user = actor
        order.save()
    return len(orders)


def unit_recipients(unit: Unit) -> list:
    return unit_people(unit, Role.UNIT_MANAGER) or unit_people(unit, Role.HANDLER)


def investigation_close_for_ticket(ticket: Ticket, *, actor, at: datetime) -> int:
    """Close the open tasks of a report that has just been concluded, archived or withdrawn (called by
    the transition service inside its transaction); their units are told, without the report."""
    tasks = list(InvestigationTask.objects.select_for_update().select_related("unit")
                 .filter(ticket=ticket, closed_at__isnull=True))

    items = []
    for task in tasks:
        task.closed_at = at
        task._history_user = actor
        task.save()
        items.append((unit_recipients(task.unit), None, "investigation_closed",
                      gettext("调查任务 %(id)s 已办结") % {"id": task.pk}))
    if tasks:
        TicketEvent.objects.create(ticket=ticket, at=at, actor=actor, action="investigation_closed",
                                   from_status=ticket.status, to_status=ticket.status,
                                   note=gettext("%(n)s 项调查任务随举报办结") % {"n": len(tasks)},
                                   data={"tasks": [t.pk for t in tasks]})
        notify_many(items)
    return len(tasks)
