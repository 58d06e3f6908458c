"""Clocks start, stop and move only here, called by the case-loop services inside their
transaction. Each function also refreshes the ticket's denormalised sla_state/next_due_at
(the caller saves the ticket)."""
from datetime import datetime, timedelta

from django.db.models import Case, Value, When
from django.utils import timezone

from core.config import setting
from core.vocabulary import Channel, ServiceType, Severity
from sla.calendar import get_calendar
from sla.models import ACTIVE_CLOCK_STATES, Clock, ClockName, ClockPolicy, ClockState, LimitUnit
from sla.policies import match_policy
from sla.states import SlaState
from sla.workcal import format_due

CONNECTION_TYPES = {ServiceType.CONNECTION_RESIDENTIAL, ServiceType.CONNECTION_LOW_VOLTAGE,
                    ServiceType.CONNECTION_HV_SINGLE, ServiceType.CONNECTION_HV_DUAL}

# Which clocks each case-loop event starts and which it completes.
STARTS = {
    "registered": [ClockName.DISPATCH, ClockName.REPAIR_ARRIVAL, ClockName.RECONNECTION, ClockName.CONNECTION,
                   ClockName.MAJOR_REPORT, ClockName.MAJOR_SUMMARY, ClockName.REGULATOR_REPLY],
    "dispatched": [ClockName.FIRST_CONTACT, ClockName.RESOLUTION],
    "returned": [ClockName.DISPATCH],
    "reviewed": [ClockName.CALLBACK],
    "redispatched": [ClockName.FIRST_CONTACT, ClockName.RESOLUTION],
}
MEETS = {
    "dispatched": [ClockName.DISPATCH],
    "contacted": [ClockName.FIRST_CONTACT, ClockName.REPAIR_ARRIVAL],
    "replied": [ClockName.RESOLUTION, ClockName.RECONNECTION, ClockName.CONNECTION, ClockName.REGULATOR_REPLY],
    "archived": [ClockName.CALLBACK],
    "redispatched": [ClockName.CALLBACK],
    "major_reported": [ClockName.MAJOR_REPORT],
    "major_summarised": [ClockName.MAJOR_SUMMARY],
    "concluded": [ClockName.RESOLUTION, ClockName.REGULATOR_REPLY],  # a report's conclusion is its answer
}
# A reply sent back by review reopens the clocks the reply had stopped (same due, extensions kept).
REOPENS = {"reply_rejected": [ClockName.RESOLUTION, ClockName.REGULATOR_REPLY]}
# Clocks whose limit depends on the responsible unit: timed again when the ticket is (re-)dispatched.
RETIMES = {"dispatched": [ClockName.REPAIR_ARRIVAL]}
CANCELS = {
    "returned": [ClockName.FIRST_CONTACT, ClockName.RESOLUTION],
    "withdrawn": list(ClockName.values),
    "closed": list(ClockName.values),
    "concluded": list(ClockName.values),  # the clocks the conclusion does not meet
    "duplicate": list(ClockName.values),  # marked a duplicate: back with clocks_resume if unmarked
}


def ticket_region_type(ticket) -> str:
    unit = ticket.unit or (ticket.service_area.unit if ticket.service_area_id else None)
    return unit.region_type if unit else ""


def calendar_unit_of(ticket):
    return ticket.unit or ticket.intake_unit


def compute_due(policy: ClockPolicy, start: datetime, *, unit=None, extra_days: int = 0,
                clock: str = "") -> tuple[datetime, datetime, bool]:
    """(due_at, warn_at, calendar_known) for a clock under `policy` started at `start`."""
    known = True
    if policy.limit_unit == LimitUnit.WORKING_DAYS:
        result = get_calendar(unit).add_working_days(start, policy.amount + extra_days)
        due, known = result.due_at, result.calendar_known
    else:
        minutes = policy.amount * (60 if policy.limit_unit == LimitUnit.HOURS else 1)
        due = start + timedelta(minutes=minutes)
        if clock == ClockName.RECONNECTION:
            due = _night_rule(start, due)
    warn = start + (due - start) * float(policy.warn_ratio)
    return due, warn, known


def _night_rule(paid: datetime, due: datetime) -> datetime:
    """Paid after 22:00 → restored by 10:00 the next day (both times are settings)."""
    local = timezone.localtime(paid)
    night = datetime.strptime(setting("reconnection_night_after"), "%H:%M").time()
    morning = datetime.strptime(setting("reconnection_next_morning"), "%H:%M").time()
    if local.time() >= night:
        next_day = local.date() + timedelta(days=1)
        return timezone.make_aware(datetime.combine(next_day, morning), local.tzinfo)
    return due


