"""Who sees which ticket, and which fields of it.

Scoping is done in SQL by the user's unit subtree; objects are fetched through access_ticket,
which gives the same answer (404) for "does not exist" and "not yours"."""
import re

from django.db.models import QuerySet
from django.utils.translation import gettext

from accounts.scoping import visible_unit_ids
from complaints.models import Kind, Ticket
from core.errors import NotFound


def ticket_scope(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Ticket.objects.all() if queryset is None else queryset
    ids = visible_unit_ids(user)
    if ids is None:
        return qs
    # owner_unit: the responsible unit once dispatched, the intake unit before.
    return qs.filter(owner_unit_id__in=ids)


_NUMBER = re.compile(r"[0-9A-Za-z-]{1,20}")


def access_ticket(user, number: str, *, queryset: QuerySet | None = None) -> Ticket:
    if not isinstance(number, str) or not _NUMBER.fullmatch(number):
        # Never reaches the database: a NUL byte in a URL would be a DataError on PostgreSQL.
        raise NotFound(gettext("工单不存在或无权查看"))
    try:
        return ticket_scope(user, queryset).get(number=number)
    except Ticket.DoesNotExist:
        raise NotFound(gettext("工单不存在或无权查看")) from None


def can_see_complainant(user, ticket: Ticket) -> bool:
    """A misconduct report's complainant is never shown to the reported unit."""
    if ticket.kind != Kind.REPORT:
        return True
    return user.has_perm("complaints.view_complainant")


def can_reveal_phone(user, ticket: Ticket) -> bool:
    """Only roles that must call the customer may see the full number (each view is logged)."""
    return can_see_complainant(user, ticket) and user.has_perm("complaints.view_phone")


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return phone[:1] + "*" * (len(phone) - 1)


def mask_name(name: str) -> str:
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def customer_view(user, ticket: Ticket) -> dict:
    """The customer fields as this user may see them by default (phone always masked here;
    revealing it is a separate, logged action)."""
    if not can_see_complainant(user, ticket):
        return {"name": gettext("(举报人信息保密)"), "phone": "", "account_no": "", "address": "", "hidden": True}
    return {
        "name": ticket.customer_name,
        "phone": mask_phone(ticket.customer_phone),
        "account_no": ticket.account_no,
        "address": ticket.address,
        "hidden": False,
    }
