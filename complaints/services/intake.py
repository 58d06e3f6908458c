"""Registering a ticket (受理): number, earlier tickets of the caller, repeat / escalated flags,
severity raise, the starting clocks, and the supervision office told at once of major ones."""
import logging
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from simple_history.utils import bulk_create_with_history

from accounts.models import Unit
from accounts.scoping import discipline_office
from complaints.models import (
    SEVERITY_RANK,
    Category,
    Channel,
    IdempotencyKey,
    Kind,
    Mood,
    ServiceArea,
    ServiceType,
    Severity,
    Ticket,
    TicketEvent,
    TicketLink,
)
from complaints.signals import tickets_changed
from core.config import setting
from core.errors import ApplicationError, PermissionDenied, ValidationFailed
from notifications.notice import Notice
from notifications.services import notify_many, supervision_people
from sla.models import Clock
from sla.services import clocks_for_new_ticket

from .numbering import next_numbers
from .onsite import onsite_required_at_intake
from .routing import registered_areas, route_ticket, ticket_auto_dispatch
from .workflow import ticket_close

FUTURE_SKEW = timedelta(minutes=5)
OLDEST_RECEIVED = timedelta(days=366)
REGULATOR_CHANNELS = (Channel.REGULATOR_12398,)
GOVERNMENT_CHANNELS = (Channel.REGULATOR_12398, Channel.GOVERNMENT)


@dataclass
class IntakeData:
    channel: str
    kind: str
    customer_name: str
    description: str
    received_at: datetime | None = None
    category: Category | None = None
    severity: str | None = None
    service_type: str = ""
    customer_phone: str = ""
    account_no: str = ""
    address: str = ""
    service_area: ServiceArea | None = None
    mood: str = Mood.CALM
    regulator_ref: str = ""
    regulator_due_at: datetime | None = None
    paid_at: datetime | None = None
    wide_impact: bool = False


# Letters and visits are logged after they arrive: their real received time must be given.
ENTERED_RECEIVED = (Channel.LETTER, Channel.VISIT)


def _validate(data: IntakeData, now: datetime) -> None:
    errors = intake_errors(data, now)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, fields=errors)


def intake_errors(data: IntakeData, now: datetime) -> dict[str, list[str]]:
    """Every rule an intake breaks, all at once (the intake page checks them with its own field
    errors, so an empty submit reports everything in one pass)."""
    errors: dict[str, list[str]] = {}

    def bad(field, message):
        errors.setdefault(field, []).append(message)

    if data.channel not in Channel.values:
        bad("channel", gettext("渠道无效"))
    if data.kind not in Kind.values:
        bad("kind", gettext("工单类型无效"))
    if data.severity and data.severity not in Severity.values:
        bad("severity", gettext("级别无效"))
    if data.service_type and data.service_type not in ServiceType.values:
        bad("service_type", gettext("服务类型无效"))
    if data.mood not in Mood.values:
        bad("mood", gettext("客户情绪无效"))
    if not (data.customer_name or "").strip():
        bad("customer_name", gettext("请填写客户姓名"))
    if not (data.description or "").strip():
        bad("description", gettext("请填写诉求内容"))
    if not (data.customer_phone or data.account_no):
        bad("customer_phone", gettext("联系电话和户号至少填写一项"))
    if data.customer_phone and not data.customer_phone.replace("-", "").replace("+", "").isdigit():
        bad("customer_phone", gettext("电话号码只能包含数字和 -"))
    if data.kind == Kind.COMPLAINT and data.category is None:
        bad("category", gettext("投诉须选择分类"))
    if data.category is not None and not data.category.parent_id:
        bad("category", gettext("请选择具体的分类项目，而不是大类"))
    if data.channel in ENTERED_RECEIVED and data.received_at is None:
        bad("received_at", gettext("来信、来访须填写实际收到时间"))
    for field in ("received_at", "paid_at"):
        value = getattr(data, field)
        if value is not None and value > now + FUTURE_SKEW:
            bad(field, gettext("时间不能晚于当前时间"))
        if value is not None and value < now - OLDEST_RECEIVED:
            bad(field, gettext("时间不能早于一年前"))
    if data.service_type == ServiceType.RECONNECTION and data.paid_at is None:
        bad("paid_at", gettext("欠费复电须填写缴费时间"))
    if data.regulator_due_at is not None and data.regulator_due_at <= now:
        bad("regulator_due_at", gettext("监管要求办结时间须晚于当前时间"))
    return errors


