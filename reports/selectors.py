"""Reads behind the bulletin and the exports; each owns its select_related / prefetch_related."""
from itertools import groupby

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict

from complaints.models import Accountability, Kind, Ticket
from complaints.permissions import ticket_scope

from .figures import Period, Scope

EXPORT_FILTER_KEYS = ("q", "status", "channel", "kind", "category", "unit", "severity", "received_from",
                      "received_to", "clock")


def bulletin_tickets(scope: Scope, period: Period) -> QuerySet:
    """Substantiated complaints received in the month, in unit order, with their accountability
    records — three queries whatever the number of rows."""
    return (Ticket.objects.filter(scope.q(), period.q(), kind=Kind.COMPLAINT, substantiated=True)
            .select_related("unit", "category", "category__parent")
            .prefetch_related(Prefetch("accountabilities",
                                       queryset=Accountability.objects.select_related("unit")
                                       .order_by("decided_at", "id")))
            .order_by("unit__path", "received_at", "id"))


def bulletin_groups(tickets) -> list[dict]:
    """The bulletin's rows grouped by responsible unit (the list is already in unit order)."""
    groups = []
    for unit, rows in groupby(tickets, key=lambda t: t.unit):
        rows = list(rows)
        groups.append({"unit": unit, "name": unit.name if unit else "未派发", "tickets": rows,
                       "at_fault": sum(1 for t in rows if t.at_fault)})
    return groups


def export_filters(data) -> dict[str, list[str]]:
    """The ticket-list filters present in a query string, as a JSON-storable dict of lists."""
    filters = {key: [v for v in data.getlist(key) if v] for key in EXPORT_FILTER_KEYS}
    if len(filters["status"]) > 1:  # the list takes several statuses as one comma-separated value
        filters["status"] = [",".join(filters["status"])]
    return {key: values for key, values in filters.items() if values}


def _query_dict(filters: dict[str, list[str]]) -> QueryDict:
    qd = QueryDict(mutable=True)
    for key, values in filters.items():
        qd.setlist(key, values if isinstance(values, list) else [values])
    return qd


def export_queryset(user, filters: dict[str, list[str]]) -> QuerySet:
    """The ticket list with the same filters as its page (complaints.selectors.ticket_list)."""
    try:
        from complaints.selectors import ticket_list
    except ImportError:  # pragma: no cover - only while complaints.selectors is being written
        qs = ticket_scope(user).order_by("-received_at", "-id")
    else:
        qs = ticket_list(user, _query_dict(filters))
    return qs.select_related("category", "category__parent", "unit", "intake_unit", "handler")