def clock_start_at(ticket, clock: str, at: datetime) -> datetime:
    """When a clock starts. The dispatch clock is the centre's own processing time: it runs from
    logging (`at`), so a letter logged days after it was received is not born overdue; the
    customer-facing clocks run from the rules' start points (received, paid)."""
    if clock == ClockName.RECONNECTION and ticket.paid_at:
        return ticket.paid_at
    from_receipt = (ClockName.REPAIR_ARRIVAL, ClockName.CONNECTION, ClockName.REGULATOR_REPLY)
    if clock in from_receipt and not ticket.dispatched_at:
        return ticket.received_at
    return at


def clock_applies(ticket, clock: str) -> bool:
    if clock == ClockName.REGULATOR_REPLY:
        return ticket.channel == Channel.REGULATOR_12398
    if clock == ClockName.RECONNECTION:
        return ticket.service_type == ServiceType.RECONNECTION
    if clock == ClockName.CONNECTION:
        return ticket.service_type in CONNECTION_TYPES
    if clock in MAJOR_CLOCKS:
        return ticket.severity == Severity.MAJOR
    return True


MAJOR_CLOCKS = (ClockName.MAJOR_REPORT, ClockName.MAJOR_SUMMARY)


def major_due(clock: str, start: datetime) -> datetime:
    """A major event's flash report is due `major_report_minutes` after it is registered; its
    same-day summary by `major_summary_by` (24:00 = the end of the day it was registered)."""
    if clock == ClockName.MAJOR_REPORT:
        return start + timedelta(minutes=int(setting("major_report_minutes")))
    local = timezone.localtime(start)
    hours, minutes = (int(part) for part in str(setting("major_summary_by")).split(":"))
    day_start = timezone.make_aware(datetime.combine(local.date(), datetime.min.time()), local.tzinfo)
    due = day_start + timedelta(hours=hours, minutes=minutes)
    return due if due > start else due + timedelta(days=1)


def clocks_on(ticket, event: str, at: datetime | None = None) -> None:
    """Apply a case-loop event to the ticket's clocks."""
    at = at or timezone.now()
    done = set(MEETS.get(event, [])) | set(CANCELS.get(event, []))
    if done:
        active = Clock.objects.filter(ticket=ticket, name__in=done, completed_at__isnull=True).exclude(
            state=ClockState.CANCELLED)
        for name in MEETS.get(event, []):
            # A breached clock stays breached; it is only marked done.
            active.filter(name=name, state=ClockState.BREACHED).update(completed_at=at)
            active.filter(name=name, state__in=ACTIVE_CLOCK_STATES).update(
                state=_met_or_breached(at), completed_at=at)
        for name in CANCELS.get(event, []):
            active.filter(name=name).update(state=ClockState.CANCELLED, completed_at=at)
    for name in REOPENS.get(event, []):
        _reopen(ticket, name, at)
    for name in RETIMES.get(event, []):
        _retime(ticket, name, at)
    new = _new_clocks(ticket, STARTS.get(event, []), at)
    if new:
        Clock.objects.bulk_create(new)
    refresh_ticket_sla(ticket)


def _latest(ticket, name: str):
    return (Clock.objects.filter(ticket=ticket, name=name).exclude(state=ClockState.CANCELLED)
            .select_related("policy").order_by("-started_at", "-id").first())


def resume_state(clock: Clock, at: datetime) -> str:
    """The state a clock runs on in after its due or warning moved or it was reopened: a breach
    already recorded stays; thresholds not yet crossed by the sweep are left to the sweep (which
    notifies), so a clock never jumps to breached here."""
    if clock.breached_at is not None and clock.due_at <= at:
        return ClockState.BREACHED
    clock.breached_at = None
    if clock.warned_at is not None and clock.warn_at <= at:
        return ClockState.WARNING
    clock.warned_at = None
    return ClockState.RUNNING


def clocks_resume(ticket, ids: list[int], at: datetime | None = None) -> list[int]:
    """Cancelled clocks (`ids`, of this ticket) run on to their own due, as a reopened step does;
    returns those resumed."""
    at = at or timezone.now()
    resumed = []
    for clock in Clock.objects.filter(ticket=ticket, pk__in=ids, state=ClockState.CANCELLED):
        clock.completed_at = None
        clock.state = resume_state(clock, at)
        clock.save()
        resumed.append(clock.pk)
    refresh_ticket_sla(ticket)
    return resumed


def _reopen(ticket, name: str, at: datetime) -> None:
    """The step is not done after all (its reply was sent back): the clock runs on to its own due."""
    clock = _latest(ticket, name)
    if clock is None or clock.completed_at is None:
        return
    if clock.state == ClockState.BREACHED and clock.breached_at is None:
        clock.breached_at = clock.completed_at  # met late: the breach was recorded at completion
    clock.completed_at = None
    clock.state = resume_state(clock, at)
    clock.save()


def _retime(ticket, name: str, at: datetime) -> None:
    """Set an unfinished clock's limit again from the policy that matches the ticket now."""
    clock = _latest(ticket, name)
    if clock is None or clock.completed_at is not None:
        return
    policy = match_policy(name, ticket, ticket_region_type(ticket))
    if policy is None or policy.pk == clock.policy_id:
        return
    clock.policy = policy
    clock.due_at, clock.warn_at, clock.calendar_known = compute_due(
        policy, clock.started_at, unit=calendar_unit_of(ticket), clock=name)
    clock.state = resume_state(clock, at)
    clock.save()


