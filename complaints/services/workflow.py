"""The ticket's life: one table of allowed transitions and one locked transition service.

Every action, status-changing or not, runs through `_act`: it locks the ticket row, checks the
actor's scope (404), role permission (403), the current state and the expected version (409),
lets the action change the ticket, updates the clocks, saves (history row through
django-simple-history), writes the timeline event, and leaves side effects to after commit."""
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from accounts.models import Role, Unit, UnitKind
from accounts.scoping import unit_visible
from accounts.system import SYSTEM_USERNAME
from complaints.actions import ACTIONS
from complaints.models import (
    OPEN_STATUSES,
    Accountability,
    Attachment,
    Callback,
    Channel,
    ContactAttempt,
    ExtensionRequest,
    FollowUp,
    Kind,
    Status,
    Ticket,
    TicketEvent,
)
from complaints.permissions import ticket_scope
from complaints.signals import tickets_changed
from core import filecheck
from core.config import setting
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from notifications.notice import Notice
from notifications.services import notify, supervision_people, unit_people
from sla.calendar import get_calendar
from sla.services import clock_extend, clocks_on

from .closing import followup_schedule, investigation_close_for_ticket, supervision_close_for_ticket

S = Status
# Timeline events that are not transitions: written by intake and by the SLA sweep.
EVENT_LABELS = {"register": gettext_lazy("受理登记"), "auto_supervise": gettext_lazy("系统自动督办"),
                "order_escalated": gettext_lazy("督办升级"), "order_breached": gettext_lazy("督办超期"),
                "extension_withdrawn": gettext_lazy("延期申请自动撤回"),
                "investigation_answered": gettext_lazy("调查任务答复"),
                "investigation_closed": gettext_lazy("调查任务随举报办结"),
                "ledger_reply": gettext_lazy("12398台账：答复监管"), "ledger_close": gettext_lazy("12398台账：销号")}
# While the unit still works on the reply an extension can apply; in any other state a pending
# request is withdrawn automatically.
EXTENSION_STATUSES = (S.DISPATCHED, S.CONTACTED)


def event_label(action: str) -> str:
    """The name a timeline event is shown with (page and API)."""
    label = EVENT_LABELS.get(action) or (ACTIONS[action].label if action in ACTIONS else action)
    return str(label)


# Kinds a hotline agent may answer and close at intake (no unit needs to act).
CLOSABLE_AT_INTAKE = (Kind.ENQUIRY, Kind.PRAISE, Kind.SUGGESTION, Kind.OPINION)


def allowed_actions(user, ticket: Ticket) -> list[str]:
    """The actions this user may take on this ticket now (for buttons and the API)."""
    return [name for name, t in ACTIONS.items()
            if ticket.status in t.sources and user.has_perm(t.permission) and _extra_ok(name, ticket)]


def _extra_ok(action: str, ticket: Ticket) -> bool:
    if action == "request_onsite":
        return not ticket.onsite_required
    if action == "close":
        return ticket.kind in CLOSABLE_AT_INTAKE
    if action == "extension_decision":
        return any(e.decision == ExtensionRequest.Decision.PENDING for e in ticket.rows("extensions"))
    if action == "order_reply":
        return any(o.closed_at is None and o.replied_at is None for o in ticket.rows("supervisions"))
    if action == "order_close":
        return any(o.closed_at is None for o in ticket.rows("supervisions"))
    if action in ("major_report", "major_summary"):
        kind = "flash" if action == "major_report" else "summary"
        return ticket.takes_major_reports and all(r.kind != kind for r in ticket.rows("major_reports"))
    if action in ("investigate", "conclude"):
        return ticket.kind == Kind.REPORT
    if action == "mark_duplicate":  # a report is never linked to another ticket (services/duplicate.py)
        return ticket.kind != Kind.REPORT
    if action == "followup":
        return ticket.kind == Kind.COMPLAINT and bool(ticket.substantiated) and _followup_pending(ticket)
    return True


def _followup_pending(ticket: Ticket) -> bool:
    try:
        return ticket.followup.done_at is None
    except FollowUp.DoesNotExist:
        return False