def earlier_tickets(*, phone: str = "", account_no: str = "") -> QuerySet:
    """The caller's tickets (by phone or account number), newest first; callers slice and scope it."""
    if not phone and not account_no:
        return Ticket.objects.none()
    match = Q()
    if phone:
        match |= Q(customer_phone=phone)
    if account_no:
        match |= Q(account_no=account_no)
    return Ticket.objects.filter(match).order_by("-received_at", "-id")


log = logging.getLogger(__name__)

MAX_BATCH = 100  # tickets per transaction


@dataclass
class _Pending:
    """A valid item, prepared: the unsaved ticket, and then the earlier tickets it links to and the
    rows written with it."""
    index: int
    ticket: Ticket
    key: str
    links: list[tuple[Ticket, str]] = dataclass_field(default_factory=list)
    written: dict = dataclass_field(default_factory=dict)


def ticket_register(*, actor, data: IntakeData, idempotency_key: str = "") -> tuple[Ticket, bool]:
    """Register a ticket. Returns (ticket, created); a repeated idempotency key returns the
    first ticket with created=False."""
    outcome = tickets_register(actor=actor, items=[(data, idempotency_key)])[0]
    if isinstance(outcome, ValidationFailed):
        raise outcome
    return outcome


def ticket_register_closed(*, actor, data: IntakeData, reply_text: str, idempotency_key: str = "",
                           on_created: Callable[[Ticket], None] | None = None) -> tuple[Ticket, bool]:
    """Register a call and answer it at once (当场办结: enquiries, praise, suggestions, opinions) in one
    transaction: both happen or neither. `on_created` links the new ticket to what answered it (an
    outage event, an article) inside the same transaction. A repeated idempotency key returns the
    first ticket as it is."""
    with transaction.atomic():
        ticket, created = ticket_register(actor=actor, data=data, idempotency_key=idempotency_key)
        if created:
            if on_created is not None:
                on_created(ticket)
            ticket = ticket_close(ticket=ticket, actor=actor, reply_text=reply_text, expected_version=ticket.version)
    return ticket, created


def tickets_register(*, actor, items: list[tuple[IntakeData, str]]) -> list[tuple[Ticket, bool] | ValidationFailed]:
    """Register several tickets (a batch pushed by another system) with the rules of one: each item
    gets (ticket, created) or the ValidationFailed that refused it, in order. Valid items are written
    together — one INSERT per table — in transactions that hold no more than MAX_BATCH tickets."""
    if not actor.has_perm("complaints.intake_ticket"):
        raise PermissionDenied(gettext("您的角色无权受理工单"))
    if actor.unit_id is None:
        raise PermissionDenied(gettext("您的账号未设置所属单位，不能受理工单"))
    now = timezone.now()
    outcomes: list = [None] * len(items)
    keys = [key for _data, key in items if key]
    seen = {row.key: row.ticket for row in IdempotencyKey.objects.filter(user=actor, key__in=keys)
            .select_related("ticket")} if keys else {}
    pending: list[_Pending] = []
    callers: set[str] = set()
    office = discipline_office(actor.unit) if any(data.kind == Kind.REPORT for data, _key in items) else None
    registered = registered_areas(data.account_no for data, _key in items if not data.service_area)
    for index, (data, key) in enumerate(items):
        try:
            _validate(data, now)
            if data.kind == Kind.REPORT and office is None:
                raise ValidationFailed(gettext("未设置纪检监察部门，不能受理举报，请联系系统管理员"),
                                       fields={"kind": [gettext("未设置纪检监察部门")]})
        except ValidationFailed as exc:
            outcomes[index] = exc
            continue
        if key and key in seen:
            outcomes[index] = (seen[key], False)
            continue
        caller = {f"p:{data.customer_phone.strip()}", f"a:{data.account_no.strip()}"} - {"p:", "a:"}
        if callers & caller:  # the same caller twice: the second must see the first as an earlier ticket
            _write(actor, pending, now, outcomes)
            pending, callers = [], set()
        pending.append(_prepare(actor, data, key, index, now, office, registered))
        callers |= caller
        if key:
            seen[key] = pending[-1].ticket
    _write(actor, pending, now, outcomes)
    for index, outcome in enumerate(outcomes):
        if isinstance(outcome, tuple) and outcome[1]:
            outcomes[index] = (_auto_dispatch(outcome[0]), True)
    return outcomes


