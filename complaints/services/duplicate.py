"""重复工单: the same call (letter, visit) logged twice — not a repeat complaint (重复投诉, a second complaint
of the same customer on the same matter, which counts).

Marking a ticket a duplicate of its original closes it out of the workflow (status `duplicate`: every
queue drops it, its open orders and tasks close, its running clocks stop) and out of every figure
(`complaints.models.countable_q`: reports, dashboard, bulletin, repeat-complaint rate, risk history). The
mark is recorded (timeline event + history row) and can be taken back: unmarking restores the status the
ticket had, its closing time, and the clocks the mark stopped, and counts it again — also recorded.
Both tickets show the other under 关联工单 (a `duplicate` link each way) while the mark stands.

The rule for the original (refused with a message naming the field `original`):
- a ticket the actor can see (else the same answer as for a number that does not exist);
- not the ticket itself, not a duplicate itself (link to the first ticket), and not a ticket that is the
  original of others (duplicates point at the first ticket, never in a chain);
- the same customer: the same account number (户号) when both tickets have one, else the same phone;
- never a misconduct report (举报) on either side: reports are not linked to ordinary tickets.
Who: the holders of 受理工单 (hotline agents, intake leads, the supervision office), on the tickets of their
scope. A reason is required.
"""
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from complaints.models import OPEN_STATUSES, Kind, Status, Ticket, TicketEvent, TicketLink
from complaints.permissions import ticket_scope
from core.errors import Conflict, ValidationFailed
from sla.models import Clock, ClockState
from sla.services import clocks_resume

from .workflow import _act, require


def _refuse(message: str, field: str = "original"):
    raise ValidationFailed(message, fields={field: [message]})


def same_customer(a: Ticket, b: Ticket) -> bool:
    """The same customer: the same account number when both have one, else the same phone."""
    if a.account_no and b.account_no:
        return a.account_no.strip() == b.account_no.strip()
    return bool(a.customer_phone) and a.customer_phone.strip() == (b.customer_phone or "").strip()


def ticket_mark_duplicate(*, ticket, actor, original: str, reason: str, expected_version=None) -> Ticket:
    number = (original or "").strip()
    require(number, "original", gettext("请填写原工单编号"))
    require(reason, "reason", gettext("请填写重复原因"))

    def change(t: Ticket):  # after the ticket's own scope, permission and state checks
        found = ticket_scope(actor).filter(number=number).first()
        if found is None:
            _refuse(gettext("原工单 %(number)s 不存在或无权查看") % {"number": number})
        if found.pk == t.pk:
            _refuse(gettext("不能把工单标记为它自己的重复工单"))
        if t.kind == Kind.REPORT or found.kind == Kind.REPORT:
            _refuse(gettext("举报件不能标记为重复工单，也不能作为重复工单的原工单"))
        if found.duplicate_of_id:
            _refuse(gettext("工单 %(number)s 本身已标记为重复工单，请关联最初受理的那张工单")
                    % {"number": found.number})
        if Ticket.objects.filter(duplicate_of=t).exists():
            raise Conflict(gettext("已有重复工单关联到本工单，本工单不能再标记为重复工单"), code="has_duplicates")
        if not same_customer(t, found):
            _refuse(gettext("两张工单不是同一客户(户号或电话不同)，不能标记为重复工单"))
        now = timezone.now()
        stopped = list(Clock.objects.filter(ticket=t, completed_at__isnull=True).exclude(state=ClockState.CANCELLED)
                       .values_list("id", flat=True))  # the "duplicate" clock event cancels them
        t.duplicate_from_status = t.status
        t.duplicate_of, t.duplicate_reason = found, reason.strip()[:500]
        t.status = Status.DUPLICATE
        TicketLink.objects.bulk_create([TicketLink(ticket=t, other=found, kind=TicketLink.LinkKind.DUPLICATE),
                                        TicketLink(ticket=found, other=t, kind=TicketLink.LinkKind.DUPLICATE)],
                                       ignore_conflicts=True)
        if t.closed_at is None:
            t.closed_at = now
        return "duplicate", reason, {"original": found.number, "from_status": t.duplicate_from_status,
                                     "clocks": stopped, "at": now.isoformat()}

    return _act(ticket=ticket, actor=actor, action="mark_duplicate", change=change,
                expected_version=expected_version)


def ticket_unmark_duplicate(*, ticket, actor, reason: str, expected_version=None) -> Ticket:
    """Take the mark back: the ticket returns to the status it had, with the clocks the mark stopped."""
    require(reason, "reason", gettext("请填写撤销重复标记的原因"))

    def change(t: Ticket):
        original = t.duplicate_of.number if t.duplicate_of_id else ""
        back = t.duplicate_from_status or Status.REGISTERED
        mark = (TicketEvent.objects.filter(ticket=t, action="mark_duplicate").order_by("-at", "-id")
                .values_list("data", flat=True).first()) or {}
        TicketLink.objects.filter(kind=TicketLink.LinkKind.DUPLICATE).filter(
            Q(ticket=t, other_id=t.duplicate_of_id) | Q(ticket_id=t.duplicate_of_id, other=t)).delete()
        t.status, t.duplicate_of, t.duplicate_reason, t.duplicate_from_status = back, None, "", ""
        if back in OPEN_STATUSES:
            t.closed_at = None
        restored = clocks_resume(t, mark.get("clocks", []))
        return None, reason, {"original": original, "to_status": back, "clocks": restored}

    return _act(ticket=ticket, actor=actor, action="unmark_duplicate", change=change,
                expected_version=expected_version)
