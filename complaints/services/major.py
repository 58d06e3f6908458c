"""Major events 重大事件: the flash report (事件经过、地点、影响、措施) within the hour and the same-day
summary, each sent to the superior unit's supervision office and each stopping its clock."""
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import Role, Unit
from complaints.models import MajorReport, Ticket
from core.errors import Conflict, ValidationFailed
from notifications.notice import Notice
from notifications.services import notify

from .workflow import ticket_action

CLOCK_EVENT = {MajorReport.ReportKind.FLASH: "major_reported", MajorReport.ReportKind.SUMMARY: "major_summarised"}


def superior_office(unit: Unit) -> tuple[Unit | None, list]:
    """The supervision office above `unit`: the supervision department under its parent company
    (or, failing that, under the next company up), and that office's supervisors."""
    company = unit.parent or unit
    while company is not None:
        office = (company if company.is_supervision and company.pk != unit.pk
                  else Unit.objects.filter(parent=company, is_supervision=True).order_by("code").first())
        if office is not None:
            people = list(get_user_model().objects.filter(unit=office, is_active=True,
                                                          groups__name=Role.SUPERVISOR).distinct())
            return office, people
        company = company.parent
    return None, []


def major_report_submit(*, ticket, actor, kind: str, what: str, place: str = "", impact: str = "",
                        measures: str = "", expected_version=None) -> Ticket:
    """Send a major ticket's flash report (all four parts required) or its same-day summary."""
    if kind not in MajorReport.ReportKind.values:
        raise ValidationFailed(gettext("报告类型无效"), fields={"kind": [gettext("报告类型无效")]})
    required = {"what": (what, gettext("请填写事件经过"))}
    if kind == MajorReport.ReportKind.FLASH:
        required |= {"place": (place, gettext("请填写事件地点")), "impact": (impact, gettext("请填写影响范围")),
                     "measures": (measures, gettext("请填写已采取的措施"))}
    missing = {name: [message] for name, (value, message) in required.items() if not (value or "").strip()}
    if missing:
        raise ValidationFailed(next(iter(missing.values()))[0], fields=missing)

    def change(t: Ticket):
        if not t.takes_major_reports:
            raise Conflict(gettext("只有重大工单需要报送重大事件报告"), code="not_major")
        if t.major_reports.filter(kind=kind).exists():
            raise Conflict(gettext("该报告已报送"), code="major_report_sent")
        office, people = superior_office(t.unit or t.intake_unit)
        report = MajorReport(ticket=t, kind=kind, what=what, place=place, impact=impact, measures=measures,
                             sent_to=office, by=actor, at=timezone.now())
        report._history_user = actor
        report.save()

        notify(users=people, ticket=t, kind=f"major_{kind}",
               message=Notice(gettext_noop("重大工单 %(number)s %(report)s：%(what)s"), number=t.number,
                              report=MajorReport.ReportKind(kind).label, what=what[:250]))
        return CLOCK_EVENT[kind], what[:200], {"kind": kind, "sent_to": office.code if office else None}

    action = "major_report" if kind == MajorReport.ReportKind.FLASH else "major_summary"
    return ticket_action(ticket=ticket, actor=actor, action=action, change=change, expected_version=expected_version)
