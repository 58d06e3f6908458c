"""The SLA sweep: turn clocks whose warning or due instant has passed into 'warning' / 'breached'.

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

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, Unit
from complaints.models import SlaState, SupervisionOrder, Ticket, TicketEvent
from core.config import setting
from sla.models import ACTIVE_CLOCK_STATES, Clock, ClockName, ClockState, SweepRun
from sla.workcal import format_due

CHUNK = 500


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
        cursor.execute(sql, [to_state, now, *ids, *[str(s) for s in from_states]])
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


def sweep_clocks(now: datetime | None = None, chunk: int = CHUNK) -> SweepResult:
    """One full sweep. Breaches first, so a clock that crossed both thresholds since the last
    run is breached once and not also warned."""
    now = now or timezone.now()
    result = SweepResult()
    for kind in ("breach", "warning"):
        while True:
            with transaction.atomic():
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
    if not SweepRun.objects.filter(id=1).update(last_run_at=now):
        SweepRun.objects.get_or_create(id=1, defaults={"last_run_at": now})
    return result


def apply_side_effects(clock_ids: list[int], *, kind: str, now: datetime, result: SweepResult | None = None) -> None:
    """Ticket sla_state, notifications and (on breach) supervision for clocks just changed."""
    from notifications.services import notify_many, supervision_people

    result = result or SweepResult()
    clocks = list(Clock.objects.filter(id__in=clock_ids)
                  .select_related("ticket", "ticket__unit", "ticket__intake_unit", "ticket__handler"))
    ticket_ids = {c.ticket_id for c in clocks}
    # The ticket's worst state only gets worse here; its nearest due does not move.
    if kind == "breach":
        Ticket.objects.filter(id__in=ticket_ids).update(sla_state=SlaState.BREACHED)
    else:
        Ticket.objects.filter(id__in=ticket_ids).exclude(sla_state=SlaState.BREACHED).update(
            sla_state=SlaState.WARNING)

    people = _Recipients(clocks)
    supervisors = supervision_people() if kind == "breach" else []
    items = []
    for clock in clocks:
        ticket = clock.ticket
        label = clock.get_name_display()
        if kind == "breach":
            message = f"工单 {ticket.number}「{label}」已超时（时限 {format_due(clock.due_at)}）"
            users = people.for_clock(clock) + supervisors
        else:
            message = f"工单 {ticket.number}「{label}」时限预警，将于 {format_due(clock.due_at)} 到期"
            users = people.for_clock(clock)
        items.append((users, ticket, f"sla_{kind}", message))
    result.notifications += notify_many(items)

    if kind == "breach" and setting("auto_supervision_on_breach"):
        result.supervision_orders += _auto_supervise(clocks, now)


def _auto_supervise(clocks: list[Clock], now: datetime) -> int:
    """One automatic supervision order per breached ticket that has no open automatic order."""
    from simple_history.utils import bulk_create_with_history

    by_ticket: dict[int, Clock] = {}
    for clock in clocks:
        by_ticket.setdefault(clock.ticket_id, clock)
    already = set(SupervisionOrder.objects.filter(ticket_id__in=by_ticket, automatic=True, closed_at__isnull=True)
                  .values_list("ticket_id", flat=True))
    due = now + timedelta(hours=int(setting("supervision_due_hours")))
    orders, events = [], []
    for ticket_id, clock in by_ticket.items():
        if ticket_id in already:
            continue
        ticket = clock.ticket
        content = f"「{clock.get_name_display()}」已超时（时限 {format_due(clock.due_at)}），系统自动督办，请尽快办理"
        order = SupervisionOrder(ticket=ticket, kind=SupervisionOrder.OrderKind.SUPERVISION, content=content,
                                 due_at=due, issued_by=None, issued_at=now, automatic=True)
        order._history_user = None
        orders.append(order)
        events.append(TicketEvent(ticket=ticket, at=now, actor=None, action="auto_supervise",
                                  from_status=ticket.status, to_status=ticket.status, note=content,
                                  data={"clock": clock.name, "due_at": due.isoformat()}))
    if orders:
        bulk_create_with_history(orders, SupervisionOrder, default_user=None,
                                 default_change_reason="超时自动督办", default_date=now)
        TicketEvent.objects.bulk_create(events)
    return len(orders)


class _Recipients:
    """Who hears about a clock: the handler (or the unit's handlers) and unit managers; for a
    ticket not yet dispatched, the intake leads whose scope covers it. Loaded once per chunk."""

    def __init__(self, clocks: list[Clock]):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        unit_ids = {c.ticket.unit_id for c in clocks if c.ticket.unit_id}
        self.by_unit: dict[tuple[int, str], list] = {}
        if unit_ids:
            through = User.groups.through
            for link in (through.objects.filter(user__unit_id__in=unit_ids, user__is_active=True,
                                                group__name__in=[Role.HANDLER, Role.UNIT_MANAGER])
                         .select_related("user", "group")):
                self.by_unit.setdefault((link.user.unit_id, link.group.name), []).append(link.user)
        self.leads: list[tuple[str, object]] = []
        if any(self._at_intake(c) for c in clocks):
            for lead in User.objects.filter(is_active=True, groups__name=Role.LEAD).select_related(
                    "unit", "unit__parent").distinct():
                scope = self._scope_path(lead)
                if scope is not None:
                    self.leads.append((scope, lead))

    @staticmethod
    def _at_intake(clock: Clock) -> bool:
        return clock.name == ClockName.DISPATCH or clock.ticket.unit_id is None

    @staticmethod
    def _scope_path(user) -> str | None:
        # Mirrors accounts.scoping.visible_unit_ids: "" means everything.
        if user.is_superuser:
            return ""
        unit: Unit | None = user.unit
        if unit is None:
            return None
        if unit.is_supervision and unit.parent_id:
            unit = unit.parent
        return "" if unit.parent_id is None else unit.path

    def for_clock(self, clock: Clock) -> list:
        ticket = clock.ticket
        if self._at_intake(clock):
            path = ticket.intake_unit.path
            return [lead for scope, lead in self.leads if path.startswith(scope)]
        users = list(self.by_unit.get((ticket.unit_id, Role.UNIT_MANAGER), []))
        if ticket.handler_id:
            users.append(ticket.handler)
        else:
            users += self.by_unit.get((ticket.unit_id, Role.HANDLER), [])
        return users
