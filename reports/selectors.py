"""Reads behind the ticket exports."""
from django.db.models import QuerySet
from django.http import QueryDict

from complaints.selectors import ticket_list

EXPORT_FILTER_KEYS = ("q", "status", "channel", "kind", "category", "unit", "severity", "received_from",
                      "received_to", "clock")


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
    qs = ticket_list(user, _query_dict(filters))
    return qs.select_related("category", "category__parent", "unit", "intake_unit", "handler")
