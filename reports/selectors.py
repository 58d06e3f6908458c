"""Reads behind the ticket exports: the ticket list's own filters (complaints.filters.TicketFilter),
kept with a background job as a JSON dict of lists."""
from django.db.models import QuerySet
from django.http import QueryDict

from complaints.filters import TicketFilter
from complaints.selectors import ticket_list


def export_filters(data) -> dict[str, list[str]]:
    """The ticket-list filters present in a query string, as a JSON-storable dict of lists."""
    found = {key: [v for v in data.getlist(key) if v] for key in TicketFilter.base_filters}
    return {key: values for key, values in found.items() if values}


def _query_dict(filters: dict[str, list[str]]) -> QueryDict:
    qd = QueryDict(mutable=True)
    for key, values in filters.items():
        qd.setlist(key, values if isinstance(values, list) else [values])
    return qd


def export_queryset(user, filters: dict[str, list[str]]) -> QuerySet:
    """The ticket list with the same filters as its page (complaints.selectors.ticket_list); a value
    that does not validate raises BadQuery rather than widening the export."""
    qs = ticket_list(user, _query_dict(filters), strict=True)
    return qs.select_related("category", "category__parent", "unit", "intake_unit", "handler")