def _act(*, ticket: Ticket | str, actor, action: str, change: Callable[[Ticket], tuple[str, str, dict]],
         expected_version: int | None = None) -> Ticket:
    transition = ACTIONS[action]
    number = ticket if isinstance(ticket, str) else ticket.number
    with transaction.atomic():
        locked = ticket_scope(actor).select_for_update(of=("self",)).filter(number=number).first()
        if locked is None:
            raise NotFound(gettext("工单不存在或无权查看"))
        if not actor.has_perm(transition.permission):
            raise PermissionDenied(gettext("您的角色无权执行「%(action)s」") % {"action": transition.label})
        if expected_version is not None and locked.version != expected_version:
            raise Conflict(gettext("该工单已被他人修改，请刷新后重试"), code="stale")
        if locked.status not in transition.sources:
            raise Conflict(gettext("工单当前状态为「%(status)s」，不能%(action)s")
                           % {"status": locked.get_status_display(), "action": transition.label},
                           code="invalid_transition")
        before = locked.status
        clock_event, note, data = change(locked)
        if locked.status != before and locked.status not in transition.targets:
            raise AssertionError(f"{action} moved {before} → {locked.status}, not in its table row")
        if clock_event:
            clocks_on(locked, clock_event)
        if before in OPEN_STATUSES and locked.status not in OPEN_STATUSES:
            supervision_close_for_ticket(locked, actor=actor, at=timezone.now())
            investigation_close_for_ticket(locked, actor=actor, at=timezone.now())
            if locked.status == Status.ARCHIVED:
                followup_schedule(locked, at=timezone.now())
        locked.version += 1
        locked._history_user = actor
        locked.save()
        TicketEvent.objects.create(ticket=locked, at=timezone.now(), actor=actor, action=action,
                                   from_status=before, to_status=locked.status, note=note, data=data)
        if locked.status != before and locked.status not in EXTENSION_STATUSES:
            _withdraw_extensions(locked, actor)
        tickets_changed.send(sender=Ticket, tickets=[locked])  # e.g. rescore; red crossing → 投诉风险预警单
    return locked


def ticket_action(*, ticket: Ticket | str, actor, action: str, change: Callable[[Ticket], tuple[str, str, dict]],
                  expected_version: int | None = None) -> Ticket:
    """The locked transition service for actions whose change is written in another services
    module (supervision orders, major-event reports, follow-up calls): `action` must be a row of
    ACTIONS; `change(ticket)` returns (clock event or None, timeline note, event data)."""
    return _act(ticket=ticket, actor=actor, action=action, change=change, expected_version=expected_version)


def _withdraw_extensions(ticket: Ticket, actor) -> None:
    """A pending extension request that can no longer apply (the ticket was replied, closed or
    withdrawn) is withdrawn, with a timeline event, so it does not wait for a decision forever."""
    now = timezone.now()
    for request in ticket.extensions.select_for_update().filter(decision=ExtensionRequest.Decision.PENDING):
        request.decision, request.decided_at = ExtensionRequest.Decision.WITHDRAWN, now
        request.decision_note = (gettext("工单状态变为「%(status)s」，延期申请自动撤回")
                                 % {"status": ticket.get_status_display()})
        request._history_user = actor
        request.save()
        TicketEvent.objects.create(ticket=ticket, at=now, actor=None, action="extension_withdrawn",
                                   from_status=ticket.status, to_status=ticket.status, note=request.decision_note,
                                   data={"days": request.days, "request": request.pk})


def require(value, field: str, message: str):
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise ValidationFailed(message, fields={field: [message]})
    return value


# --- status-changing actions -------------------------------------------------------------

def dispatch_input_check(actor, unit: Unit | None) -> None:
    """What a dispatch needs whatever the ticket (also checked once for a bulk dispatch)."""
    if unit is None:
        raise ValidationFailed(gettext("请选择承办单位"), fields={"unit": [gettext("请选择承办单位")]})
    if not unit_visible(actor, unit):
        raise ValidationFailed(gettext("承办单位不在您的管辖范围内"),
                               fields={"unit": [gettext("承办单位不在您的管辖范围内")]})