def _auto_dispatch(ticket: Ticket) -> Ticket:
    """Grid routing's automatic dispatch (when an administrator enabled it for the kind); a refusal
    leaves the ticket registered in the lead's queue, as if it were off."""
    try:
        return ticket_auto_dispatch(ticket)
    except ApplicationError:
        log.warning("automatic dispatch of %s refused", ticket.number, exc_info=True)
        return ticket


def _prepare(actor, data: IntakeData, key: str, index: int, now: datetime, office: Unit | None,
             registered: dict) -> _Pending:
    # A report (举报) belongs to the discipline office from the start: never to the intake or reported unit.
    owner = office if data.kind == Kind.REPORT else actor.unit
    ticket = Ticket(
        channel=data.channel, kind=data.kind, service_type=data.service_type or "", category=data.category,
        severity=data.severity or Severity.ORDINARY, received_at=data.received_at or now,
        customer_name=data.customer_name.strip(), customer_phone=data.customer_phone.strip(),
        account_no=data.account_no.strip(), address=data.address.strip(),
        service_area=data.service_area or route_ticket(account_no=data.account_no, address=data.address,
                                                         registered=registered).area,
        description=data.description.strip(),
        mood=data.mood, regulator_ref=data.regulator_ref.strip(), regulator_due_at=data.regulator_due_at,
        paid_at=data.paid_at, wide_impact=data.wide_impact, intake_unit=actor.unit, owner_unit=owner,
        created_by=actor,
    )
    return _Pending(index, ticket, key)


# What _flag reads of the earlier tickets (and the number the new links show).
FLAG_FIELDS = ("id", "number", "category_id", "received_at", "kind", "channel", "status", "callback_result",
               "redispatch_count")


def _write(actor, pending: list[_Pending], now: datetime, outcomes: list) -> None:
    """Insert the prepared tickets with their history row, clocks, links, timeline event and
    idempotency key. A concurrent retry of the same key makes the insert fail: then the items are
    written one at a time, and the one whose key was taken answers with the first ticket."""
    for start in range(0, len(pending), MAX_BATCH):
        chunk = pending[start:start + MAX_BATCH]
        try:
            _insert(actor, chunk, now)
        except IntegrityError:
            if len(chunk) == 1 and not chunk[0].key:
                raise
            for item in chunk:
                outcomes[item.index] = _insert_or_replay(actor, item, now)
            continue
        for item in chunk:
            outcomes[item.index] = (item.ticket, True)
    majors = [item.ticket for item in pending if item.ticket.severity == Severity.MAJOR and outcomes[item.index][1]]
    if majors:
        _notify_major(majors)


def _insert_or_replay(actor, item: _Pending, now: datetime) -> tuple[Ticket, bool]:
    try:
        _insert(actor, [item], now)
    except IntegrityError:
        previous = IdempotencyKey.objects.filter(user=actor, key=item.key).select_related("ticket").first()
        if item.key and previous:
            return previous.ticket, False
        raise
    return item.ticket, True


def _insert(actor, chunk: list[_Pending], now: datetime) -> None:
    with transaction.atomic():
        tickets = [item.ticket for item in chunk]
        _lock_callers(tickets)
        for item in chunk:  # under the callers' locks: every earlier ticket of theirs is committed
            earlier = list(earlier_tickets(phone=item.ticket.customer_phone, account_no=item.ticket.account_no)
                           .only(*FLAG_FIELDS)[:50])
            item.links = _flag(item.ticket, earlier, now)
        for ticket, number in zip(tickets, next_numbers(len(chunk)), strict=True):
            ticket.number = number
        for item in chunk:  # clocks after the numbers: the ticket's fields are final now
            item.written = {"clocks": clocks_for_new_ticket(item.ticket, now)}
        bulk_create_with_history(tickets, Ticket, default_user=actor, default_date=now)
        for item in chunk:
            ticket = item.ticket
            for clock in item.written["clocks"]:
                clock.ticket = ticket
            item.written["links"] = [TicketLink(ticket=ticket, other=other, kind=kind) for other, kind in item.links]
            item.written["events"] = [TicketEvent(ticket=ticket, at=now, actor=actor, action="register",
                                                  to_status=ticket.status, note=_register_note(ticket),
                                                  data={"channel": ticket.channel})]
        for model, name in ((Clock, "clocks"), (TicketLink, "links"), (TicketEvent, "events")):
            model.objects.bulk_create([row for item in chunk for row in item.written[name]])
        IdempotencyKey.objects.bulk_create([IdempotencyKey(user=actor, key=item.key, ticket=item.ticket)
                                            for item in chunk if item.key])
        tickets_changed.send(sender=Ticket, tickets=tickets)  # e.g. the first risk score
    for item in chunk:
        item.ticket.written = item.written  # shown without reading it back (Ticket.rows)


