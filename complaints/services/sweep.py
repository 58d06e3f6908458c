"""The clock sweep (complaints' side of the clocks: it writes tickets, their timeline and
supervision orders): turn clocks whose warning or due instant has passed into 'warning' / 'breached'.

Candidates come from the partial indexes on Clock (warn_at where state='running'; due_at where
state in ('running','warning')), so the cost grows with what crossed a threshold, not with the
number of open tickets. Each chunk is changed by one compare-and-set UPDATE … RETURNING id
(PostgreSQL and SQLite ≥ 3.35), and the side effects — notifications, the ticket's denormalised
sla_state, automatic supervision orders — run only for the ids that UPDATE returned, inside the
same transaction. Overlapping runs, a retried task or two beat processes therefore never warn or
breach a clock twice: the second UPDATE finds the state already changed and returns nothing.
The sweep never touches a ticket's workflow status."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from accounts.models import Role
from accounts.scoping import scope_path
from complaints.models import SupervisionOrder, Ticket, TicketEvent
from core.choices import labels
from core.config import setting
from notifications.notice import Notice
from notifications.services import insert_rows, notify_many, supervision_people
from sla.models import ACTIVE_CLOCK_STATES, Clock, ClockName, ClockState, SweepRun
from sla.states import SlaState
from sla.workcal import format_due

from .supervision import order_deadline

CHUNK = 1000  # clocks per compare-and-set and per transaction


@dataclass
class SweepResult:
    warned: list[int] = field(default_factory=list)
    breached: list[int] = field(default_factory=list)
    supervision_orders: int = 0
    notifications: int = 0

    def as_dict(self) -> dict:
        return {"warned": len(self.warned), "breached": len(self.breached),
                "supervision_orders": self.supervision_orders, "notifications": self.notifications}


def clock_cas(ids: list[int], *, from_states: list[str], to_state: str, now: datetime) -> list[int]:
    """Compare-and-set: move the clocks among `ids` still in `from_states` to `to_state`,
    stamping warned_at / breached_at. Returns exactly the ids this call changed."""
    if not ids:
        return []
    stamp = "warned_at" if to_state == ClockState.WARNING else "breached_at"
    table = Clock._meta.db_table
    qn = connection.ops.quote_name
    id_marks = ", ".join(["%s"] * len(ids))
    state_marks = ", ".join(["%s"] * len(from_states))
    sql = (f"UPDATE {qn(table)} SET {qn('state')} = %s, {qn(stamp)} = %s "
           f"WHERE {qn('id')} IN ({id_marks}) AND {qn('state')} IN ({state_marks}) RETURNING {qn('id')}")
    with connection.cursor() as cursor:
        stamp_value = connection.ops.adapt_datetimefield_value(now)
        cursor.execute(sql, [to_state, stamp_value, *ids, *[str(s) for s in from_states]])
        return [row[0] for row in cursor.fetchall()]


def _candidates(kind: str, now: datetime, limit: int) -> list[int]:
    if kind == "breach":
        qs = Clock.objects.filter(state__in=ACTIVE_CLOCK_STATES, due_at__lte=now).order_by("due_at")
    else:
        qs = Clock.objects.filter(state=ClockState.RUNNING, warn_at__lte=now).order_by("warn_at")
    if connection.features.has_select_for_update_skip_locked:
        # Another sweep's chunk in flight is skipped rather than waited for.
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.values_list("id", flat=True)[:limit])


def _relax_commit() -> None:
    """PostgreSQL: don't wait for the WAL flush at this transaction's commit. Safe here: if the
    server crashed right after, the lost chunk (state change and its notifications together)
    is simply redone by the next sweep — nothing is sent twice, nothing is lost for good.
    Only for the sweep's own outermost transaction, never a caller's."""
    if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def sweep_clocks(now: datetime | None = None, chunk: int = CHUNK) -> SweepResult:
    """One full sweep. Breaches first, so a clock that crossed both thresholds since the last
    run is breached once and not also warned."""
    now = now or timezone.now()
    result = SweepResult()
    for kind in ("breach", "warning"):
        while True:
            with transaction.atomic():
                _relax_commit()
                ids = _candidates(kind, now, chunk)
                if not ids:
                    break
                if kind == "breach":
                    changed = clock_cas(ids, from_states=list(ACTIVE_CLOCK_STATES), to_state=ClockState.BREACHED,
                                        now=now)
                    result.breached += changed
                else:
                    changed = clock_cas(ids, from_states=[ClockState.RUNNING], to_state=ClockState.WARNING,
                                        now=now)
                    result.warned += changed
                if changed:
                    apply_side_effects(changed, kind=kind, now=now, result=result)
            if len(ids) < chunk:
                break
    with transaction.atomic():
        _relax_commit()  # a bookkeeping row: not worth a WAL flush
        if not SweepRun.objects.filter(id=1).update(last_run_at=now):
            SweepRun.objects.get_or_create(id=1, defaults={"last_run_at": now})
    return result


@dataclass(frozen=True)
class _Crossed:
    """What the side effects need of a changed clock and its ticket (read with values(), no models)."""

    clock_id: int
    name: str
    due_at: datetime
    ticket_id: int
    number: str
    status: str
    unit_id: int | None
    handler_id: int | None
    intake_path: str

    @property
    def pk(self) -> int:  # lets notify_many treat this as the ticket reference
        return self.ticket_id


def apply_side_effects(clock_ids: list[int], *, kind: str, now: datetime, result: SweepResult | None = None) -> None:
    """Ticket sla_state, notifications and (on breach) supervision for clocks just changed."""
    result = result or SweepResult()
    crossed = [_Crossed(*row) for row in Clock.objects.filter(id__in=clock_ids).values_list(
        "id", "name", "due_at", "ticket_id", "ticket__number", "ticket__status", "ticket__unit_id",
        "ticket__handler_id", "ticket__intake_unit__path")]
    ticket_ids = {c.ticket_id for c in crossed}
    # The ticket's worst state only gets worse here; its nearest due does not move.
    if kind == "breach":
        Ticket.objects.filter(id__in=ticket_ids).exclude(sla_state=SlaState.BREACHED).update(
            sla_state=SlaState.BREACHED)
    else:
        Ticket.objects.filter(id__in=ticket_ids).exclude(sla_state=SlaState.BREACHED).update(
            sla_state=SlaState.WARNING)

    people = _Recipients(crossed)
    supervisors = supervision_people() if kind == "breach" else []
    items = []
    with translation.override(settings.LANGUAGE_CODE):  # stored as msgids: Notification.text translates them
        clock_labels = dict(labels(ClockName))
    for c in crossed:
        label, due = clock_labels.get(c.name, c.name), format_due(c.due_at)
        if kind == "breach":
            message = Notice(gettext_noop("工单 %(number)s「%(clock)s」已超时（时限 %(due)s）"), number=c.number,
                             clock=label, due=due)
            users = people.for_clock(c) + supervisors
        else:
            message = Notice(gettext_noop("工单 %(number)s「%(clock)s」时限预警，将于 %(due)s 到期"), number=c.number,
                             clock=label, due=due)
            users = people.for_clock(c)
        items.append((users, c, f"sla_{kind}", message))
    result.notifications += notify_many(items)

    if kind == "breach" and setting("auto_supervision_on_breach"):
        result.supervision_orders += _auto_supervise(crossed, now)


def _auto_supervise(crossed: list[_Crossed], now: datetime) -> int:
    """One automatic supervision order per breached ticket that has no open automatic order (a
    ticket whose earlier orders were closed gets a new one when another clock breaches)."""
    by_ticket: dict[int, _Crossed] = {}
    for c in crossed:
        by_ticket.setdefault(c.ticket_id, c)
    already = set(SupervisionOrder.objects.filter(ticket_id__in=by_ticket, automatic=True, closed_at__isnull=True)
                  .values_list("ticket_id", flat=True))
    due, warn = order_deadline(now, now + timedelta(hours=int(setting("supervision_due_hours"))))
    orders, events = [], []
    for ticket_id, c in by_ticket.items():
        if ticket_id in already:
            continue
        label = labels(ClockName).get(c.name, c.name)
        content = f"「{label}」已超时（时限 {format_due(c.due_at)}），系统自动督办，请尽快办理"
        orders.append((ticket_id, SupervisionOrder.OrderKind.SUPERVISION.value, content, due, warn, 1, None, now,
                       True))
        events.append((ticket_id, now, None, "auto_supervise", c.status, c.status, content,
                       {"clock": c.name, "due_at": due.isoformat()}))
    if not orders:
        return 0
    # Plain inserts (a thousand breaches must stay well under a second); the history row that
    # django-simple-history would write is written alongside, with no user (the system).
    order_fields = ["ticket", "kind", "content", "due_at", "warn_at", "level", "issued_by", "issued_at", "automatic"]
    ids = insert_rows(SupervisionOrder, order_fields, orders, returning=True)
    _copy_to_history(ids, now)
    insert_rows(TicketEvent, ["ticket", "at", "actor", "action", "from_status", "to_status", "note", "data"], events)
    return len(orders)


def _copy_to_history(order_ids: list[int], now: datetime) -> None:
    """The "+" history rows of just-inserted supervision orders, copied inside the database."""
    history = SupervisionOrder.history.model
    qn = connection.ops.quote_name
    fields = [f for f in SupervisionOrder._meta.concrete_fields]
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(order_ids))
    sql = (f"INSERT INTO {qn(history._meta.db_table)} ({columns}, {qn('history_date')}, "
           f"{qn('history_change_reason')}, {qn('history_type')}, {qn('history_user_id')}) "
           f"SELECT {columns}, %s, %s, '+', NULL FROM {qn(SupervisionOrder._meta.db_table)} "
           f"WHERE {qn('id')} IN ({marks})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), "超时自动督办", *order_ids])


class _Recipients:
    """Who hears about a clock: the handler (or the unit's handlers) and unit managers; for a
    ticket not yet dispatched, the intake leads whose scope covers it. Loaded once per chunk."""

    def __init__(self, crossed: list[_Crossed]):
        User = get_user_model()
        unit_ids = {c.unit_id for c in crossed if c.unit_id}
        self.by_unit: dict[tuple[int, str], list] = {}
        if unit_ids:
            through = User.groups.through
            for link in (through.objects.filter(user__unit_id__in=unit_ids, user__is_active=True,
                                                group__name__in=[Role.HANDLER, Role.UNIT_MANAGER])
                         .select_related("user", "group")):
                self.by_unit.setdefault((link.user.unit_id, link.group.name), []).append(link.user)
        self.leads: list[tuple[str, object]] = []
        self.handlers = {u.pk: u for u in User.objects.filter(
            pk__in={c.handler_id for c in crossed if c.handler_id}, is_active=True)}
        if any(self._at_intake(c) for c in crossed):
            for lead in User.objects.filter(is_active=True, groups__name=Role.LEAD).select_related(
                    "unit", "unit__parent").distinct():
                scope = scope_path(lead)
                if scope is not None:
                    self.leads.append((scope, lead))

    @staticmethod
    def _at_intake(c: _Crossed) -> bool:
        return c.name == ClockName.DISPATCH or c.unit_id is None

    def for_clock(self, c: _Crossed) -> list:
        if self._at_intake(c):
            return [lead for scope, lead in self.leads if c.intake_path.startswith(scope)]
        users = list(self.by_unit.get((c.unit_id, Role.UNIT_MANAGER), []))
        if c.handler_id:
            users.append(self.handlers.get(c.handler_id))
        else:
            users += self.by_unit.get((c.unit_id, Role.HANDLER), [])
        return users
