"""Rule 11: from 1 November, while next year's holidays are unknown, administrators and the
supervision office see a banner on every page linking to an import page they can open; deadlines
falling in an unknown year say "按周末估算" on the ticket and in the API."""
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from complaints.services import ticket_dispatch
from sla.models import CalendarYear, ClockName
from sla.workcal import TZ

pytestmark = pytest.mark.django_db


def _next_unknown_year():
    return max(CalendarYear.objects.values_list("year", flat=True)) + 1


def test_banner_from_november_for_admin_and_supervision_office(users):
    from django.test import Client

    def client_for(name):  # signed in at the travelled-to time (sessions expire)
        client = Client()
        client.force_login(users[name])
        return client

    year = _next_unknown_year()  # the first year the seeded calendar does not know
    with time_machine.travel(datetime(year - 1, 10, 31, 12, 0, tzinfo=TZ), tick=True):
        assert 'id="calendar-banner"' not in client_for("supervisor").get(reverse("complaints:list")).content.decode()
    with time_machine.travel(datetime(year - 1, 11, 1, 9, 0, tzinfo=TZ), tick=True):
        for name in ("supervisor", "admin"):
            html = client_for(name).get(reverse("sla:calculator")).content.decode()
            assert 'id="calendar-banner"' in html and reverse("sla:holiday_import") in html and str(year) in html
        for name in ("agent", "station_a", "viewer"):
            assert 'id="calendar-banner"' not in client_for(name).get(reverse("sla:calculator")).content.decode()
        assert client_for("agent").get(reverse("sla:holiday_import")).status_code == 403
        web = client_for("supervisor")
        assert web.get(reverse("sla:holiday_import")).status_code == 200
        bad = web.post(reverse("sla:holiday_import"), {"text": f"{year}-13-01,元旦,休"})
        assert bad.status_code == 400 and "日期" in bad.content.decode()
        response = web.post(reverse("sla:holiday_import"), {"text": f"{year}-01-01,元旦,休\n"})
        assert response.status_code == 302
        assert CalendarYear.objects.filter(year=year).exists()
        assert 'id="calendar-banner"' not in web.get(reverse("sla:calculator")).content.decode()


def test_due_in_an_unknown_year_is_marked_on_ticket_and_api(make_ticket, users, units, client_for, client_as):
    year = _next_unknown_year()
    # Dispatched 30 December of the last known year: the resolution clock's working days run into
    # the unknown year, so they are counted with weekends only and flagged.
    with time_machine.travel(datetime(year - 1, 12, 30, 10, 0, tzinfo=TZ), tick=False):
        ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    resolution = ticket.clocks.get(name=ClockName.RESOLUTION)
    assert resolution.due_at.year == year and not resolution.calendar_known
    html = client_for("station_a").get(reverse("complaints:detail", args=[ticket.number])).content.decode()
    assert "按周末估算" in html
    clocks = {c["name"]: c for c in client_as("station_a").get(f"/api/v1/tickets/{ticket.number}/").json()["clocks"]}
    assert clocks["resolution"]["due_note"] == "按周末估算" and clocks["resolution"]["calendar_known"] is False
    assert clocks["dispatch"]["due_note"] == ""
