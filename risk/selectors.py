"""Reads of the risk app; lists are scoped with complaints.permissions.ticket_scope (so a 举报 is
left out for everyone who may not see reports)."""
from complaints.models import OPEN_STATUSES, Ticket
from complaints.permissions import ticket_scope
from core.choices import labels

from .models import Level, TicketRisk
from .scoring import explain


def risk_view(ticket: Ticket) -> dict | None:
    """The API / page shape of a ticket's risk: {"score", "level", "level_label", "factors"};
    None for a ticket without one (closed). Reads `ticket.risk` (select_related by the detail
    selectors: no query)."""
    try:
        risk = ticket.risk
    except TicketRisk.DoesNotExist:
        return None
    return {"score": risk.score, "level": risk.level, "level_label": labels(Level).get(risk.level, risk.level),
            "factors": explain(risk.factors)}


def risk_list(user, *, levels: list[str] | None = None, unit_ids: list[int] | None = None):
    """Open tickets the user may see with a risk level, highest score first."""
    qs = (ticket_scope(user).filter(status__in=OPEN_STATUSES)
          .filter(risk__level__in=levels or [Level.YELLOW, Level.ORANGE, Level.RED])
          .select_related("risk", "unit", "category", "risk__followed_up_by")
          .order_by("-risk__score", "-received_at", "-id"))
    if unit_ids:
        qs = qs.filter(owner_unit_id__in=unit_ids)
    return qs
