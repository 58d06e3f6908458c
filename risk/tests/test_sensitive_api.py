"""/api/v1/risk/sensitive/: the sensitive customers of the user's scope (phones masked), marked and
unmarked by hand through the services (reason required, recorded), for the supervision office only."""
import pytest

from core.config import setting
from risk.models import SensitiveCustomer, TicketRisk

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
URL = "/api/v1/risk/sensitive/"


def test_list_shows_the_automatic_rule_with_tickets_and_masked_phones(client_as, make_ticket):
    ticket = make_ticket(channel="12398", regulator_ref="NEA-5", customer_phone=PHONE, account_no="")
    body = client_as("supervisor").get(URL).json()
    row = next(r for r in body if r["regulator"])
    assert row["phone"] == "139****5678" and PHONE not in str(body)
    assert [t["number"] for t in row["tickets"]] == [ticket.number]
    assert "12个月内12398工单 1 件" in row["reasons"]


def test_list_is_scoped_to_the_users_subtree(client_as, make_ticket, users, units):
    from django.contrib.auth.models import Group
    from rest_framework.test import APIClient

    from accounts.models import Role, User
    from complaints.services import ticket_dispatch

    ticket = make_ticket(channel="12398", regulator_ref="NEA-6", customer_phone=PHONE, account_no="")
    ticket_dispatch(ticket=ticket.number, actor=users["lead"], unit=units["GS-A1-1"])
    assert ticket.number in str(client_as("supervisor").get(URL).json())
    west = User.objects.create(username="west_supervisor", unit=units["DS-B"])
    west.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    client = APIClient()
    client.force_authenticate(west)
    response = client.get(URL)
    assert response.status_code == 200 and ticket.number not in str(response.json())
    assert client_as("station_a").get(URL).status_code == 403  # the supervision office only


def test_mark_and_remove_by_hand_through_the_service(client_as, make_ticket):
    ticket = make_ticket(customer_phone=PHONE, account_no="")
    client = client_as("supervisor")
    response = client.post(URL, {"phone": PHONE, "reason": "多次到营业厅"}, format="json")
    assert response.status_code == 201, response.content
    mark = SensitiveCustomer.objects.get()
    assert response.json()["phone"] == "139****5678" and response.json()["id"] == mark.pk
    assert (mark.reason, mark.marked_by.username) == ("多次到营业厅", "supervisor")
    assert TicketRisk.objects.get(ticket=ticket).score == setting("risk_weight_sensitive")  # rescored at once
    assert "多次到营业厅" in str(client.get(URL).json())
    response = client.post(f"{URL}{mark.pk}/remove/", {"reason": "已和解"}, format="json")
    assert response.status_code == 200 and response.json()["removed_reason"] == "已和解"
    mark.refresh_from_db()
    assert mark.removed_at and mark.removed_by.username == "supervisor"
    assert TicketRisk.objects.get(ticket=ticket).score == 0


@pytest.mark.parametrize("body, field", [({"phone": "", "reason": "x"}, "account_no"),
                                         ({"phone": PHONE}, "reason"),
                                         ({"phone": "1" * 21, "reason": "x"}, "phone"),
                                         ({"phone": "abc", "reason": "x"}, "phone")])
def test_bad_marks_answer_400_with_the_field(client_as, body, field):
    response = client_as("supervisor").post(URL, body, format="json")
    assert response.status_code == 400 and field in str(response.json()["error"])
    assert not SensitiveCustomer.objects.exists()


def test_only_the_supervision_office_marks_and_removes(client_as, users):
    from django.utils import timezone

    assert client_as("agent").post(URL, {"phone": PHONE, "reason": "x"}, format="json").status_code == 403
    mark = SensitiveCustomer.objects.create(phone=PHONE, reason="r", marked_by=users["supervisor"],
                                            marked_at=timezone.now())
    assert client_as("agent").post(f"{URL}{mark.pk}/remove/", {"reason": "x"}, format="json").status_code == 403
    response = client_as("supervisor").post(f"{URL}999999/remove/", {"reason": "x"}, format="json")
    assert response.status_code == 404 and "error" in response.json()
    assert client_as("supervisor").post(f"{URL}abc/remove/", {"reason": "x"}, format="json").status_code == 404
    mark.refresh_from_db()
    assert mark.removed_at is None
