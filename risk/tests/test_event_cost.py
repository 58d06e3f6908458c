"""What risk scoring adds to each intake and each workflow action (complaints' intake and
transition service send tickets_changed in their transaction; risk_after_action receives it): four
plain reads — the ticket, its callback counts, its clock counts, its customer's 12-month history —
and one write when the score changed; no savepoint, nothing else (settings, category shares and
outages come from the process caches)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services as s
from complaints.signals import tickets_changed
from risk import services as risk_services
from risk.models import TicketRisk

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook_queries():
    """The statements of each risk_after_action call, in order."""
    calls = []

    def spy(**signal):
        with CaptureQueriesContext(connection) as ctx:
            risk_services.risk_after_action(**signal)
        calls.append([q["sql"] for q in ctx.captured_queries])

    tickets_changed.disconnect(dispatch_uid="risk_after_action")
    tickets_changed.connect(spy, dispatch_uid="spy")
    yield calls
    tickets_changed.disconnect(dispatch_uid="spy")
    tickets_changed.connect(risk_services.risk_after_action, dispatch_uid="risk_after_action")


READS = 4


def test_intake_and_actions_cost_four_reads_and_one_write(make_ticket, users, hook_queries):
    make_ticket(customer_phone="13700000000", account_no="W0")  # warms the process caches
    hook_queries.clear()
    ticket = make_ticket()
    s.ticket_chase(ticket=ticket.number, actor=users["agent"])  # the score moves: written
    assert [len(q) for q in hook_queries] == [READS + 1, READS + 1], hook_queries
    for statements in hook_queries:
        assert all(q.startswith("SELECT") for q in statements[:READS])
        assert not any("SAVEPOINT" in q for q in statements)
    assert TicketRisk.objects.get(ticket=ticket).score > 0


def test_an_action_that_leaves_the_score_alone_only_reads(dispatched, users, hook_queries):
    hook_queries.clear()
    s.ticket_contact(ticket=dispatched.number, actor=users["station_a"], method="phone", note="已电话联系客户")
    s.ticket_note(ticket=dispatched.number, actor=users["station_a"], text="已约定上门时间")
    assert [len(q) for q in hook_queries] == [READS, READS], hook_queries
