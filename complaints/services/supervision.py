"""Supervision orders 督办单: issued, answered by the unit, closed by the supervision office (or with
the ticket), and escalated one level (三级督办) each time their deadline passes unanswered.

Changes made by people run through the locked transition service (`ticket_action`), so they are
checked, history-kept and on the timeline like every other action. The periodic sweep changes
orders by compare-and-set under row locks, so an overlapping run never warns or escalates twice."""
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import Role, Unit
from complaints.models import SupervisionOrder, Ticket, TicketEvent
from core.config import setting
from core.errors import Conflict, ValidationFailed
from notifications.notice import Notice
from notifications.services import insert_rows, notify, notify_many, supervision_people
from sla.workcal import format_due

from .workflow import notify_unit, require, ticket_action

CHUNK = 500


def order_deadline(start: datetime, due: datetime | None = None) -> tuple[datetime, datetime]:
    """(due_at, warn_at) of an order level started at `start`: `due` when the issuer set one, else
    the level's hours; warned when the set share of that time is used (both are settings)."""
    due = due or start + timedelta(hours=float(setting("supervision_level_hours")))
    return due, start + (due - start) * float(setting("supervision_warn_ratio"))


def supervise_input_check(kind: str | None, content: str | None, due_at: datetime | None) -> None:
    """What an order needs whatever the ticket (also checked once for a bulk order)."""
    if kind not in SupervisionOrder.OrderKind.values:
        raise ValidationFailed(gettext("督办类型无效"), fields={"kind": [gettext("督办类型无效")]})
    require(content, "content", gettext("请填写督办内容"))
    if due_at is not None and due_at <= timezone.now():
        raise ValidationFailed(gettext("督办期限须晚于当前时间"),
                               fields={"due_at": [gettext("督办期限须晚于当前时间")]})


def ticket_supervise(*, ticket, actor, kind: str, content: str, due_at: datetime | None = None,
                     expected_version=None) -> Ticket:
    supervise_input_check(kind, content, due_at)

    def change(t: Ticket):
        now = timezone.now()
        due, warn = order_deadline(now, due_at)
        order = SupervisionOrder(ticket=t, kind=kind, content=content, due_at=due, warn_at=warn, issued_by=actor,
                                 issued_at=now)
        order._history_user = actor
        order.save()
        notify_unit(t, kind, Notice(gettext_noop("工单 %(number)s 收到%(order)s：%(content)s"), number=t.number,
                                    order=SupervisionOrder.OrderKind(order.kind).label, content=content[:250]))
        return None, content, {"kind": kind, "due_at": due.isoformat()}

    return ticket_action(ticket=ticket, actor=actor, action="supervise", change=change,
                         expected_version=expected_version)


def _open_order(ticket: Ticket, order_id) -> SupervisionOrder:
    order = (SupervisionOrder.objects.select_for_update().filter(ticket=ticket, pk=order_id, closed_at__isnull=True)
             .first() if str(order_id).isdigit() else None)
    if order is None:
        raise ValidationFailed(gettext("没有该在办督办单"), fields={"order_id": [gettext("没有该在办督办单")]})
    return order


def supervision_reply(*, ticket, actor, order_id: int, text: str, expected_version=None) -> Ticket:
    """The handling unit answers an order: its clock stops and it no longer escalates."""
    if not (text or "").strip():
        raise ValidationFailed(gettext("请填写督办答复内容"), fields={"text": [gettext("请填写督办答复内容")]})

    def change(t: Ticket):
        order = _open_order(t, order_id)
        if order.replied_at is not None:
            raise Conflict(gettext("该督办单已答复"), code="order_answered")
        order.reply, order.replied_at, order.replied_by = text, timezone.now(), actor
        order._history_user = actor
        order.save()

        notify(users=supervision_people(), ticket=t, kind="supervision_replied",
               message=Notice(gettext_noop("工单 %(number)s 的%(order)s已答复：%(text)s"), number=t.number,
                              order=SupervisionOrder.OrderKind(order.kind).label, text=text[:250]))
        return None, text, {"order": order.pk, "level": order.level}

    return ticket_action(ticket=ticket, actor=actor, action="order_reply", change=change,
                         expected_version=expected_version)


def supervision_close(*, ticket, actor, order_id: int, note: str = "", expected_version=None) -> Ticket:
    """The supervision office closes (销号) an order."""

    def change(t: Ticket):
        order = _open_order(t, order_id)
        order.closed_at, order.closed_by, order.close_note = timezone.now(), actor, note[:200]
        order._history_user = actor
        order.save()
        return None, note, {"order": order.pk, "answered": order.replied_at is not None}

    return ticket_action(ticket=ticket, actor=actor, action="order_close", change=change,
                         expected_version=expected_version)


def level_unit(unit_id: int | None, level: int, parents: dict[int, int | None]) -> int | None:
    """The id of the unit answerable at `level`: level 1 is the handling unit, each level one up."""
    for _ in range(level - 1):
        parent = parents.get(unit_id)
        if parent is None:
            break
        unit_id = parent
    return unit_id


