"""Rule 13: grid routing matches the account number's registered area first, then the address
keywords; the API answers the match; automatic dispatch (a setting, per kind) goes through the
dispatch service as the system user, with the area's grid contact as handler."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import AccountRegistration, ServiceArea, Status, TicketEvent
from complaints.services.routing import route_ticket
from core.models import Setting

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(units, users):
    village = ServiceArea.objects.create(code="A-XF", name="幸福村", keywords="幸福村", unit=units["GS-A1-1"],
                                         contact=users["station_a"])
    other = ServiceArea.objects.create(code="B-HP", name="和平村", keywords="和平村", unit=units["GS-B1-1"],
                                       contact=users["station_b"])
    return village, other


def test_account_registration_wins_over_the_address(areas):
    village, other = areas
    AccountRegistration.objects.create(account_no="3100099999", service_area=other)
    by_account = route_ticket(account_no="3100099999", address="东州市城关镇幸福村")
    assert (by_account.area, by_account.matched_by, by_account.unit) == (other, "account", other.unit)
    by_address = route_ticket(account_no="3100011111", address="东州市城关镇幸福村5组")
    assert (by_address.area, by_address.matched_by) == (village, "address")
    assert route_ticket(account_no="", address="无名路").area is None


def _intake(client, **overrides):
    body = {"channel": "95598_phone", "kind": "repair", "description": "家里停电了",
            "customer": {"name": "李四", "phone": "13900139000", "account_no": "3100099999",
                         "address": "东州市城关镇某街"}}
    body.update(overrides)
    return client.post("/api/v1/tickets/", body, format="json")


def test_api_intake_answers_the_matched_area_and_suggested_unit(areas, client_as):
    _village, other = areas
    AccountRegistration.objects.create(account_no="3100099999", service_area=other)
    response = _intake(client_as("agent"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["service_area"] == {"code": "B-HP", "name": "和平村"}
    assert body["suggested_unit"]["code"] == "GS-B1-1"
    assert body["status"] == Status.REGISTERED  # automatic dispatch is off by default


def test_automatic_dispatch_per_kind_as_the_system(areas, client_as, users):
    village, _other = areas
    Setting.objects.create(key="auto_dispatch_enabled", value=True)
    response = _intake(client_as("agent"), customer={"name": "李四", "phone": "13900139000", "address": "幸福村3组"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == Status.DISPATCHED and body["unit"]["code"] == "GS-A1-1"
    event = TicketEvent.objects.get(ticket__number=body["number"], action="dispatch")
    assert event.actor.username == "system" and not event.actor.has_usable_password()
    from complaints.models import Ticket

    ticket = Ticket.objects.get(number=body["number"])
    assert ticket.handler == village.contact
    # Reconnection (a service type) is in the default list; a complaint is not.
    paid = (timezone.now() - timedelta(minutes=10)).isoformat()
    reconnection = _intake(client_as("agent"), kind="service_request", service_type="reconnection", paid_at=paid,
                           customer={"name": "王五", "phone": "13900139001", "address": "幸福村1组"}).json()
    assert reconnection.get("status") == Status.DISPATCHED, reconnection
    complaint = _intake(client_as("agent"), kind="complaint", category="FW01",
                        customer={"name": "赵六", "phone": "13900139002", "address": "幸福村2组"}).json()
    assert complaint.get("status") == Status.REGISTERED, complaint
    Setting.objects.filter(key="auto_dispatch_enabled").delete()
    Setting.objects.create(key="auto_dispatch_enabled", value=True)
    Setting.objects.create(key="auto_dispatch_kinds", value="complaint")
    again = _intake(client_as("agent"), kind="complaint", category="FW01",
                    customer={"name": "钱七", "phone": "13900139003", "address": "幸福村2组"}).json()
    assert again["status"] == Status.DISPATCHED


def test_web_intake_page_still_works(areas, client_for):
    assert client_for("agent").get(reverse("complaints:intake")).status_code == 200


def test_the_ticket_page_suggests_the_unit_without_choosing_it(areas, make_ticket, client_for):
    """A dispatcher sees which station the service area points to, and picks the unit themself."""
    village, _other = areas
    ticket = make_ticket()  # address 东州市城关镇幸福村: the village's area
    assert ticket.service_area == village
    page = client_for("lead").get(reverse("complaints:detail", args=[ticket.number]))
    form = next(a["form"] for a in page.context["action_forms"] if a["name"] == "dispatch")
    assert form["unit"].value() in (None, "")
    assert f"建议：{village.unit.name}（按服务区域「{village.name}」）" in page.content.decode()