def ticket_dispatch(*, ticket, actor, unit: Unit, note: str = "", expected_version=None) -> Ticket:
    dispatch_input_check(actor, unit)

    def change(t: Ticket):
        if t.kind == Kind.REPORT and unit.kind != UnitKind.DISCIPLINE:
            # Never to the reported unit: an investigation on its side is an InvestigationTask.
            message = gettext("举报只能派发给纪检监察部门")
            raise ValidationFailed(message, fields={"unit": [message]})
        t.unit, t.owner_unit, t.handler, t.status = unit, unit, None, Status.DISPATCHED
        t.dispatched_at = timezone.now()
        if t.service_area_id and t.service_area.unit_id == unit.pk and t.service_area.contact_id:
            t.handler_id = t.service_area.contact_id  # the village's grid contact (一人一村)
        notify_unit(t, "dispatched", Notice(gettext_noop("新派工单 %(number)s，请在时限内联系客户"), number=t.number))
        return "dispatched", note, {"unit": unit.code}

    return _act(ticket=ticket, actor=actor, action="dispatch", change=change, expected_version=expected_version)


def ticket_return(*, ticket, actor, reason: str, expected_version=None) -> Ticket:
    require(reason, "reason", gettext("请填写退单原因"))

    def change(t: Ticket):
        window = setting("return_window_working_days")
        limit = get_calendar(t.unit).add_working_days(t.dispatched_at, window).due_at
        if timezone.now() > limit:
            raise Conflict(gettext("已超过退单时限(派发后%(days)s个工作日)，不能退单") % {"days": window},
                           code="return_window_passed")
        t.status, t.handler = Status.RETURNED, None
        _notify_dispatcher(t, Notice(gettext_noop("工单 %(number)s 被%(unit)s退回，原因：%(reason)s。请重新派发"),
                                     number=t.number, unit=t.unit.name if t.unit else "", reason=reason[:200]))
        return "returned", reason, {"unit": t.unit.code if t.unit else None}

    return _act(ticket=ticket, actor=actor, action="return", change=change, expected_version=expected_version)


def ticket_contact(*, ticket, actor, method: str, note: str = "", reached: bool = True,
                   expected_version=None) -> Ticket:
    if method not in ContactAttempt.Method.values:
        raise ValidationFailed(gettext("联系方式无效"), fields={"method": [gettext("联系方式无效")]})

    def change(t: Ticket):
        now = timezone.now()
        ContactAttempt.objects.create(ticket=t, at=now, method=method, reached=reached, note=note, by=actor)
        event = None
        if reached and t.status == Status.DISPATCHED:
            t.status = Status.CONTACTED
            t.first_contact_at = now
            t.handler = t.handler or actor
            event = "contacted"
        return event, note, {"method": method, "reached": reached}

    return _act(ticket=ticket, actor=actor, action="contact", change=change, expected_version=expected_version)


def onsite_required_after_callback(ticket: Ticket) -> bool:
    """The customer of a 12398 complaint was not satisfied with the reply."""
    return ticket.channel == Channel.REGULATOR_12398 and ticket.kind in (Kind.COMPLAINT, Kind.REPORT)


def onsite_check_before_reply(ticket: Ticket) -> None:
    """A ticket that needs an on-site investigation cannot be replied before one is recorded
    for its current round (since its latest dispatch)."""
    if not ticket.onsite_required:
        return
    since = ticket.dispatched_at or ticket.received_at
    if not ticket.onsite_investigations.filter(recorded_at__gte=since).exists():
        message = gettext("该工单需现场调查：请先登记现场调查(调查人员、时间、调查情况、现场照片)再答复")
        raise ValidationFailed(message, fields={"onsite_investigations": [message]}, code="onsite_required")


def ticket_reply(*, ticket, actor, substantiated: bool, cause: str, measures: str, reply_text: str,
                 expected_version=None) -> Ticket:
    if substantiated is None:
        raise ValidationFailed(gettext("请选择是否属实"), fields={"substantiated": [gettext("请选择是否属实")]})
    require(cause, "cause", gettext("请填写原因"))
    require(measures, "measures", gettext("请填写处理措施"))
    require(reply_text, "reply_text", gettext("请填写答复客户的内容"))

    def change(t: Ticket):
        onsite_check_before_reply(t)
        t.substantiated, t.cause, t.measures, t.reply_text = substantiated, cause, measures, reply_text
        t.status, t.replied_at = Status.REPLIED, timezone.now()
        return "replied", reply_text[:200], {"substantiated": substantiated}

    return _act(ticket=ticket, actor=actor, action="reply", change=change, expected_version=expected_version)


