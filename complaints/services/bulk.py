"""Bulk work from the queues: one action (dispatch to one unit, assign one handler, issue one
supervision order) on several tickets, each through the action's own service (`ACTIONS[...].call`,
so `_act`'s row lock, scope, permission, state and version checks) in its own transaction.

One ticket's refusal never stops the others; each item answers done, or refused with the
service's Chinese reason. A ticket outside the actor's scope is refused as "does not exist"
(the service's NotFound), the same answer as a number that does not exist. What does not depend
on a ticket (the action, the batch size, the role, the chosen unit, the order's text) is checked
once before any ticket is touched, so bad input changes nothing and answers one message."""
from dataclasses import dataclass

from django.utils.translation import gettext

from complaints.actions import ACTIONS
from complaints.models import Status, SupervisionOrder
from core.api_base import check_number
from core.errors import ApplicationError, PermissionDenied, ValidationFailed

from .supervision import supervise_input_check
from .workflow import dispatch_input_check

MAX_BULK = 100
BULK_ACTIONS = ("dispatch", "assign", "supervise")


@dataclass(frozen=True)
class BulkResult:
    number: str
    done: bool
    code: str  # "ok", or the refusal's code: not_found, stale, invalid_transition, invalid, forbidden …
    message: str  # what was done, or why not (Chinese, from the service)


def _fail(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def _check_input(action: str, actor, data: dict) -> None:
    """The services' own checks that do not depend on the ticket, once for the whole batch."""
    if action == "dispatch":
        dispatch_input_check(actor, data.get("unit"))
    elif action == "assign":
        if data.get("handler") is None:
            _fail("handler", gettext("请选择承办人"))
    elif action == "supervise":
        supervise_input_check(data.get("kind"), data.get("content"), data.get("due_at"))


def bulk_numbers(numbers) -> list[str]:
    """The selected numbers, stripped, without blanks and repeats, in the order given."""
    return list(dict.fromkeys(str(n).strip() for n in numbers if n is not None and str(n).strip()))


def tickets_bulk(*, actor, action: str, numbers: list[str], data: dict,
                 versions: dict[str, int] | None = None) -> list[BulkResult]:
    """Run `action` with the same input `data` (the action's form cleaned_data / serializer
    validated_data) on each ticket of `numbers`; `versions` (number → version the user saw) makes
    a ticket changed meanwhile refuse (stale). Raises ValidationFailed / PermissionDenied for the
    batch as a whole (nothing done); otherwise one result per number, in order."""
    if action not in BULK_ACTIONS:
        _fail("action", gettext("请选择批量操作"))
    declared = ACTIONS[action]
    if not actor.has_perm(declared.permission):
        raise PermissionDenied(gettext("您的角色无权执行「%(action)s」") % {"action": declared.label})
    numbers = bulk_numbers(numbers)
    if not numbers:
        _fail("numbers", gettext("请先勾选工单"))
    if len(numbers) > MAX_BULK:
        _fail("numbers", gettext("一次最多处理 %(max)s 张工单，已选 %(n)s 张：请分批处理")
              % {"max": MAX_BULK, "n": len(numbers)})
    _check_input(action, actor, data)
    versions = versions or {}
    results = []
    for number in numbers:
        try:
            check_number(number)  # a malformed number is a missing ticket (and never reaches the database)
            # The service is the transaction: its own atomic block, row lock and history row.
            ticket = declared.call(ticket=number, actor=actor, expected_version=versions.get(number), data=data)
        except ApplicationError as exc:
            results.append(BulkResult(number[:20], False, exc.code, exc.message))
        else:
            results.append(BulkResult(ticket.number, True, "ok", _done(action, ticket, data)))
    return results


def _done(action: str, ticket, data: dict) -> str:
    if action == "dispatch" and ticket.status == Status.DISPATCHED:
        return str(ACTIONS["dispatch"].done).format(unit=ticket.unit.name)
    if action == "assign":
        return gettext("已指定承办人 %(name)s") % {"name": ticket.handler.get_full_name() or ticket.handler.username}
    if action == "supervise":
        return gettext("已下发%(kind)s") % {"kind": SupervisionOrder.OrderKind(data["kind"]).label}
    return str(ACTIONS[action].done)
