"""Every write of the risk app. Scores are recomputed after each ticket event (inside the event's
transaction, under its row lock) and by the sweep (beat) in bulk; crossing the red threshold
issues one 投诉风险预警单 per crossing — a compare-and-set on `red_since` decides which caller
issues it, so concurrent events and an overlapping sweep never issue two."""
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role
from complaints.models import OPEN_STATUSES, Channel, SupervisionOrder, Ticket, TicketEvent
from complaints.permissions import access_ticket
from complaints.services import ticket_supervise
from complaints.services.supervision import order_deadline, supervision_issue_automatic
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from notifications.services import notify_many, supervision_people

from .features import SHARES, Context, live_features, live_rows, locked_chunk
from .models import Level, RegulatorCase, SensitiveCustomer, TicketRisk
from .scoring import BY_CODE, Model, factor_label

log = logging.getLogger(__name__)
CHUNK = 5000


@dataclass
class RefreshResult:
    scored: int = 0
    written: int = 0  # rows written ((ticket id, score, level, factors) in `rows`)
    removed: int = 0
    warnings: int = 0
    rows: list = field(default_factory=list, repr=False)

    def add(self, other: "RefreshResult") -> None:
        for name in ("scored", "written", "removed", "warnings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def counts(self) -> dict:
        return {name: getattr(self, name) for name in ("scored", "written", "removed", "warnings")}


def risk_refresh(ticket_ids: list[int], *, now: datetime | None = None, model: Model | None = None) -> RefreshResult:
    """Recompute the scores of these tickets; write the rows that changed, drop the rows of
    tickets no longer open, and issue a risk warning for each red crossing. Call inside a
    transaction that holds the tickets' rows (an action's lock). Four plain queries read what the
    score needs (the tickets, their callback and clock counts, their customers' history) and, when
    a score changed, one writes it. (One query of correlated counts read the same in fewer
    statements but cost ~30 ms to build and run against ~6 ms for these.)"""
    now = now or timezone.now()
    rows = live_rows(ticket_ids)
    result = _rescore(rows, now, model or Model(), Context.read_for(rows, now))
    if len(rows) < len(ticket_ids):  # some are no longer open: their rows go
        open_ids = {r["id"] for r in rows}
        closed = [i for i in ticket_ids if i not in open_ids]
        result.removed = TicketRisk.objects.filter(ticket_id__in=closed).delete()[0]
    return result


def _rescore(rows: list[dict], now: datetime, model: Model, context: Context) -> RefreshResult:
    features = live_features(rows, now, context)
    result = RefreshResult(scored=len(rows))
    write, rearm, red = [], [], []
    for r in rows:
        if r["risk__updated_at"] and r["risk__updated_at"] >= context.read_at:
            continue  # an action rescored it after the sweep read its counts: that score is fresher
        score, level, factors = model.score(features[r["id"]])
        if level == Level.RED and r["risk__red_since"] is None:
            red.append(r)  # not yet warned in this crossing (also when a failed warning left it so)
        if (r["risk__score"], r["risk__level"]) == (score, level) and r["risk__factors"] == factors:
            continue
        write.append((r["id"], score, level, factors))
        if r["risk__red_since"] is not None and level != Level.RED:
            rearm.append(r["id"])  # leaving red re-arms the warning for the next crossing
    _upsert(write, now)
    result.written, result.rows = len(write), write
    if rearm:
        TicketRisk.objects.filter(ticket_id__in=rearm).update(red_since=None)
    if red:
        scored = {row[0]: row for row in write}
        result.warnings = _warn([(r, *(scored[r["id"]][1:] if r["id"] in scored else
                                       (r["risk__score"], r["risk__level"], r["risk__factors"]))) for r in red], now)
    return result


def _upsert(rows: list[tuple], now: datetime) -> None:
    """INSERT … ON CONFLICT DO UPDATE of (ticket id, score, level, factors) rows — plain SQL: the
    sweep writes up to every open ticket's row and model instances would cost more than the SQL.
    PostgreSQL takes each column as one array (UNNEST), so 5,000 rows are 5 parameters."""
    if not rows:
        return
    qn = connection.ops.quote_name
    at = connection.ops.adapt_datetimefield_value(now)
    columns = ", ".join(qn(c) for c in ("ticket_id", "score", "level", "factors", "updated_at"))
    updates = ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in ("score", "level", "factors", "updated_at"))
    conflict = f"ON CONFLICT ({qn('ticket_id')}) DO UPDATE SET {updates}"
    table = qn(TicketRisk._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids, scores, levels, factors = zip(*rows, strict=True)
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT *, %s FROM UNNEST(%s::bigint[], %s::integer[], "
                           f"%s::varchar[], %s::jsonb[]) {conflict}",
                           [at, list(ids), list(scores), list(levels), [json.dumps(f) for f in factors]])
            return
        batch = (connection.features.max_query_params or 5000) // 5
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(part))} "
                           f"{conflict}", [v for ticket_id, score, level, factors in part
                                           for v in (ticket_id, score, level, json.dumps(factors), at)])