def ticket_review(*, ticket, actor, approved: bool, comment: str = "", expected_version=None) -> Ticket:
    if not approved:
        require(comment, "comment", gettext("退回答复时请填写审核意见"))

    def change(t: Ticket):
        if approved:
            t.status, t.reviewed_at = Status.REVIEWED, timezone.now()
            return "reviewed", comment, {"approved": True}
        t.status = Status.CONTACTED  # back to the unit to reply again; its clocks run on
        notify_unit(t, "reply_rejected", Notice(gettext_noop("工单 %(number)s 答复被退回：%(comment)s"),
                                                   number=t.number, comment=comment[:250]))
        return "reply_rejected", comment, {"approved": False}

    return _act(ticket=ticket, actor=actor, action="review", change=change, expected_version=expected_version)


def ticket_callback(*, ticket, actor, result: str, note: str = "", expected_version=None) -> Ticket:
    if result not in Callback.Result.values:
        raise ValidationFailed(gettext("回访结果无效"), fields={"result": [gettext("回访结果无效")]})

    def change(t: Ticket):
        now = timezone.now()
        Callback.objects.create(ticket=t, at=now, result=result, note=note, by=actor)
        t.callback_attempts += 1
        t.callback_result = result
        if result == Callback.Result.SATISFIED:
            t.status, t.closed_at = Status.ARCHIVED, now
            return "archived", note, {"result": result}
        if result == Callback.Result.UNSATISFIED:
            t.status, t.redispatch_count = Status.DISPATCHED, t.redispatch_count + 1
            t.dispatched_at = now
            t.onsite_required = t.onsite_required or onsite_required_after_callback(t)
            t.callback_attempts = 0
            notify_unit(t, "redispatched", Notice(gettext_noop("工单 %(number)s 回访不满意，已重新派发"),
                                                     number=t.number))
            return "redispatched", note, {"result": result, "redispatch_count": t.redispatch_count}
        tries = setting("callback_unreachable_tries")
        if setting("archive_after_unreachable") and t.callback_attempts >= tries:
            t.status, t.closed_at = Status.ARCHIVED, now
            return "archived", note, {"result": result, "attempts": t.callback_attempts}
        return None, note, {"result": result, "attempts": t.callback_attempts}

    return _act(ticket=ticket, actor=actor, action="callback", change=change, expected_version=expected_version)


def ticket_withdraw(*, ticket, actor, reason: str, expected_version=None) -> Ticket:
    require(reason, "reason", gettext("请填写撤诉说明"))

    def change(t: Ticket):
        t.status, t.closed_at = Status.WITHDRAWN, timezone.now()
        return "withdrawn", reason, {}

    return _act(ticket=ticket, actor=actor, action="withdraw", change=change, expected_version=expected_version)


def ticket_close(*, ticket, actor, reply_text: str, expected_version=None) -> Ticket:
    """An enquiry, praise, suggestion or opinion answered on the call: archived at intake."""
    require(reply_text, "reply_text", gettext("请填写答复内容"))

    def change(t: Ticket):
        if t.kind not in CLOSABLE_AT_INTAKE:
            raise Conflict(gettext("该类型工单需派发处理，不能直接办结"), code="invalid_transition")
        t.reply_text, t.status, t.closed_at = reply_text, Status.ARCHIVED, timezone.now()
        return "closed", reply_text[:200], {}

    return _act(ticket=ticket, actor=actor, action="close", change=change, expected_version=expected_version)


# --- actions that record without changing the status ----------------------------------

def ticket_assign(*, ticket, actor, handler, expected_version=None) -> Ticket:
    def change(t: Ticket):
        if handler is None or handler.unit_id is None or not t.unit or not t.unit.contains(handler.unit):
            raise ValidationFailed(gettext("承办人须属于承办单位"),
                                   fields={"handler": [gettext("承办人须属于承办单位")]})
        t.handler = handler
        return None, "", {"handler": handler.username}

    return _act(ticket=ticket, actor=actor, action="assign", change=change, expected_version=expected_version)


def ticket_extension_request(*, ticket, actor, days: int, reason: str, expected_version=None) -> Ticket:
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise ValidationFailed(gettext("延期天数须为1至30个工作日"),
                               fields={"days": [gettext("延期天数须为1至30个工作日")]})
    require(reason, "reason", gettext("请填写延期原因"))

    def change(t: Ticket):
        if t.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists():
            raise Conflict(gettext("已有待审批的延期申请"), code="extension_pending")
        ExtensionRequest.objects.create(ticket=t, days=days, reason=reason, requested_by=actor)
        _notify_supervision(t, "extension_requested", f"工单 {t.number} 申请延期{days}个工作日")
        return None, reason, {"days": days}

    return _act(ticket=ticket, actor=actor, action="extend", change=change, expected_version=expected_version)