def _lock_callers(tickets: list[Ticket]) -> None:
    """PostgreSQL: concurrent intakes of one caller (phone or account) take turns, so each sees the
    tickets committed before it and 20 calls at once flag 19 repeats. Transaction-level advisory
    locks, taken in one order (no deadlock between two batches), released at commit. SQLite
    writers are serialised by the database already."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({f"intake-caller:{kind}:{value}" for t in tickets
                   for kind, value in (("p", t.customer_phone), ("a", t.account_no)) if value})
    if keys:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h "
                           "FROM unnest(%s::text[]) AS k ORDER BY h) AS locks", [keys])


def _flag(ticket: Ticket, earlier: list[Ticket], now: datetime) -> list[tuple[Ticket, str]]:
    """Repeat (same customer and category within the window) and escalated (12398 on a matter
    already filed at 95598) complaints are flagged, linked and raised to at least important."""
    links = []
    if ticket.kind != Kind.REPORT:
        # An ordinary ticket never points at a report: its viewers must not learn of the report or
        # that their customer filed one (complaints.policy).
        earlier = [other for other in earlier if other.kind != Kind.REPORT]
    window = now - timedelta(days=setting("repeat_window_days"))
    if ticket.kind == Kind.COMPLAINT or ticket.channel in REGULATOR_CHANNELS:
        for other in earlier:
            if (other.category_id and other.category_id == ticket.category_id and other.received_at >= window
                    and other.kind in (Kind.COMPLAINT, Kind.REPORT)):
                ticket.is_repeat = True
                links.append((other, TicketLink.LinkKind.REPEAT))
                break
    if ticket.channel in REGULATOR_CHANNELS:
        for other in earlier:
            if other.channel in (Channel.PHONE_95598, Channel.ONLINE_95598) and (
                    other.is_open or other.received_at >= window):
                ticket.is_escalated = True
                links.append((other, TicketLink.LinkKind.ESCALATED))
                break
    unsatisfied_before = ticket.channel in REGULATOR_CHANNELS and any(
        o.callback_result == "unsatisfied" or o.redispatch_count for o in earlier)
    ticket.onsite_required = onsite_required_at_intake(ticket, unsatisfied_before=unsatisfied_before)
    if ticket.kind == Kind.COMPLAINT and ticket.channel == Channel.MEDIA and setting("media_complaint_major"):
        ticket.severity = Severity.MAJOR  # 新闻媒体直接转办的越级投诉: major, reported upward within 1 hour
    raise_to_important = ticket.is_repeat or ticket.is_escalated or ticket.channel in GOVERNMENT_CHANNELS
    if raise_to_important and SEVERITY_RANK[ticket.severity] < SEVERITY_RANK[Severity.IMPORTANT]:
        ticket.severity = Severity.IMPORTANT
    return links


def _register_note(ticket: Ticket) -> str:
    flags = [label for flag, label in ((ticket.is_repeat, "重复投诉"), (ticket.is_escalated, "越级投诉"),
                                       (ticket.onsite_required, "需现场调查")) if flag]
    return "受理登记" + (f"({'、'.join(flags)})" if flags else "")


def _notify_major(tickets: list[Ticket]) -> None:
    """The supervision office hears of major tickets at once (one digest e-mail for a batch)."""
    people = supervision_people()
    minutes = setting("major_report_minutes")
    notify_many([(people, t, "major", Notice(gettext_noop("重大工单 %(number)s：%(text)s，"
                                                          "请%(minutes)s分钟内报送重大事件快报"),
                                             number=t.number, text=t.description[:80], minutes=minutes))
                 for t in tickets])
