"""A misconduct report's investigation (seed 003: 凡涉及违纪的，应及时移交纪检监察部门调查处理).

The discipline office may ask a unit — the reported station, or a unit above it — to look into the
matter (`investigation_issue`). The task carries only the matter the office wrote: the unit never
sees the report, its number or its complainant (the report stays 404 for it), and the service
refuses a matter that names the complainant. The unit answers its task (`investigation_answer`), the
answer is written on the report's timeline, which only those who may see reports read; the office
concludes the report (`report_conclude`), which archives it and closes any task still open.

Issuing and concluding run through the locked transition service (`ticket_action`); an answer
locks the report row and then the task, in the order the transition service locks them."""
from datetime import datetime

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import Role, Unit, UnitKind
from accounts.scoping import visible_unit_ids
from complaints.models import Attachment, InvestigationTask, Kind, Status, Ticket, TicketEvent
from complaints.policy import holds, mask_phone
from core.errors import Conflict, NotFound, ValidationFailed
from notifications.notice import Notice
from notifications.services import notify, notify_many, unit_people
from sla.workcal import format_due

from .closing import unit_recipients
from .workflow import checked_upload, require, store_upload, ticket_action

MAX_FILES = 10


def investigation_targets(actor) -> QuerySet:
    """The units the discipline office may ask to investigate: every unit of the company it serves
    (its parent's subtree), other than discipline offices."""
    unit = actor.unit
    if unit is None:
        return Unit.objects.none()
    reach = unit.parent if unit.parent_id else unit
    return (Unit.objects.filter(path__startswith=reach.path, parent__isnull=False)
            .exclude(kind=UnitKind.DISCIPLINE).order_by("path"))


def _identifying(ticket: Ticket) -> list[str]:
    """What of the report would tell a unit who reported it, or which report it is."""
    values = [ticket.customer_name, ticket.customer_phone, mask_phone(ticket.customer_phone), ticket.account_no,
              ticket.address, ticket.number, ticket.regulator_ref]
    return [v for v in values if v and len(v.strip()) >= 2]


def investigation_issue(*, ticket, actor, unit: Unit | None, matter: str, due_at: datetime | None,
                        expected_version=None) -> Ticket:
    """The discipline office asks `unit` to investigate the report's matter by `due_at`."""
    if unit is None:
        raise ValidationFailed(gettext("请选择调查单位"), fields={"unit": [gettext("请选择调查单位")]})
    require(matter, "matter", gettext("请填写调查事项"))
    require(due_at, "due_at", gettext("请填写答复期限"))
    if due_at <= timezone.now():
        message = gettext("答复期限须晚于当前时间")
        raise ValidationFailed(message, fields={"due_at": [message]})
    matter = matter.strip()

    def change(t: Ticket):
        if not t.takes_investigation_tasks:
            raise Conflict(gettext("只有举报件可下发调查任务"), code="invalid_transition")
        if not investigation_targets(actor).filter(pk=unit.pk).exists():
            message = gettext("调查单位不在本纪检监察部门的管辖范围内")
            raise ValidationFailed(message, fields={"unit": [message]})
        if any(value in matter for value in _identifying(t)):
            message = gettext("调查事项不得写入举报人的姓名、电话、户号、地址或举报件编号")
            raise ValidationFailed(message, fields={"matter": [message]})
        task = InvestigationTask(ticket=t, unit=unit, matter=matter, due_at=due_at, issued_by=actor,
                                 issued_at=timezone.now())
        task._history_user = actor
        task.save()

        # No ticket on the notification: the report's number is what the unit must not learn.
        notify(users=unit_recipients(unit), ticket=None, kind="investigation_task",
               message=Notice(gettext_noop("纪检监察部门下发调查任务（任务 %(id)s），"
                                           "请于 %(due)s 前在「调查任务」中答复"),
                              id=task.pk, due=format_due(timezone.localtime(due_at))))
        return None, matter, {"task": task.pk, "unit": unit.code, "due_at": due_at.isoformat()}

    return ticket_action(ticket=ticket, actor=actor, action="investigate", change=change,
                         expected_version=expected_version)


def investigation_tasks(user) -> QuerySet:
    """The tasks addressed to the user's unit subtree, for those who handle their unit's work (a
    leader or an administrator reads a report's matter no more than the report)."""
    if not holds(user, "complaints.handle_ticket"):
        return InvestigationTask.objects.none()
    qs = InvestigationTask.objects.all()
    ids = visible_unit_ids(user)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    # Awaiting an answer first, the nearest due first (NULLs sort last on PostgreSQL unless told).
    return qs.select_related("unit", "issued_by", "answered_by").order_by(
        F("closed_at").asc(nulls_first=True), F("answered_at").asc(nulls_first=True), "due_at", "id")


