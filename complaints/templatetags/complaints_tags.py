"""Display helpers for tickets and clocks (no database access)."""
from django import template
from django.utils import timezone

from complaints.models import SlaState, Status
from complaints.policy import customer_view
from complaints.policy import mask_phone as _mask_phone
from complaints.services.workflow import event_label
from sla.models import ClockState
from sla.states import STATE_LABELS, state_as_of
from sla.workcal import format_due

register = template.Library()

@register.filter
def mask_phone(value):
    return _mask_phone(value or "")


@register.filter
def due(value):
    return format_due(value) if value else ""


@register.filter
def status_label(code):
    try:
        return Status(code).label
    except ValueError:
        return code or ""


@register.filter
def action_label(code):
    return event_label(code)


@register.filter
def clock_state(clock):
    """A clock's state as of now: a due or warn instant that passed since the last sweep counts."""
    if clock.state == ClockState.CANCELLED:
        return "cancelled"
    if clock.completed_at is not None:
        return clock.state
    return state_as_of(clock.state, due_at=clock.due_at, warn_at=clock.warn_at, now=timezone.now())


@register.filter
def ticket_clock_state(ticket):
    """The ticket's worst running clock as of now (from the denormalised sla_state)."""
    if ticket.sla_state == SlaState.NONE or ticket.next_due_at is None:
        return ""
    return state_as_of(ticket.sla_state, due_at=ticket.next_due_at, warn_at=None, now=timezone.now())


@register.filter
def clock_state_label(state):
    return STATE_LABELS.get(state, "")


@register.filter
def iso(value):
    return value.isoformat() if value else ""


@register.simple_tag(takes_context=True)
def customer_name(context, ticket):
    """The complainant's name, unless this is a report (举报) and the user may not see it."""
    return customer_view(context["request"].user, ticket)["name"]


@register.simple_tag(takes_context=True)
def customer_phone(context, ticket):
    """The masked phone number, empty when the complainant is hidden."""
    return customer_view(context["request"].user, ticket)["phone"]


@register.filter
def person(user, default="—"):
    """A user's full name, else username; `default` when there is none."""
    if user is None:
        return default
    return user.get_full_name() or user.username
