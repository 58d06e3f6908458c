"""The working-day calculator: API and page."""
import pytest
from rest_framework.test import APIClient

from sla.models import CalendarDay

pytestmark = pytest.mark.django_db
URL = "/api/v1/calendar/add-working-days/"


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["agent"])
    return client


def test_national_day_example(api):
    response = api.get(URL, {"start": "2026-09-30T15:00:00+08:00", "days": 1})
    assert response.status_code == 200
    assert response.json() == {"start": "2026-09-30T15:00:00+08:00", "days": 1,
                               "due_at": "2026-10-09T00:00:00+08:00", "due_display": "2026-10-08 24:00",
                               "calendar_known": True, "unit": None}


def test_utc_start_and_naive_start_read_as_beijing(api):
    # 2026-09-30T20:00Z is 1 Oct 04:00 in Beijing (a holiday): counting begins 2 Oct.
    body = api.get(URL, {"start": "2026-09-30T20:00:00Z", "days": 1}).json()
    assert body["start"] == "2026-10-01T04:00:00+08:00" and body["due_display"] == "2026-10-08 24:00"
    body = api.get(URL, {"start": "2026-02-13 10:00", "days": 4}).json()
    assert body["due_display"] == "2026-02-26 24:00"


def test_unknown_year_is_flagged(api):
    body = api.get(URL, {"start": "2030-01-10T09:00:00+08:00", "days": 3}).json()
    assert body["calendar_known"] is False and body["due_display"] == "2030-01-15 24:00"


def test_regional_unit(api, units):
    CalendarDay.objects.create(date="2026-03-12", name="壮族三月三", unit=units["DS-A"])
    params = {"start": "2026-03-10T10:00:00+08:00", "days": 2}
    assert api.get(URL, params).json()["due_display"] == "2026-03-12 24:00"
    body = api.get(URL, {**params, "unit": "GS-A1-1"}).json()
    assert body["due_display"] == "2026-03-13 24:00" and body["unit"] == "GS-A1-1"
    assert api.get(URL, {**params, "unit": "GS-B1-1"}).json()["due_display"] == "2026-03-12 24:00"


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "yesterday", "days": 1}, "start"),
    ({"start": "2026-13-40T10:00:00", "days": 1}, "start"),
    ({"start": "2026-03-10T10:00:00+08:00", "days": 0}, "days"),
    ({"start": "2026-03-10T10:00:00+08:00", "days": 1001}, "days"),
    ({"start": "2026-03-10T10:00:00+08:00", "days": "-3"}, "days"),
    ({"start": "2026-03-10T10:00:00+08:00", "days": "abc"}, "days"),
    ({"start": "2026-03-10T10:00:00+08:00"}, "days"),
    ({"start": "2026-03-10T10:00:00+08:00", "days": 2, "unit": "NOPE"}, "unit"),
])
def test_bad_input_is_400(api, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"] and error["message"]


def test_max_days_is_fast_and_exact(api):
    body = api.get(URL, {"start": "2026-01-05T09:00:00+08:00", "days": 1000}).json()
    assert body["calendar_known"] is False  # runs past the known years


def test_requires_login(db):
    assert APIClient().get(URL, {"days": 1}).status_code in (401, 403)


def test_schema_documents_parameters(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    operation = response.json()["paths"][URL]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"start", "days", "unit"} <= names


def test_calculator_page(client, users):
    client.force_login(users["agent"])
    response = client.get("/sla/calculator/")
    assert response.status_code == 200 and "工作日计算" in response.content.decode()
    response = client.get("/sla/calculator/", {"start": "2026-09-30T15:00", "days": 1})
    html = response.content.decode()
    assert "2026-10-08 24:00" in html and "calendar-unknown" not in html
    html = client.get("/sla/calculator/", {"start": "2031-03-03T10:00", "days": 5}).content.decode()
    assert "calendar-unknown" in html and "<script>" not in html