def _warn(crossings: list[tuple], now: datetime) -> int:
    """Claim and warn the red crossings — (live row, score, level, factors) — in a savepoint: if
    issuing fails, the event or the sweep that scored them still commits, their red_since stays
    unset and the next rescoring warns."""
    try:
        with transaction.atomic():
            claimed = set(_claim_red([c[0]["id"] for c in crossings], now))
            return _issue_warnings([c for c in crossings if c[0]["id"] in claimed], now)
    except DatabaseError:
        log.exception("risk warnings for %s not issued; the next rescoring will", [c[0]["id"] for c in crossings][:20])
        return 0


def _claim_red(ticket_ids: list[int], now: datetime) -> list[int]:
    """Compare-and-set red_since on red rows that have not been warned in this crossing; returns
    the ids this caller claimed (UPDATE … RETURNING: a concurrent caller gets none of them)."""
    table = connection.ops.quote_name(TicketRisk._meta.db_table)
    claimed = []
    with connection.cursor() as cursor:
        for start in range(0, len(ticket_ids), 1000):
            part = ticket_ids[start:start + 1000]
            cursor.execute(f"UPDATE {table} SET red_since = %s WHERE level = %s AND red_since IS NULL "
                           f"AND ticket_id IN ({', '.join(['%s'] * len(part))}) RETURNING ticket_id",
                           [connection.ops.adapt_datetimefield_value(now), Level.RED, *part])
            claimed += [row[0] for row in cursor.fetchall()]
    return claimed


class _Ref:
    """The ticket reference notify_many needs (pk and number) without loading the ticket."""

    def __init__(self, row: dict):
        self.pk, self.number = row["id"], row["number"]


def _issue_warnings(crossings: list[tuple], now: datetime) -> int:
    """One automatic 投诉风险预警单 per crossing (a supervision order of kind risk_warning, with the
    order clock of complaints.services.supervision, so it is answered, closed and escalated like
    any order) with its timeline event, through the supervision service's bulk path; the units'
    managers and the supervision office told. A few queries whatever the number of crossings."""
    if not crossings:
        return 0
    due, warn = order_deadline(now)
    labels = {code: str(f.label) for code, f in BY_CODE.items()}  # translated once, not per ticket
    orders, items = [], []
    office = supervision_people()
    units = {r["unit_id"] or r["owner_unit_id"] for r, *_ in crossings}
    managers: dict[int, list] = {}
    for user in get_user_model().objects.filter(unit_id__in=units, is_active=True,
                                                groups__name=Role.UNIT_MANAGER).distinct():
        managers.setdefault(user.unit_id, []).append(user)
    order_text = gettext("风险分 %(score)s(红色)，有升级为12398投诉的风险：%(why)s。请提级处理、主动联系客户化解")
    notice_text = gettext("工单 %(number)s 风险分 %(score)s 达到红色，已发出投诉风险预警单")
    for r, score, _level, factors in crossings:
        why = "、".join(factor_label(f, labels) for f in factors[:3])
        content = order_text % {"score": score, "why": why}
        orders.append((r["id"], r["status"], content,
                       {"kind": SupervisionOrder.OrderKind.RISK_WARNING.value, "score": score,
                        "due_at": due.isoformat()}))
        items.append((managers.get(r["unit_id"] or r["owner_unit_id"], []) + office, _Ref(r), "risk_warning",
                      notice_text % {"number": r["number"], "score": score}))
    issued = supervision_issue_automatic(orders, kind=SupervisionOrder.OrderKind.RISK_WARNING, due=due, warn=warn,
                                         now=now, reason=gettext("风险分达到红色，自动发出投诉风险预警单"))
    notify_many(items)
    return issued


