"""/healthz for operators: database, broker, beat and the calendar's known years."""
import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_calendar(client, reference):
    response = client.get("/healthz")
    body = response.json()
    assert body["database"] is True
    assert isinstance(body["broker"], bool) and body["broker_url"]
    assert response.status_code == (200 if body["broker"] else 503)
    years = body["calendar"]["known_years"]
    this_year = timezone.localdate().year
    assert this_year in years and {2025, 2026} <= set(years)
    assert body["calendar"]["current_year_known"] is True
    assert "beat_recent" in body and "last_beat" in body
