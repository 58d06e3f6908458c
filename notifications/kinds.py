"""What a notification kind means to its reader — decided here, in one place.

`ACTION_KINDS`: the notice asks the reader to do something (a ticket dispatched or returned to them, an
order to answer, a request to decide, a reply to read and close). Every other kind is *for information*
(breaches and warnings, closures, reports sent upward): the bell shows the first count prominently and the
second one beside it, and the notifications page lists them apart.

Clock breaches and warnings are for information by design: the ticket is already in its handler's queue
with its clock state, and the supervision office receives them for every unit; the bell would otherwise read
30 and 99+ again.

`GROUPED_KINDS`: notices that repeat for the same ticket (each clock that crosses, each escalation, each
chase). They keep one row per (reader, ticket, kind): a repeat raises its count, takes the latest text and
time and makes it unread again, so the bell counts tickets, not repeats.
"""

ACTION_KINDS = frozenset({
    "dispatched",  # to the unit: a new ticket to contact within its time
    "redispatched",  # unsatisfied callback: the unit works on it again
    "returned",  # to the dispatcher: a station returned the ticket, dispatch it again
    "reply_rejected",  # to the unit: the review sent the reply back
    "supervision",  # to the unit: a supervision order to answer
    "risk_warning",  # a risk warning order to answer (unit) / follow (office)
    "supervision_warning",  # an order's answer is due soon
    "supervision_escalated",  # an order raised to this unit's level: answer it
    "supervision_replied",  # to the office: the unit answered, close the order
    "extension_requested",  # to the office: decide the request
    "onsite_requested",  # to the unit: investigate on site before replying
    "chased",  # the customer chased the ticket
    "major",  # a major ticket: report upward within the hour
    "investigation_task",  # to the unit: investigate and answer
    "investigation_overdue",  # the answer is past its due
    "investigation_answered",  # to the discipline office: read the findings, conclude
})

GROUPED_KINDS = frozenset({
    "sla_breach",
    "sla_warning",
    "supervision_warning",
    "supervision_escalated",
    "supervision_breached",
    "investigation_overdue",
    "chased",
})


def needs_action(kind: str) -> bool:
    return kind in ACTION_KINDS


def group_key(kind: str, ticket_id: int | None) -> str | None:
    """The row a repeat of this notice updates (unique per reader), or None for a row of its own."""
    if kind in GROUPED_KINDS and ticket_id is not None:
        return f"{kind}:{ticket_id}"
    return None