def supervision_sweep(now: datetime | None = None, chunk: int = CHUNK) -> dict:
    """Warn orders past their warning instant; escalate unanswered orders past their due one level
    (new deadline, the superior unit's managers notified); at the top level, breach once and tell
    the supervision office."""
    now = now or timezone.now()
    result = {"warned": 0, "escalated": 0, "breached": 0}
    while True:
        with transaction.atomic():
            rows = _locked(Q(warn_at__lte=now, warned_at__isnull=True, due_at__gt=now), chunk)
            if not rows:
                break
            SupervisionOrder.objects.filter(pk__in=[r["id"] for r in rows]).update(warned_at=now)
            _notify_rows(rows, kind="supervision_warning", level_of=lambda r: r["level"],
                         message=gettext_noop("工单 %(number)s 的督办单即将到期（%(due)s），请尽快答复"))
            result["warned"] += len(rows)
        if len(rows) < chunk:
            break
    top = int(setting("supervision_levels"))
    while True:
        with transaction.atomic():
            rows = _locked(Q(due_at__lte=now) & (Q(breached_at__isnull=True) | Q(breached_at__lt=F("due_at"))), chunk)
            if not rows:
                break
            up = [r for r in rows if r["level"] < top]
            last = [r for r in rows if r["level"] >= top]
            if up:
                due, warn = order_deadline(now)
                SupervisionOrder.objects.filter(pk__in=[r["id"] for r in up]).update(
                    level=F("level") + 1, breached_at=now, due_at=due, warn_at=warn, warned_at=None)
                _notify_rows(up, kind="supervision_escalated",
                             message=gettext_noop("工单 %(number)s 的督办单超期未答复，已升级为%(level)s级督办，"
                                                  "请于 %(due)s 前答复"),
                             level_of=lambda r: r["level"] + 1, due=due)
                _events(up, now, "order_escalated", lambda r: f"督办单超期未答复，升级为{r['level'] + 1}级督办")
                result["escalated"] += len(up)
            if last:
                SupervisionOrder.objects.filter(pk__in=[r["id"] for r in last]).update(breached_at=now)

                office = supervision_people()
                notify_many([(office, _Ref(r), "supervision_breached",
                              Notice(gettext_noop("工单 %(number)s 的%(level)s级督办单超期未答复"),
                                     number=r["ticket__number"], level=r["level"])) for r in last])
                _events(last, now, "order_breached", lambda r: f"{r['level']}级督办单超期未答复")
                result["breached"] += len(last)
        if len(rows) < chunk:
            break
    return result


class _Ref:
    """The ticket reference notify_many needs (pk and number) without loading the ticket."""

    def __init__(self, row):
        self.pk, self.number = row["ticket_id"], row["ticket__number"]


def _locked(condition: Q, chunk: int) -> list[dict]:
    qs = (SupervisionOrder.objects.filter(condition, closed_at__isnull=True, replied_at__isnull=True)
          .order_by("due_at", "id"))
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs.values("id", "level", "due_at", "ticket_id", "ticket__number", "ticket__status",
                          "ticket__unit_id", "ticket__owner_unit_id")[:chunk])


def _notify_rows(rows, *, kind: str, message: str, level_of, due: datetime | None = None) -> None:
    """Each order's answerable unit at its (new) level: that unit's managers are told."""
    parents = dict(Unit.objects.values_list("id", "parent_id"))
    targets = {r["id"]: level_unit(r["ticket__unit_id"] or r["ticket__owner_unit_id"], level_of(r), parents)
               for r in rows}
    managers: dict[int, list] = {}
    for user in get_user_model().objects.filter(unit_id__in=set(targets.values()), is_active=True,
                                                groups__name=Role.UNIT_MANAGER).distinct():
        managers.setdefault(user.unit_id, []).append(user)
    notify_many([(managers.get(targets[r["id"]], []), _Ref(r), kind,
                  Notice(message, number=r["ticket__number"], level=level_of(r),
                         due=format_due(timezone.localtime(due or r["due_at"])))) for r in rows])


def _events(rows, now: datetime, action: str, note) -> None:
    TicketEvent.objects.bulk_create([
        TicketEvent(ticket_id=r["ticket_id"], at=now, actor=None, action=action, from_status=r["ticket__status"],
                    to_status=r["ticket__status"], note=note(r), data={"order": r["id"]}) for r in rows])



def supervision_issue_automatic(orders: list[tuple[int, str, str, dict]], *, kind: str, due: datetime,
                                warn: datetime, now: datetime, reason: str) -> int:
    """Orders the system issues in bulk (a red risk crossing): one order per (ticket id, ticket
    status, content, event data), with its history row ("+", no user, `reason`) and its
    "auto_supervise" timeline event — plain inserts, so thousands stay well under a second. The
    caller has decided, by compare-and-set, which tickets get one."""
    if not orders:
        return 0
    fields = ["ticket", "kind", "content", "due_at", "warn_at", "level", "issued_by", "issued_at", "automatic"]
    ids = insert_rows(SupervisionOrder, fields, [(ticket_id, kind, content[:2000], due, warn, 1, None, now, True)
                                                 for ticket_id, _status, content, _data in orders], returning=True)
    _copy_to_history(ids, now, reason)
    insert_rows(TicketEvent, ["ticket", "at", "actor", "action", "from_status", "to_status", "note", "data"],
                [(ticket_id, now, None, "auto_supervise", status, status, content, data)
                 for ticket_id, status, content, data in orders])
    return len(ids)


def _copy_to_history(order_ids: list[int], now: datetime, reason: str) -> None:
    """The "+" history rows of just-inserted orders, copied inside the database."""
    history = SupervisionOrder.history.model
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in SupervisionOrder._meta.concrete_fields)
    with connection.cursor() as cursor:
        for start in range(0, len(order_ids), 1000):
            part = order_ids[start:start + 1000]
            cursor.execute(
                f"INSERT INTO {qn(history._meta.db_table)} ({columns}, {qn('history_date')}, "
                f"{qn('history_change_reason')}, {qn('history_type')}, {qn('history_user_id')}) "
                f"SELECT {columns}, %s, %s, '+', NULL FROM {qn(SupervisionOrder._meta.db_table)} "
                f"WHERE {qn('id')} IN ({', '.join(['%s'] * len(part))})",
                [connection.ops.adapt_datetimefield_value(now), reason, *part])