def ticket_extension_decide(*, ticket, actor, approved: bool, note: str = "", expected_version=None) -> Ticket:
    def change(t: Ticket):
        request = t.extensions.select_for_update().filter(decision=ExtensionRequest.Decision.PENDING).first()
        if request is None:
            raise Conflict(gettext("没有待审批的延期申请"), code="no_pending_extension")
        request.decision = (ExtensionRequest.Decision.APPROVED if approved
                            else ExtensionRequest.Decision.REJECTED)
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
        request._history_user = actor
        request.save()
        if approved:
            clock_extend(t, request.days)
        notify_unit(t, "extension_decided",
                     Notice(gettext_noop("工单 %(number)s 延期申请已批准") if approved
                            else gettext_noop("工单 %(number)s 延期申请被驳回"), number=t.number))
        return None, note, {"approved": approved, "days": request.days}

    return _act(ticket=ticket, actor=actor, action="extension_decision", change=change,
                expected_version=expected_version)


def ticket_chase(*, ticket, actor, note: str = "", expected_version=None) -> Ticket:
    def change(t: Ticket):
        t.chase_count += 1
        notify_unit(t, "chased", Notice(gettext_noop("客户催办工单 %(number)s(第%(n)s次)"), number=t.number,
                                        n=t.chase_count))
        return None, note, {"chase_count": t.chase_count}

    return _act(ticket=ticket, actor=actor, action="chase", change=change, expected_version=expected_version)


def ticket_add_info(*, ticket, actor, text: str, expected_version=None) -> Ticket:
    require(text, "text", gettext("请填写补充内容"))

    def change(t: Ticket):
        notify_unit(t, "info_added", Notice(gettext_noop("客户补充了工单 %(number)s 的诉求"), number=t.number))
        return None, text, {}

    return _act(ticket=ticket, actor=actor, action="add_info", change=change, expected_version=expected_version)


def ticket_note(*, ticket, actor, text: str, expected_version=None) -> Ticket:
    require(text, "text", gettext("请填写备注内容"))
    return _act(ticket=ticket, actor=actor, action="note", change=lambda t: (None, text, {}),
                expected_version=expected_version)


def ticket_responsibility(*, ticket, actor, at_fault: bool, unit: Unit | None = None, person: str = "",
                          decision: str = "", note: str = "", expected_version=None) -> Ticket:
    if at_fault is None:
        raise ValidationFailed(gettext("请选择是否有责"), fields={"at_fault": [gettext("请选择是否有责")]})
    if at_fault and decision not in Accountability.Decision.values:
        raise ValidationFailed(gettext("有责投诉须填写考核意见"),
                               fields={"decision": [gettext("有责投诉须填写考核意见")]})

    def change(t: Ticket):
        if at_fault and t.substantiated is False:
            message = gettext("答复为“不属实”的工单不能认定为有责；如核实属实，请先变更核实结论")
            raise ValidationFailed(message, fields={"at_fault": [message]})
        t.at_fault = at_fault
        if at_fault:
            record = Accountability(ticket=t, unit=unit or t.unit, person=person, decision=decision,
                                    note=note, decided_by=actor, decided_at=timezone.now())
            if record.unit_id is None:
                raise ValidationFailed(gettext("请选择责任单位"), fields={"unit": [gettext("请选择责任单位")]})
            record._history_user = actor
            record.save()
        return None, note, {"at_fault": at_fault, "decision": decision, "person": person}

    return _act(ticket=ticket, actor=actor, action="responsibility", change=change,
                expected_version=expected_version)