def clocks_for_new_ticket(ticket, at: datetime | None = None) -> list[Clock]:
    """The clocks a ticket starts with at intake, unsaved (the ticket has no id yet): the
    caller sets `ticket` on them and bulk-creates them after inserting the ticket."""
    new = _new_clocks(ticket, STARTS["registered"], at or timezone.now())
    _set_sla(ticket, [(c.state, c.due_at) for c in new])
    return new


def _new_clocks(ticket, names, at: datetime) -> list[Clock]:
    new = []
    for name in names:
        if not clock_applies(ticket, name):
            continue
        if name in MAJOR_CLOCKS:  # set by business settings, not a clock policy
            due = major_due(name, at)
            new.append(Clock(ticket=ticket if ticket.pk else None, name=name, started_at=at, due_at=due,
                             warn_at=at + (due - at) * float(setting("major_warn_ratio")), state=ClockState.RUNNING))
            continue
        start = clock_start_at(ticket, name, at)
        if name == ClockName.REGULATOR_REPLY:
            policy = None
            due, warn, known = regulator_reply_due(ticket, start)
        else:
            policy = match_policy(name, ticket, ticket_region_type(ticket))
            if policy is None:
                continue
            due, warn, known = compute_due(policy, start, unit=calendar_unit_of(ticket), clock=name)
        # Born running even when already past its warning or due (a late-logged letter): the next
        # sweep warns or breaches it like any clock that crossed, with notifications and supervision.
        new.append(Clock(ticket=ticket if ticket.pk else None, name=name, policy=policy, started_at=start,
                         due_at=due, warn_at=warn, state=ClockState.RUNNING, calendar_known=known))
    return new


def regulator_reply_due(ticket, received: datetime) -> tuple[datetime, datetime, bool]:
    """12398 reply: the business setting's working days from the transfer's receipt, or the
    deadline the regulator's transfer states when that is earlier."""
    result = get_calendar(calendar_unit_of(ticket)).add_working_days(received, setting("regulator_reply_working_days"))
    due, known = result.due_at, result.calendar_known
    if ticket.regulator_due_at and ticket.regulator_due_at < due:
        due, known = ticket.regulator_due_at, True
    warn = received + (due - received) * float(setting("regulator_reply_warn_ratio"))
    return due, warn, known


def _met_or_breached(at):
    # Used in an UPDATE over rows whose due may have passed between sweeps.

    return Case(When(due_at__lt=at, then=Value(ClockState.BREACHED)), default=Value(ClockState.MET))


def clock_extend(ticket, days: int, at: datetime | None = None) -> Clock | None:
    """An approved extension moves the running resolution clock's due by `days` working days."""
    at = at or timezone.now()
    clock = (Clock.objects.filter(ticket=ticket, name=ClockName.RESOLUTION, completed_at__isnull=True)
             .exclude(state=ClockState.CANCELLED).select_related("policy").order_by("-started_at").first())
    if clock is None or clock.policy is None:
        return None
    clock.extended_days += days
    clock.due_at, clock.warn_at, clock.calendar_known = compute_due(
        clock.policy, clock.started_at, unit=calendar_unit_of(ticket), extra_days=clock.extended_days)
    if clock.due_at > at:
        clock.state = ClockState.WARNING if clock.warn_at <= at else ClockState.RUNNING
        clock.breached_at = None
    clock.save()
    refresh_ticket_sla(ticket)
    return clock


def refresh_ticket_sla(ticket) -> None:
    """Set the ticket's worst unfinished clock state and nearest due (saved by the caller)."""
    _set_sla(ticket, list(Clock.objects.filter(ticket=ticket, completed_at__isnull=True)
                          .exclude(state=ClockState.CANCELLED).values_list("state", "due_at")))


def _set_sla(ticket, rows) -> None:
    if not rows:
        ticket.sla_state, ticket.next_due_at = SlaState.NONE, None
        return
    states = {state for state, _ in rows}
    ticket.sla_state = (SlaState.BREACHED if ClockState.BREACHED in states
                        else SlaState.WARNING if ClockState.WARNING in states else SlaState.RUNNING)
    ticket.next_due_at = min(due for _, due in rows)


def working_days_add(*, start: datetime, days: int, unit=None) -> dict:
    """The calculator: `days` working days from `start` under the (unit's) calendar."""
    result = get_calendar(unit).add_working_days(start, days)
    due = timezone.localtime(result.due_at)
    return {"start": timezone.localtime(start).isoformat(), "days": days, "due_at": due.isoformat(),
            "due_display": format_due(due), "calendar_known": result.calendar_known,
            "unit": unit.code if unit else None}