def investigation_task(user, task_id) -> InvestigationTask:
    """One task of the user's unit subtree (404 alike for missing and not theirs)."""
    task = (investigation_tasks(user).prefetch_related("files").filter(pk=task_id).first()
            if str(task_id).isdigit() and int(task_id) < 2**31 else None)
    if task is None:
        raise NotFound(gettext("调查任务不存在或无权查看"))
    return task


def investigation_answer(*, task_id, actor, findings: str, files=()) -> InvestigationTask:
    """The unit answers its task: findings and optional files (checked like every upload, stored as the
    report's attachments, so the discipline office reads them on the report)."""
    visible = investigation_task(actor, task_id)  # 404 before the answer is even looked at
    require(findings, "findings", gettext("请填写调查情况"))
    files = list(files or ())
    if len(files) > MAX_FILES:
        message = gettext("附件最多 %(n)s 个") % {"n": MAX_FILES}
        raise ValidationFailed(message, fields={"files": [message]})
    checked = [checked_upload(upload, field="files") for upload in files]
    with transaction.atomic():
        report = Ticket.objects.select_for_update().get(pk=visible.ticket_id)
        task = InvestigationTask.objects.select_for_update().select_related("unit").get(pk=visible.pk)
        if task.closed_at is not None:
            raise Conflict(gettext("该调查任务已办结，不能再答复"), code="task_closed")
        if task.answered_at is not None:
            raise Conflict(gettext("该调查任务已答复"), code="task_answered")
        now = timezone.now()
        task.findings, task.answered_at, task.answered_by = findings.strip(), now, actor
        task._history_user = actor
        task.save()
        stored: list[Attachment] = [store_upload(report, actor, upload, name, kind) for upload, name, kind in checked]
        task.files.set(stored)
        TicketEvent.objects.create(ticket=report, at=now, actor=actor, action="investigation_answered",
                                   from_status=report.status, to_status=report.status, note=task.findings[:2000],
                                   data={"task": task.pk, "unit": task.unit.code, "files": len(stored)})

        office = unit_people(report.owner_unit, Role.DISCIPLINE) + ([task.issued_by] if task.issued_by_id else [])
        notify(users=office, ticket=report, kind="investigation_answered",
               message=Notice(gettext_noop("举报 %(number)s 的调查任务已由 %(unit)s 答复"), number=report.number,
                              unit=task.unit.name))
    return task


def report_conclude(*, ticket, actor, substantiated: bool | None, conclusion: str, expected_version=None) -> Ticket:
    """The discipline office's conclusion on a report: substantiated or not, and what was found and
    decided. The report is archived (it leaves every open queue) and its open tasks are closed."""
    if substantiated is None:
        raise ValidationFailed(gettext("请选择是否属实"), fields={"substantiated": [gettext("请选择是否属实")]})
    require(conclusion, "conclusion", gettext("请填写调查结论"))

    def change(t: Ticket):
        if t.kind != Kind.REPORT:
            raise Conflict(gettext("只有举报件可作出举报调查结论"), code="invalid_transition")
        now = timezone.now()
        t.substantiated, t.reply_text = substantiated, conclusion.strip()
        t.status, t.closed_at = Status.ARCHIVED, now
        return "concluded", t.reply_text[:2000], {"substantiated": substantiated}

    return ticket_action(ticket=ticket, actor=actor, action="conclude", change=change,
                         expected_version=expected_version)


def investigation_overdue_sweep(now: datetime | None = None, chunk: int = 500) -> int:
    """Beat: an open task whose due has passed unanswered is reported once — to its unit (without the
    report) and to the discipline office (with it). Compare-and-set on `overdue_at`, so an overlapping
    run reports nothing twice. Returns how many tasks were reported."""
    now = now or timezone.now()
    due = InvestigationTask.objects.filter(closed_at__isnull=True, answered_at__isnull=True, overdue_at__isnull=True,
                                           due_at__lte=now)
    done = 0
    while True:
        with transaction.atomic():
            ids = list(due.order_by("due_at", "id").values_list("id", flat=True)[:chunk])
            if not ids:
                break
            claimed = list(due.filter(id__in=ids).select_for_update(of=("self",))
                           .select_related("unit", "ticket", "ticket__owner_unit"))
            InvestigationTask.objects.filter(id__in=[t.pk for t in claimed], overdue_at__isnull=True).update(
                overdue_at=now)
            offices: dict[int, list] = {}
            items = []
            for task in claimed:
                office = task.ticket.owner_unit
                if office.pk not in offices:
                    offices[office.pk] = unit_people(office, Role.DISCIPLINE)
                items.append((unit_recipients(task.unit), None, "investigation_overdue",
                              gettext("调查任务 %(id)s 已超过答复期限，请尽快答复") % {"id": task.pk}))
                items.append((offices[office.pk], task.ticket, "investigation_overdue",
                              gettext("举报 %(number)s 的调查任务（%(unit)s）超期未答复")
                              % {"number": task.ticket.number, "unit": task.unit.name}))
            notify_many(items)
            done += len(claimed)
        if len(ids) < chunk:
            break
    return done
