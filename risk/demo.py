"""Demo risk data (`make run`): every open ticket scored (the sweep, after the clocks' sweep), so
the risk list shows red, orange and yellow tickets with their reasons; a 12398 transfer replied to
and closed (销号) in the ledger; last month's 约谈 list."""
from django.utils import timezone

from accounts.models import User
from complaints.models import OPEN_STATUSES, Channel, Ticket
from complaints.services import ticket_chase
from core.errors import ApplicationError
from reports.figures import Period

from .interviews import interview_produce
from .models import InterviewList, Level, RegulatorCase, TicketRisk
from .services import ledger_close, ledger_reply, risk_sweep


def seed_demo_risk() -> dict:
    result = risk_sweep().counts()
    supervisor = User.objects.filter(username="supervisor").first()
    agent = User.objects.filter(username="agent").first()
    if supervisor and agent:
        _ensure_levels(agent)
        if not RegulatorCase.objects.exists():
            done = (Ticket.objects.filter(channel=Channel.REGULATOR_12398).exclude(status__in=OPEN_STATUSES)
                    .order_by("-received_at").first())
            if done is not None:
                ledger_reply(actor=supervisor, number=done.number,
                             text="已现场核实并整改，于规定时限内书面答复能源监管机构")
                ledger_close(actor=supervisor, number=done.number, confirmation="监管机构电话确认办结，同意销号")
            pending = (Ticket.objects.filter(channel=Channel.REGULATOR_12398, status__in=OPEN_STATUSES)
                       .order_by("received_at").first())
            if pending is not None:
                ledger_reply(actor=supervisor, number=pending.number, text="已联系客户说明处理进度，正在整改")
    last = Period.parse(None).shift(-1)
    if not InterviewList.objects.filter(month=last.key).exists():
        interview_produce(last, now=timezone.now())
    result["levels"] = {level: TicketRisk.objects.filter(level=level).count() for level in Level.values}
    return result


def _ensure_levels(agent) -> None:
    """If the random demo left a level empty, the customer chases an open ticket until it gets there
    (through the services: the chase is on the timeline, the red crossing issues its warning)."""
    for level in (Level.YELLOW, Level.ORANGE, Level.RED):
        if TicketRisk.objects.filter(level=level).exists():
            continue
        risk = (TicketRisk.objects.filter(level=Level.NONE, ticket__kind="complaint").select_related("ticket")
                .order_by("-score").first())
        for _ in range(6):
            if risk is None or TicketRisk.objects.get(pk=risk.pk).level == level:
                break
            try:
                ticket_chase(ticket=risk.ticket.number, actor=agent, note="客户再次来电催办")
            except ApplicationError:
                break
