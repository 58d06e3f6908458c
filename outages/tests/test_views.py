"""Pages: the unit's outage board and entry form, restoration, and at intake the events covering the
caller with one click to log the call as a closed outage enquiry."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import AccountRegistration, Status, Ticket
from outages.models import OutageEvent

pytestmark = pytest.mark.django_db


def test_unit_staff_enter_an_outage_on_the_page(client_for, areas):
    client = client_for("station_a")
    assert client.get(reverse("outages:create")).status_code == 200
    start = timezone.localtime() + timedelta(days=2)
    response = client.post(reverse("outages:create"), {
        "kind": "planned", "cause": "线路检修", "unit": areas["village"].unit_id,
        "service_areas": [areas["village"].pk], "start_at": f"{start:%Y-%m-%dT%H:%M}"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("outages:board")
    text = response.content.decode()
    assert "线路检修" in text and "公告不足7天" in text  # entered 2 days ahead: flagged
    event = OutageEvent.objects.get()
    assert event.short_notice and event.created_by.username == "station_a"


def test_bad_entry_shows_messages_next_to_the_fields(client_for, areas):
    response = client_for("station_a").post(reverse("outages:create"), {
        "kind": "fault", "cause": "", "unit": areas["village"].unit_id, "start_at": ""})
    assert response.status_code == 400
    assert "请检查标红的项目" in response.content.decode() and not OutageEvent.objects.exists()


def test_other_units_event_is_not_found_and_agents_cannot_edit(client_for, make_event):
    event = make_event()
    assert client_for("station_b").get(reverse("outages:edit", args=[event.pk])).status_code == 404
    assert client_for("viewer").get(reverse("outages:create")).status_code == 403
    assert client_for("station_b").post(reverse("outages:restore", args=[event.pk])).status_code == 404


def test_restore_from_the_board(client_for, make_event):
    event = make_event()
    client = client_for("station_a")
    board = client.get(reverse("outages:board")).content.decode()
    assert f'data-outage="{event.pk}"' in board and "停电中" in board
    client.post(reverse("outages:restore", args=[event.pk]))
    event.refresh_from_db()
    assert event.restored_at is not None


def test_intake_shows_the_callers_outage_by_account_or_address(client_for, make_event, areas,
                                                                django_assert_max_num_queries):
    event = make_event()
    AccountRegistration.objects.create(account_no="3100077777", service_area=areas["village"])
    client = client_for("agent")
    assert 'id="outage-panel"' in client.get(reverse("complaints:intake")).content.decode()
    with django_assert_max_num_queries(12):
        by_account = client.get(reverse("outages:intake_match"), {"account_no": "3100077777"}).content.decode()
    assert f'data-outage="{event.pk}"' in by_account and event.cause in by_account
    by_address = client.get(reverse("outages:intake_match"), {"address": "东州市城关镇幸福村5组"}).content.decode()
    assert f'data-outage="{event.pk}"' in by_address
    elsewhere = client.get(reverse("outages:intake_match"), {"address": "和平村2组"}).content.decode()
    assert "data-outage=" not in elsewhere and "当前无停电信息" in elsewhere
    assert client_for("station_a").get(reverse("outages:intake_match")).status_code == 403


def test_one_click_logs_a_closed_outage_enquiry(client_for, make_event):
    event = make_event()
    response = client_for("agent").post(reverse("outages:intake_call"), {
        "channel": "95598_phone", "kind": "complaint", "severity": "ordinary", "mood": "calm",
        "customer_name": "王五", "customer_phone": "13900000001", "address": "东州市城关镇幸福村5组",
        "description": "", "outage_event": str(event.pk), "idempotency_key": "k1"}, follow=True)
    ticket = Ticket.objects.get()
    assert response.redirect_chain[-1][0] == reverse("complaints:detail", args=[ticket.number])
    assert (ticket.kind, ticket.status, ticket.unit_id) == ("enquiry", Status.ARCHIVED, None)
    assert ticket.outage_call.event_id == event.pk and "停电咨询已登记" in response.content.decode()
    bad = client_for("agent").post(reverse("outages:intake_call"), {"outage_event": "99999"})
    assert bad.status_code == 302 and Ticket.objects.count() == 1
