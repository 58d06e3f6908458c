"""PostgreSQL only: concurrent events and an overlapping sweep on a ticket crossing red issue
exactly one 投诉风险预警单 (the compare-and-set on red_since)."""
import pytest
from django.db import connection

from complaints import services as s
from complaints.models import SupervisionOrder
from core.config import setting
from core.models import Setting
from risk.models import Level, TicketRisk
from risk.services import risk_sweep
from tests.security.test_concurrency import fresh, run_together

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_chases_and_sweeps_issue_one_warning(dispatched, users):
    # One chase alone is red: every concurrent call below sees a red ticket.
    Setting.objects.create(key="risk_weight_chases", value=setting("risk_level_red"))
    number = dispatched.number
    results, errors = run_together(
        *[lambda: s.ticket_chase(ticket=number, actor=fresh("agent")) for _ in range(4)],
        *[lambda: risk_sweep() for _ in range(2)],
    )
    assert not [e for e in errors if e is not None], errors
    assert TicketRisk.objects.get(ticket=dispatched).level == Level.RED
    assert SupervisionOrder.objects.filter(ticket=dispatched, kind="risk_warning").count() == 1
    assert dispatched.events.filter(action="auto_supervise", data__kind="risk_warning").count() == 1
