"""The demo data (`make run`) walks tickets through the real services, so the pages and the monthly
bulletin have something to show: every step of the loop, and responsibility records."""
from datetime import timedelta

import pytest

from complaints.demo import seed_demo_tickets
from complaints.models import Accountability, Kind, Status, Ticket
from tests.shared import shared_rows

pytestmark = pytest.mark.django_db


def test_demo_has_a_pending_major_report_a_level_2_order_and_a_followup_due(org):
    from django.utils import timezone

    from complaints.models import FollowUp, SupervisionOrder
    from sla.models import Clock, ClockName

    seed_demo_tickets(count=10)
    assert Clock.objects.filter(name=ClockName.MAJOR_REPORT, completed_at__isnull=True).exists()
    assert SupervisionOrder.objects.filter(level=2, closed_at__isnull=True, replied_at__isnull=True).exists()
    assert FollowUp.objects.filter(done_at__isnull=True, due_at__lte=timezone.now()).exists()


def test_demo_station_has_an_investigation_task_that_never_names_the_report(org, client_for):
    from django.urls import reverse

    from complaints.models import InvestigationTask

    seed_demo_tickets(count=10)
    task = InvestigationTask.objects.select_related("ticket").get()
    page = client_for("station_a").get(reverse("complaints:investigations")).content.decode()
    assert task.matter in page
    assert task.ticket.number not in page and task.ticket.customer_name not in page



def test_demo_outages_and_knowledge_base(org, client_for):
    from django.urls import reverse
    from django.utils import timezone

    from knowledge.demo import seed_demo_articles
    from knowledge.selectors import article_search
    from outages.demo import seed_demo_outages
    from outages.models import OutageEvent
    from outages.selectors import active_events_for

    seed_demo_tickets(count=10)
    assert seed_demo_outages() == 2 and seed_demo_outages() == 0
    now = timezone.now()
    planned = OutageEvent.objects.get(kind="planned")
    assert timedelta(days=7) <= planned.start_at - now <= timedelta(days=9)  # next week, announced in time
    fault = OutageEvent.objects.get(kind="fault")
    assert fault.restored_at is None and fault.calls.count() == 3
    area = fault.service_areas.get()
    assert active_events_for(service_area=area) == [fault]
    html = client_for("agent").get(reverse("outages:intake_match"), {"address": f"{area.name}8号"}).content.decode()
    assert f'data-outage="{fault.pk}"' in html
    assert seed_demo_articles() == 30 and seed_demo_articles() == 0
    for word in ("电价", "复电", "新装", "停电", "电表", "账单"):
        assert article_search(word), word


class TestTheDemoCentre:
    """A centre's worth of demo tickets (120), seeded once for the tests that read it."""

    @pytest.fixture(scope="class")
    def centre(self, django_db_setup, django_db_blocker):
        with shared_rows(django_db_blocker):
            yield seed_demo_tickets(count=120)

    def test_demo_tickets_reach_every_step_and_carry_responsibility(self, centre):
        assert centre > 100
        statuses = set(Ticket.objects.values_list("status", flat=True))
        assert {Status.REGISTERED, Status.DISPATCHED, Status.ARCHIVED} <= statuses
        at_fault = Ticket.objects.filter(kind=Kind.COMPLAINT, substantiated=True, at_fault=True)
        assert at_fault.exists()
        assert Accountability.objects.filter(ticket__in=at_fault).exists()  # what the bulletin lists
        assert Ticket.objects.filter(channel="media", kind=Kind.COMPLAINT, severity="major").exists()

    def test_demo_risk_list_ledger_and_interviews(self, centre, client_for):
        from django.urls import reverse

        from reports.figures import Period
        from risk.demo import seed_demo_risk
        from risk.models import InterviewList, RegulatorCase

        levels = seed_demo_risk()["levels"]
        assert all(levels[level] for level in ("yellow", "orange", "red")), levels
        client = client_for("supervisor")
        page = client.get(reverse("risk:list")).content.decode()
        assert 'data-level="red"' in page and 'data-level="orange"' in page and 'data-level="yellow"' in page
        assert RegulatorCase.objects.filter(state="closed").exists()
        assert InterviewList.objects.filter(month=Period.parse(None).shift(-1).key).exists()
        assert client.get(reverse("risk:interviews")).status_code == 200
