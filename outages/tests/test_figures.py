"""Promises measured: the dashboard's outage figures, and frequent outages (≥ N in M days) listed and
marked on the area's open tickets — at the boundary N−1 / N."""
from datetime import timedelta
from statistics import median

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import Setting
from outages.figures import DEFINITIONS, outage_figures
from outages.models import OutageEvent
from outages.selectors import frequent_outage_areas, frequent_outage_warning
from reports.figures import Period, resolve_scope

pytestmark = pytest.mark.django_db


def test_dashboard_outage_figures_follow_their_definitions(users, make_event, areas):
    now = timezone.now()
    period = Period.parse(None)
    # Two planned outages: one entered 10 days ahead, one 2 days ahead (short notice).
    make_event(kind="planned", start_at=now + timedelta(days=10))
    make_event(kind="planned", start_at=now + timedelta(days=2))
    # Three faults entered 30 min, 10 min and 4 min after they started (entry = now).
    delays = [30, 10, 4]
    faults = [make_event(start_at=now - timedelta(minutes=m)) for m in delays]
    OutageEvent.objects.filter(pk=faults[0].pk).update(notice_sent_at=now)
    from complaints.services import IntakeData
    from outages.services import outage_call_log

    for phone in ("13900000001", "13900000002"):
        outage_call_log(actor=users["agent"], event=faults[0], data=IntakeData(
            channel="95598_phone", kind="enquiry", customer_name="王五", customer_phone=phone, description=""))
    in_month = OutageEvent.objects.filter(start_at__gte=period.start, start_at__lt=period.end)
    planned = [e for e in in_month if e.kind == "planned"]
    figures = outage_figures(resolve_scope(users["viewer"]), period)
    assert figures["count"] == in_month.count()
    expected_share = sum(not e.short_notice for e in planned) / len(planned) if planned else None
    assert figures["planned_notice_share"] == (round(expected_share, 4) if planned else None)
    in_month_delays = [m for m, e in zip(delays, faults, strict=True) if e.start_at >= period.start]
    assert figures["median_info_delay"] == pytest.approx(median(in_month_delays), abs=0.2)
    assert figures["calls"] == 2 and figures["calls_per_event"] == round(2 / in_month.count(), 2)
    station_b = resolve_scope(users["station_b"])
    assert outage_figures(station_b, period)["count"] == 0  # another unit's outages are not theirs


def test_dashboard_shows_the_outage_card(client_for, make_event):
    make_event()
    html = client_for("viewer").get(reverse("reports:dashboard")).content.decode()
    assert 'id="outage-figures"' in html and str(DEFINITIONS["calls_per_event"]) in html


def test_definitions_are_documented():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "figures.md").read_text()
    for key, definition in DEFINITIONS.items():
        assert str(definition) in text, key


@pytest.mark.parametrize("threshold", [3, 2])
def test_frequent_outage_boundary(users, make_event, areas, make_ticket, client_for, threshold):
    Setting.objects.create(key="frequent_outage_count", value=threshold)
    days = 60
    now = timezone.now()
    area = areas["village"]
    # N−1 outages inside the window, one just outside it.
    for i in range(threshold - 1):
        make_event(start_at=now - timedelta(days=i + 1))
    with time_machine.travel(now - timedelta(days=days, minutes=1)):
        make_event(start_at=timezone.now() - timedelta(minutes=1))
    ticket = make_ticket(address="东州市城关镇幸福村2组", kind="complaint")
    assert ticket.service_area == area
    assert frequent_outage_areas() == [] and frequent_outage_warning(ticket) is None
    make_event(start_at=now - timedelta(hours=1))  # the N-th
    assert [(r["area"], r["count"]) for r in frequent_outage_areas()] == [(area, threshold)]
    assert frequent_outage_warning(ticket)["count"] == threshold
    assert frequent_outage_areas(user=users["station_b"]) == []  # not station B's area
    assert 'data-area="A-XF"' in client_for("supervisor").get(reverse("outages:frequent")).content.decode()
    detail = client_for("agent").get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert 'id="frequent-outage-warning"' in detail