def ticket_change_finding(*, ticket, actor, substantiated: bool, reason: str, expected_version=None) -> Ticket:
    """Change the reply's finding (属实/不属实) after the fact, with the reason on the timeline and a
    history row. A complaint found not substantiated cannot stay at fault: the decision is cleared."""
    if substantiated is None:
        raise ValidationFailed(gettext("请选择是否属实"), fields={"substantiated": [gettext("请选择是否属实")]})
    require(reason, "reason", gettext("请填写变更理由"))

    def change(t: Ticket):
        if t.substantiated == substantiated:
            raise Conflict(gettext("核实结论未变化"), code="finding_unchanged")
        before, t.substantiated = t.substantiated, substantiated
        if not substantiated:
            t.at_fault = None
        return None, reason, {"from": before, "to": substantiated}

    return _act(ticket=ticket, actor=actor, action="change_finding", change=change,
                expected_version=expected_version)


ALLOWED_UPLOAD_TYPES = {
    "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",), "application/pdf": (".pdf",),
    "audio/mpeg": (".mp3",), "audio/amr": (".amr",), "audio/wav": (".wav",), "text/plain": (".txt",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}


def checked_upload(upload, *, field: str = "file", types: dict = ALLOWED_UPLOAD_TYPES,
                   kinds: str = "jpg、png、pdf、mp3、amr、wav、txt、docx、xlsx") -> tuple:
    """(file to store, stored name, content type) of an upload whose type matches by extension and
    by content (core.filecheck: structure, no scripts or executables; an image becomes its pixels
    re-encoded) and whose size is within the limit; else ValidationFailed on `field`."""
    name = (upload.name or "file")[-200:]
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        message = gettext("附件不能超过%(mb)sMB") % {"mb": mb}
        raise ValidationFailed(message, fields={field: [message]})
    declared = next((ct for ct, exts in types.items() if name.lower().endswith(exts)), None)
    try:
        if declared is None:
            raise filecheck.Refused(gettext("只能上传 %(kinds)s 文件，且内容须与扩展名一致") % {"kinds": kinds})
        upload.seek(0)
        cleaned = filecheck.check(upload.read(), declared, kinds)
        upload.seek(0)
    except filecheck.Refused as refused:
        raise ValidationFailed(refused.message, fields={field: [refused.message]}) from None
    return (upload if cleaned is None else ContentFile(cleaned, name=name)), name, declared


def store_upload(ticket: Ticket, actor, upload, name: str, content_type: str) -> Attachment:
    """Write a checked upload (checked_upload's file) as the ticket's attachment (inside the caller's action)."""
    return Attachment.objects.create(ticket=ticket, file=upload, name=name, content_type=content_type,
                                     size=upload.size, uploaded_by=actor)


def attachment_add(*, ticket, actor, upload) -> Attachment:
    """Store an evidence file: type checked by extension and content, size limited."""
    upload, name, declared = checked_upload(upload)
    holder = {}

    def change(t: Ticket):
        holder["attachment"] = store_upload(t, actor, upload, name, declared)
        return None, name, {"size": upload.size}

    _act(ticket=ticket, actor=actor, action="attach", change=change)
    return holder["attachment"]


# --- notifications -----------------------------------------------------------------------

def notify_unit(ticket: Ticket, kind: str, message: str) -> None:
    people = unit_people(ticket.unit, Role.UNIT_MANAGER)
    if ticket.handler_id:
        people.append(ticket.handler)
    elif ticket.unit_id:
        people += unit_people(ticket.unit, Role.HANDLER)
    notify(users=people, ticket=ticket, kind=kind, message=message)


def return_recipients(ticket: Ticket) -> list:
    """Who hears of a return: the person who dispatched the ticket (its last dispatch), if still
    active and still dispatching; else the leads of that person's unit; for an automatic dispatch
    (the system user), or when that unit has no lead, the leads of the unit that took the call."""
    last = (TicketEvent.objects.filter(ticket=ticket, action="dispatch").select_related("actor__unit")
            .order_by("-at", "-id").first())
    dispatcher = last.actor if last else None
    if dispatcher is not None and dispatcher.username != SYSTEM_USERNAME:
        if dispatcher.is_active and dispatcher.has_perm(ACTIONS["dispatch"].permission):
            return [dispatcher]
        leads = unit_people(dispatcher.unit, Role.LEAD)
        if leads:
            return leads
    return unit_people(ticket.intake_unit, Role.LEAD)


def _notify_dispatcher(ticket: Ticket, message: str) -> None:
    notify(users=return_recipients(ticket), ticket=ticket, kind="returned", message=message)


def _notify_supervision(ticket: Ticket, kind: str, message: str) -> None:
    notify(users=supervision_people(), ticket=ticket, kind=kind, message=message)
