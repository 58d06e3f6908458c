"""The phrases a user may pick on a ticket, placeholders filled."""
from django.db.models import Q

from sla.models import ACTIVE_CLOCK_STATES
from sla.workcal import format_due

from .models import Phrase


def _ancestor_paths(path: str) -> list[str]:
    # "0001.0003.0007." → ["0001.", "0001.0003.", "0001.0003.0007."]: the unit and those above it.
    parts = [p for p in path.split(".") if p]
    return [".".join(parts[:i]) + "." for i in range(1, len(parts) + 1)]


def applicable(user, ticket, fields=None):
    """Active phrases of the province, of the user's unit and the units above it, for the ticket's
    category (or its class) or for every category."""
    unit_q = Q(unit__isnull=True)
    if user.unit_id:
        unit_q |= Q(unit__path__in=_ancestor_paths(user.unit.path))
    category_q = Q(category__isnull=True)
    if ticket.category_id:
        category_q |= Q(category_id__in=[ticket.category_id, ticket.category.parent_id])
    rows = Phrase.objects.filter(unit_q, category_q, active=True)
    if fields is not None:
        rows = rows.filter(field__in=list(fields))
    return rows.order_by("field", "sort", "id")


def fill(text: str, ticket) -> str:
    """{客户}, {工单号}, {期限} (the running clock due first, formatted as everywhere else)."""
    dues = [c.due_at for c in ticket.clocks.all() if c.state in ACTIVE_CLOCK_STATES]
    return (text.replace("{客户}", ticket.customer_name or "").replace("{工单号}", ticket.number)
            .replace("{期限}", format_due(min(dues)) if dues else "—"))


def phrases_by_field(user, ticket, fields=None) -> dict[str, list[dict]]:
    """{field: [{"title", "text"}]} in one query (the ticket's clocks are prefetched on its page)."""
    out: dict[str, list[dict]] = {}
    for phrase in applicable(user, ticket, fields):
        out.setdefault(phrase.field, []).append({"id": phrase.pk, "title": phrase.title,
                                                 "text": fill(phrase.text, ticket)})
    return out