def risk_after_action(*, tickets: list[Ticket], **_signal) -> None:
    """Receiver of complaints' `tickets_changed` (transition service and intake): rescore after the
    event, in the event's transaction (its statements are the event's: no savepoint on this path)."""
    now = timezone.now()
    result = risk_refresh([t.pk for t in tickets], now=now)
    written = {row[0]: row for row in result.rows}
    for t in tickets:  # the caller may answer with the ticket (intake's 201) without reading it back
        if t.pk in written:
            _id, score, level, factors = written[t.pk]
            t.risk = TicketRisk(ticket_id=t.pk, score=score, level=level, factors=factors, updated_at=now)


def risk_sweep(*, now: datetime | None = None, chunk: int = CHUNK) -> RefreshResult:
    """Rescore every open ticket in chunks (beat). Each chunk is read and locked in one query with
    SKIP LOCKED, so a ticket an action holds right now is left to that action's own rescoring."""
    now = now or timezone.now()
    model = Model()
    SHARES.changed()  # every process takes the shares of this moment
    context = Context.read(now)
    result = RefreshResult()
    last = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A chunk lost in a crash is recomputed by the next sweep (its warnings with it:
                # they are written in the same transaction as their red_since), so the commit
                # need not wait for the disk.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            rows = locked_chunk(after=last, limit=chunk)
            if not rows:
                break
            result.add(_rescore(rows, now, model, context))
            last = rows[-1]["id"]
        if len(rows) < chunk:
            break
    result.removed += TicketRisk.objects.exclude(ticket__status__in=OPEN_STATUSES).delete()[0]
    return result


MAX_FOLLOW_UP = 100


def risk_follow_up(*, actor, numbers: list[str], content: str) -> dict[str, str]:
    """Bulk follow-up from the risk list: a supervision order (督办单) on each ticket through the
    transition service (scope, state and permission checked per ticket) and the risk row marked
    followed up. Returns number → "ok" | "not_found" | "invalid_transition"."""
    if not actor.has_perm("complaints.supervise_ticket"):
        raise PermissionDenied(gettext("您的角色无权督办"))
    numbers = list(dict.fromkeys(n.strip() for n in numbers if n and n.strip()))
    if not numbers:
        raise ValidationFailed(gettext("请选择工单"), fields={"numbers": [gettext("请选择工单")]})
    if len(numbers) > MAX_FOLLOW_UP:
        message = gettext("一次最多跟进 %(n)s 张工单") % {"n": MAX_FOLLOW_UP}
        raise ValidationFailed(message, fields={"numbers": [message]})
    if not (content or "").strip():
        raise ValidationFailed(gettext("请填写督办内容"), fields={"content": [gettext("请填写督办内容")]})
    results = {}
    for number in numbers:
        try:
            with transaction.atomic():
                ticket = ticket_supervise(ticket=number, actor=actor, kind=SupervisionOrder.OrderKind.SUPERVISION,
                                          content=content.strip())
                TicketRisk.objects.filter(ticket_id=ticket.pk).update(followed_up_at=timezone.now(),
                                                                      followed_up_by=actor)
        except NotFound:
            results[number] = "not_found"
        except Conflict as exc:
            results[number] = exc.code
        else:
            results[number] = "ok"
    return results


def _customer_open_ids(*, account_no: str, phone: str) -> list[int]:
    match = Q(pk__in=[])
    if account_no:
        match |= Q(account_no=account_no)
    if phone:
        match |= Q(customer_phone=phone)
    return list(Ticket.objects.filter(match, status__in=OPEN_STATUSES).values_list("pk", flat=True)[:500])


def sensitive_mark(*, actor, account_no: str = "", phone: str = "", reason: str):
    """Mark a customer sensitive by hand (the supervision office), with a reason; their open
    tickets are rescored at once."""
    if not actor.has_perm("complaints.supervise_ticket"):
        raise PermissionDenied(gettext("您的角色无权标记敏感客户"))
    account_no, phone, reason = (account_no or "").strip(), (phone or "").strip(), (reason or "").strip()
    if not (account_no or phone):
        message = gettext("户号和电话至少填写一项")
        raise ValidationFailed(message, fields={"account_no": [message]})
    if phone and not phone.replace("-", "").isdigit():
        message = gettext("电话号码只能包含数字和 -")
        raise ValidationFailed(message, fields={"phone": [message]})
    if not reason:
        raise ValidationFailed(gettext("请填写标记原因"), fields={"reason": [gettext("请填写标记原因")]})
    with transaction.atomic():
        mark = SensitiveCustomer.objects.create(account_no=account_no[:32], phone=phone[:20], reason=reason[:200],
                                                marked_by=actor, marked_at=timezone.now())
        risk_refresh(_customer_open_ids(account_no=mark.account_no, phone=mark.phone))
    return mark


def sensitive_remove(*, actor, mark_id: int, reason: str):
    """Withdraw a hand-made mark (kept, with who, when and why)."""
    if not actor.has_perm("complaints.supervise_ticket"):
        raise PermissionDenied(gettext("您的角色无权撤销敏感客户标记"))
    if not (reason or "").strip():
        raise ValidationFailed(gettext("请填写撤销原因"), fields={"reason": [gettext("请填写撤销原因")]})
    with transaction.atomic():
        mark = SensitiveCustomer.objects.select_for_update().filter(pk=mark_id, removed_at__isnull=True).first()
        if mark is None:
            raise NotFound(gettext("没有该敏感客户标记"))
        mark.removed_at, mark.removed_by, mark.removed_reason = timezone.now(), actor, reason.strip()[:200]
        mark.save()
        risk_refresh(_customer_open_ids(account_no=mark.account_no, phone=mark.phone))
    return mark


def _ledger_case(actor, number: str):
    """The locked ledger row of a 12398 ticket the actor may see (created on first use)."""
    ticket = access_ticket(actor, number)  # 404 before 403: a ticket outside the scope does not exist
    if not actor.has_perm("complaints.supervise_ticket"):
        raise PermissionDenied(gettext("您的角色无权办理12398台账"))
    if ticket.channel != Channel.REGULATOR_12398:
        message = gettext("该工单不是12398转办工单")
        raise ValidationFailed(message, fields={"number": [message]})
    RegulatorCase.objects.get_or_create(ticket=ticket)
    return ticket, RegulatorCase.objects.select_for_update().get(ticket=ticket)


def ledger_reply(*, actor, number: str, text: str):
    """Record the reply sent to the regulator (答复监管)."""
    if not (text or "").strip():
        raise ValidationFailed(gettext("请填写答复监管的内容"), fields={"text": [gettext("请填写答复监管的内容")]})
    with transaction.atomic():
        ticket, case = _ledger_case(actor, number)
        if case.state == RegulatorCase.State.CLOSED:
            raise Conflict(gettext("该12398工单已销号"), code="ledger_closed")
        case.reply_to_regulator, case.replied_at, case.replied_by = text.strip(), timezone.now(), actor
        case.state = RegulatorCase.State.REPLIED
        case.save()
        _ledger_event(ticket, actor, "ledger_reply", case.reply_to_regulator, case.replied_at)
    return case


def ledger_close(*, actor, number: str, confirmation: str):
    """销号: the regulator confirmed the case closed — only after the reply and once the ticket
    itself is closed (archived or withdrawn)."""
    if not (confirmation or "").strip():
        message = gettext("请填写监管确认情况(如确认人、确认方式)")
        raise ValidationFailed(message, fields={"confirmation": [message]})
    with transaction.atomic():
        ticket, case = _ledger_case(actor, number)
        if case.state == RegulatorCase.State.CLOSED:
            raise Conflict(gettext("该12398工单已销号"), code="ledger_closed")
        if case.state != RegulatorCase.State.REPLIED:
            raise Conflict(gettext("请先登记答复监管情况，再销号"), code="ledger_not_replied")
        if ticket.status in OPEN_STATUSES:
            raise Conflict(gettext("工单尚未办结，不能销号"), code="ledger_ticket_open")
        case.confirmation, case.closed_at, case.closed_by = confirmation.strip()[:500], timezone.now(), actor
        case.state = RegulatorCase.State.CLOSED
        case.save()
        _ledger_event(ticket, actor, "ledger_close", case.confirmation, case.closed_at)
    return case


def _ledger_event(ticket: Ticket, actor, action: str, note: str, at: datetime) -> None:
    """The ledger's steps on the ticket's timeline (page and API events), beside its own history."""
    TicketEvent.objects.create(ticket=ticket, at=at, actor=actor, action=action, from_status=ticket.status,
                               to_status=ticket.status, note=note, data={"regulator_ref": ticket.regulator_ref})
