"""Every change to an outage event: entry by the unit's staff, push by the distribution system
(idempotent by its id), restoration — which closes the linked open enquiries and sends each caller
one SMS through the outbox — and the call logged at intake as an outage enquiry."""
import logging
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Unit
from accounts.system import system_user
from complaints.models import Kind, ServiceArea, Ticket
from complaints.services import ticket_close, ticket_register, ticket_register_closed
from core.config import DEFAULTS, setting
from core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from notifications.services import sms_customers

from .models import OutageCall, OutageEvent, OutageKind
from .permissions import may_manage_event_of, may_manage_outages

log = logging.getLogger(__name__)
FUTURE_SKEW = timedelta(minutes=5)


@dataclass
class OutageData:
    kind: str
    cause: str
    unit: Unit | None
    start_at: datetime | None
    expected_restore_at: datetime | None = None
    service_areas: list[ServiceArea] = dataclass_field(default_factory=list)
    keywords: str = ""
    notice_sent_at: datetime | None = None
    restored_at: datetime | None = None


def _validate(actor, data: OutageData) -> None:
    errors: dict[str, list[str]] = {}

    def bad(field, message):
        errors.setdefault(field, []).append(message)

    now = timezone.now()
    if data.kind not in OutageKind.values:
        bad("kind", gettext("停电类型无效"))
    if not (data.cause or "").strip():
        bad("cause", gettext("请填写停电原因"))
    if data.unit is None:
        bad("unit", gettext("请选择责任单位"))
    if data.start_at is None:
        bad("start_at", gettext("请填写停电开始时间"))
    if not data.service_areas and not (data.keywords or "").split():
        bad("service_areas", gettext("请选择停电服务区域或填写台区/线路关键词"))
    if data.start_at is not None:
        for field in ("expected_restore_at", "restored_at"):
            value = getattr(data, field)
            if value is not None and value < data.start_at:
                bad(field, gettext("不能早于停电开始时间"))
    for field in ("restored_at", "notice_sent_at"):
        value = getattr(data, field)
        if value is not None and value > now + FUTURE_SKEW:
            bad(field, gettext("时间不能晚于当前时间"))
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    if not may_manage_event_of(actor, data.unit):
        raise PermissionDenied(gettext("只能录入本单位及下级单位的停电信息"))


def _short_notice(event: OutageEvent) -> bool:
    """A planned outage entered less than `outage_notice_days` days before it starts (公告不足7天)."""
    return (event.kind == OutageKind.PLANNED
            and event.start_at - event.entered_at < timedelta(days=setting("outage_notice_days")))


def _apply(event: OutageEvent, data: OutageData) -> None:
    event.kind, event.cause, event.unit = data.kind, data.cause.strip(), data.unit
    event.start_at, event.expected_restore_at = data.start_at, data.expected_restore_at
    event.keywords = " ".join((data.keywords or "").split())
    event.notice_sent_at = data.notice_sent_at or event.notice_sent_at
    event.short_notice = _short_notice(event)


def _save(event: OutageEvent, data: OutageData, actor) -> None:
    event._history_user = actor
    event.save()
    event.service_areas.set(data.service_areas)
    event.refresh_from_db(fields=["service_areas"])  # drops the areas prefetched before the change


def outage_create(*, actor, data: OutageData, source_system: str = "", source_id: str = "") -> OutageEvent:
    if not may_manage_outages(actor):
        raise PermissionDenied(gettext("您的角色无权录入停电信息"))
    _validate(actor, data)
    event = OutageEvent(entered_at=timezone.now(), created_by=actor, source_system=source_system.strip(),
                        source_id=source_id.strip())
    _apply(event, data)
    event.restored_at = data.restored_at
    with transaction.atomic():
        _save(event, data, actor)
        if event.restored_at is not None:
            _restored(event)
    return event


def outage_update(*, actor, event: OutageEvent | int, data: OutageData) -> OutageEvent:
    _validate(actor, data)
    with transaction.atomic():
        locked = _lock(actor, event)
        if locked.restored_at is not None and data.restored_at is None:
            raise Conflict(gettext("该停电已恢复供电，不能修改"), code="invalid_transition")
        restoring = data.restored_at is not None and locked.restored_at is None
        before = _fields(locked)
        _apply(locked, data)
        if restoring:
            locked.restored_at = data.restored_at
        if _fields(locked) != before:  # a repeated identical push writes nothing
            _save(locked, data, actor)
        if restoring:
            _restored(locked)
    return locked


def _fields(event: OutageEvent) -> tuple:
    areas = sorted(a.pk for a in event.service_areas.all()) if event.pk else []
    return (event.kind, event.cause, event.unit_id, event.start_at, event.expected_restore_at, event.keywords,
            event.notice_sent_at, event.restored_at, event.short_notice, areas)


