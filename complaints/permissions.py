"""Who sees which ticket (which fields of it: complaints.policy).

Scoping is done in SQL by the user's unit subtree; objects are fetched through access_ticket,
which gives the same answer (404) for "does not exist" and "not yours"."""
import re

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from accounts.scoping import visible_unit_ids
from complaints.models import Kind, Ticket
from complaints.policy import may_see_reports
from core.errors import NotFound


def ticket_scope(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Ticket.objects.all() if queryset is None else queryset
    if not may_see_reports(user):
        qs = qs.exclude(kind=Kind.REPORT)  # a report (举报) exists only for the discipline and supervision offices
    ids = visible_unit_ids(user)
    if ids is None:
        return qs
    # owner_unit: the responsible unit once dispatched, the intake unit before.
    return qs.filter(owner_unit_id__in=ids)


def ticket_rows(user, queryset: QuerySet, field: str = "ticket") -> QuerySet:
    """Rows that belong to a ticket (clocks, notifications, access records …) as `ticket_scope` lets this
    user see their ticket, rows without a ticket kept; a join, not an IN over the ticket table."""
    if not may_see_reports(user):
        queryset = queryset.exclude(**{f"{field}__kind": Kind.REPORT})
    ids = visible_unit_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__owner_unit_id__in": ids}))


_NUMBER = re.compile(r"[0-9A-Za-z-]{1,20}")


def access_ticket(user, number: str, *, queryset: QuerySet | None = None) -> Ticket:
    if not isinstance(number, str) or not _NUMBER.fullmatch(number):
        # Never reaches the database: a NUL byte in a URL would be a DataError on PostgreSQL.
        raise NotFound(gettext("工单不存在或无权查看"))
    try:
        return ticket_scope(user, queryset).get(number=number)
    except Ticket.DoesNotExist:
        raise NotFound(gettext("工单不存在或无权查看")) from None
