"""The one field policy: for (user, ticket), which fields and related records may be shown.

A misconduct report (举报) belongs to the discipline office (纪检监察) and is visible to it and the
supervision office only (`may_see_reports`; `complaints.permissions.ticket_scope` applies it in SQL).
Whoever may not see a report must not learn of its complainant indirectly either: a link between a
report and another ticket is shown only to those who may see reports, in both directions, and so are
timeline notes that name links. Pages, API, exports, notifications and the admin ask this module;
nothing else decides what of a ticket's customer is shown.
"""
from dataclasses import dataclass

from django.utils.translation import gettext

from accounts.grants import grants
from complaints.models import Kind, Ticket

# Timeline actions whose note names other tickets (repeat / escalated links) or an attachment.
LINK_EVENT_ACTIONS = frozenset({"register"})
ATTACHMENT_EVENT_ACTIONS = frozenset({"attach"})


def holds(user, permission: str) -> bool:
    """Whether one of the user's roles grants `permission` — being a superuser does not: an
    administrator is not thereby a discipline officer or a hotline agent."""
    return bool(user.is_authenticated and user.is_active) and permission in grants(user).permissions


def may_see_reports(user) -> bool:
    """Discipline office and supervision office staff (`view_report`; leaking a report's complainant
    is itself misconduct)."""
    return holds(user, "complaints.view_report")


@dataclass(frozen=True)
class TicketPolicy:
    complainant: bool  # name, account number, address, masked phone
    reveal_phone: bool  # may reveal the full number (each reveal is logged)
    links: bool  # links to other tickets where a report is at either end
    attachments: bool
    accountability: bool


def ticket_policy(user, ticket: Ticket) -> TicketPolicy:
    report = ticket.kind == Kind.REPORT
    complainant = may_see_reports(user) if report else True
    return TicketPolicy(
        complainant=complainant,
        reveal_phone=complainant and user.has_perm("complaints.view_phone"),
        links=complainant,
        attachments=complainant,
        accountability=complainant,
    )


def can_see_complainant(user, ticket: Ticket) -> bool:
    return ticket_policy(user, ticket).complainant


def can_reveal_phone(user, ticket: Ticket) -> bool:
    """Only roles that must call the customer may see the full number (each view is logged)."""
    return ticket_policy(user, ticket).reveal_phone


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


def visible_links(user, ticket: Ticket, links) -> list:
    """The ticket's links this user may see: none of a report's links without the right to see
    reports, and no link from an ordinary ticket to a report either."""
    if not ticket_policy(user, ticket).links:
        return []
    see_reports = may_see_reports(user)
    return [link for link in links if see_reports or link.other.kind != Kind.REPORT]


def visible_events(user, ticket: Ticket, events) -> list:
    """Timeline entries, with the notes that name links or attachments blanked for those who may not
    see them."""
    policy = ticket_policy(user, ticket)
    hidden = set() if policy.links else set(LINK_EVENT_ACTIONS)
    if not policy.attachments:
        hidden |= ATTACHMENT_EVENT_ACTIONS
    shown = list(events)
    for event in shown:
        if event.action in hidden:
            event.note, event.data = "", {}
    return shown


def visible_attachments(user, ticket: Ticket, attachments) -> list:
    return list(attachments) if ticket_policy(user, ticket).attachments else []


def visible_accountabilities(user, ticket: Ticket, rows) -> list:
    return list(rows) if ticket_policy(user, ticket).accountability else []
