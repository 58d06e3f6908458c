"""/healthz for operators: database, broker, beat and the calendar's known years."""
import pytest
import time_machine

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-22 10:00 +0800")
def test_healthz_reports_database_broker_and_calendar(client, reference):
    response = client.get("/healthz")
    body = response.json()
    assert body["database"] is True
    assert isinstance(body["broker"], bool) and body["broker_url"]
    assert response.status_code == (200 if body["broker"] else 503)
    years = body["calendar"]["known_years"]
    assert {2025, 2026} <= set(years)
    assert body["calendar"]["current_year_known"] is True
    assert body["calendar"]["next_year_known"] is (2027 in years)
    assert "beat_recent" in body and "last_beat" in body
