"""Response headers and small leaks: Permissions-Policy everywhere, no-store on ticket pages, the API
and exports, Vary: Cookie on the API, neutral assign errors, local time in export file names."""
from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/tickets/", "/queue/dispatch/", "/reports/exports/tickets.csv",
                                 "/reports/exports/tickets.xlsx", "/accounts/login/"])
def test_pages_and_exports_are_not_stored_and_refuse_powerful_features(client_for, make_ticket, url):
    ticket = make_ticket()
    for path in (url, f"/tickets/{ticket.number}/"):
        response = client_for("lead").get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_api_answers_are_not_stored_and_vary_by_cookie(client_as, make_ticket):
    make_ticket()
    response = client_as("lead").get("/api/v1/tickets/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"cookie", "authorization"} <= vary
    assert "Permissions-Policy" in response


def test_static_files_keep_their_cache(client):
    from django.conf import settings

    response = client.get(settings.STATIC_URL + "vendor/bootstrap/bootstrap.min.css")
    if response.status_code == 200:  # served by whitenoise after collectstatic
        assert "no-store" not in response.get("Cache-Control", "")


def test_assign_answers_the_same_for_unknown_and_foreign_user_names(client_as, make_ticket, users, units):
    from complaints.services import ticket_dispatch

    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    api = client_as("manager_a")
    answers = [api.post(f"/api/v1/tickets/{ticket.number}/assign/", {"handler": name, "version": ticket.version},
                        format="json") for name in ("no-such-user", "station_b")]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json()["error"]["fields"] == answers[1].json()["error"]["fields"]
    assert "no-such-user" not in answers[0].content.decode()


def test_background_export_file_name_uses_local_time(users, time_machine):
    from reports.models import Export

    time_machine.move_to(datetime(2026, 3, 1, 16, 30, tzinfo=UTC), tick=False)  # 00:30 next day in Beijing
    job = Export.objects.create(user=users["lead"], format="csv", filters={})
    assert job.filename == "工单导出_202603020030.csv"
