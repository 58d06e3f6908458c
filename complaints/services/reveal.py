"""Showing a customer's full phone number: allowed by the field policy, and recorded every time."""
from django.utils.translation import gettext

from complaints.models import SensitiveAccess, Ticket
from complaints.policy import can_reveal_phone
from core.errors import PermissionDenied


def phone_reveal(*, actor, ticket: Ticket) -> str:
    """The full number, with a SensitiveAccess row saying who saw it; PermissionDenied without the right."""
    if not can_reveal_phone(actor, ticket):
        raise PermissionDenied(gettext("您无权查看完整电话号码"))
    SensitiveAccess.objects.create(ticket=ticket, user=actor, field="customer_phone")
    return ticket.customer_phone