def outage_push(*, actor, source_system: str, source_id: str, data: OutageData) -> tuple[OutageEvent, bool]:
    """The distribution / outage system's push: the first push with (source_system, source_id)
    creates the event, every later one updates it (and restores it when `restored_at` is given).
    Returns (event, created); a repeated identical push changes nothing."""
    source_system, source_id = source_system.strip(), source_id.strip()
    if not source_id:
        raise ValidationFailed(gettext("请提供来源系统编号"), fields={"source_id": [gettext("请提供来源系统编号")]})
    existing = OutageEvent.objects.filter(source_system=source_system, source_id=source_id).first()
    if existing is None:
        try:
            with transaction.atomic():
                return outage_create(actor=actor, data=data, source_system=source_system, source_id=source_id), True
        except IntegrityError:  # a concurrent first push won: this one is an update
            existing = OutageEvent.objects.get(source_system=source_system, source_id=source_id)
    if existing.restored_at is not None and data.restored_at is not None:
        data = replace(data, restored_at=None)  # restored already: a repeated restoration push
        _validate(actor, data)
        return existing, False
    return outage_update(actor=actor, event=existing, data=data), False


def _lock(actor, event) -> OutageEvent:
    pk = event.pk if isinstance(event, OutageEvent) else event
    locked = OutageEvent.objects.select_for_update().select_related("unit").filter(pk=pk).first()
    if locked is None:

        raise NotFound(gettext("停电事件不存在"))
    if not may_manage_event_of(actor, locked.unit):
        raise PermissionDenied(gettext("只能维护本单位及下级单位的停电信息"))
    return locked


def outage_restore(*, actor, event: OutageEvent | int, restored_at: datetime | None = None) -> OutageEvent:
    """Mark the event restored (恢复送电). Once only: a second restoration changes nothing."""
    restored_at = restored_at or timezone.now()
    if restored_at > timezone.now() + FUTURE_SKEW:
        message = gettext("时间不能晚于当前时间")
        raise ValidationFailed(message, fields={"restored_at": [message]})
    with transaction.atomic():
        locked = _lock(actor, event)
        if locked.restored_at is not None:
            return locked
        if restored_at < locked.start_at:
            raise ValidationFailed(gettext("不能早于停电开始时间"),
                                   fields={"restored_at": [gettext("不能早于停电开始时间")]})
        locked.restored_at = restored_at
        locked._history_user = actor
        locked.save(update_fields=["restored_at", "updated_at"])
        _restored(locked)
        return locked


def _restored(event: OutageEvent) -> None:
    """Inside the restoring transaction, on the locked or new row just saved restored: close the
    linked enquiries still open (through the workflow service, as the system) with the reply
    template, and write one SMS per caller to the outbox (sent after commit)."""
    text = outage_text("outage_restored_reply", event)
    calls = list(OutageCall.objects.filter(event=event, notified_at__isnull=True)
                 .select_related("ticket").order_by("id"))
    system = None
    for call in calls:
        if call.ticket.is_open and call.ticket.kind == Kind.ENQUIRY:
            system = system or system_user()
            try:
                ticket_close(ticket=call.ticket.number, actor=system, reply_text=text)
            except ApplicationError:
                log.warning("outage %s: enquiry %s not closed", event.pk, call.ticket.number, exc_info=True)
    phones = list(dict.fromkeys(c.ticket.customer_phone for c in calls if c.ticket.customer_phone))
    sms_customers((phone, text) for phone in phones)
    OutageCall.objects.filter(pk__in=[c.pk for c in calls]).update(notified_at=timezone.now())


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _when(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%m月%d日%H:%M}" if value else ""


def outage_text(key: str, event: OutageEvent) -> str:
    """A reply / SMS from its business-setting template, placeholders {kind} {cause} {area} {start}
    {expected} {restored}. A template an administrator broke falls back to the default."""
    areas = "、".join(a.name for a in event.service_areas.all()) or event.keywords
    values = _Blank(kind=event.get_kind_display(), cause=event.cause, area=areas, start=_when(event.start_at),
                    expected=_when(event.expected_restore_at) or gettext("尽快"), restored=_when(event.restored_at))
    try:
        return str(setting(key)).format_map(values)
    except (ValueError, IndexError, AttributeError):
        return str(DEFAULTS[key][0]).format_map(values)


def outage_call_log(*, actor, event: OutageEvent, data, idempotency_key: str = "", close: bool = True
                    ) -> tuple[Ticket, bool]:
    """Log a call about `event` as an outage enquiry (咨询) linked to it: registered through the
    intake service and, with `close`, answered and closed at once (no dispatch) with the
    `outage_enquiry_reply` text. The caller hears of the restoration by SMS."""
    reply = outage_text("outage_enquiry_reply", event)
    data = replace(data, kind=Kind.ENQUIRY, description=(data.description or "").strip()
                   or gettext("咨询停电：%(text)s") % {"text": reply})
    with transaction.atomic():
        # Serialised with the restoration: a call is linked before it (and texted) or refused after it.
        if not OutageEvent.objects.select_for_update().filter(pk=event.pk, restored_at__isnull=True).exists():
            raise Conflict(gettext("该停电已恢复供电，请按故障报修或咨询登记"), code="invalid_transition")
        def link(ticket):
            OutageCall.objects.create(event=event, ticket=ticket)

        if close:
            return ticket_register_closed(actor=actor, data=data, reply_text=reply, idempotency_key=idempotency_key,
                                          on_created=link)
        ticket, created = ticket_register(actor=actor, data=data, idempotency_key=idempotency_key)
        if created:
            link(ticket)
    return ticket, created
