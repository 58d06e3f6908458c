"""现场调查 (seed 002: 对同一问题两次拨打12398热线投诉、投诉工单回访不满意、影响面较大的投诉，启动现场调查):
when a ticket needs one, and recording it — who went, when, what they found, photos — which the
unit must do before its reply is accepted."""
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from complaints.models import Channel, Kind, OnsiteInvestigation, Ticket
from core.errors import Conflict, ValidationFailed
from notifications.notice import Notice

from .workflow import _act, checked_upload, notify_unit, require, store_upload

PHOTO_TYPES = {"image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",)}


def onsite_required_at_intake(ticket: Ticket, *, unsatisfied_before: bool) -> bool:
    """A repeat 12398 complaint or one after an unsatisfied callback; a complaint of wide impact."""
    if ticket.kind == Kind.COMPLAINT and ticket.wide_impact:
        return True
    return ticket.channel == Channel.REGULATOR_12398 and (ticket.is_repeat or unsatisfied_before)


def ticket_request_onsite(*, ticket, actor, reason: str, expected_version=None) -> Ticket:
    """The supervision office asks for an on-site investigation the intake rules did not require."""
    require(reason, "reason", gettext("请填写要求现场调查的原因"))

    def change(t: Ticket):
        if t.onsite_required:
            raise Conflict(gettext("该工单已需现场调查"), code="invalid_transition")
        t.onsite_required = True
        notify_unit(t, "onsite_requested", Notice(gettext_noop("工单 %(number)s 需现场调查：%(reason)s"),
                                                     number=t.number, reason=reason[:100]))
        return None, reason, {}

    return _act(ticket=ticket, actor=actor, action="request_onsite", change=change,
                expected_version=expected_version)


def ticket_onsite_investigation(*, ticket, actor, investigators: str, visited_at: datetime | None,
                                findings: str, photos: list, expected_version=None) -> Ticket:
    require(investigators, "investigators", gettext("请填写调查人员"))
    require(visited_at, "visited_at", gettext("请填写调查时间"))
    require(findings, "findings", gettext("请填写调查情况"))
    if visited_at > timezone.now():
        raise ValidationFailed(gettext("调查时间不能晚于当前时间"),
                               fields={"visited_at": [gettext("调查时间不能晚于当前时间")]})
    if not photos:
        raise ValidationFailed(gettext("请上传现场照片"), fields={"photos": [gettext("请上传现场照片")]})
    checked = [checked_upload(upload, field="photos", types=PHOTO_TYPES, kinds="jpg、png") for upload in photos]

    def change(t: Ticket):
        now = timezone.now()
        record = OnsiteInvestigation(ticket=t, investigators=investigators.strip(), visited_at=visited_at,
                                     findings=findings.strip(), recorded_by=actor, recorded_at=now)
        record._history_user = actor
        record.save()
        record.photos.set([store_upload(t, actor, upload, name, kind) for upload, name, kind in checked])
        return None, findings[:200], {"investigators": record.investigators, "visited_at": visited_at.isoformat(),
                                      "photos": len(checked)}

    return _act(ticket=ticket, actor=actor, action="onsite_investigation", change=change,
                expected_version=expected_version)
