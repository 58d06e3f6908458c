"""要求现场调查: the supervision office asks the unit for an on-site investigation the intake rules did
not require (seed 002: 影响面较大的投诉，启动现场调查); the unit then cannot reply before recording one."""
import pytest
from django.urls import reverse

from complaints.models import Ticket
from complaints.services import ticket_reply, ticket_request_onsite
from core.errors import PermissionDenied, ValidationFailed


def _reply(ticket, users):
    return ticket_reply(ticket=ticket, actor=users["station_a"], substantiated=True, cause="线路老化",
                        measures="更换线路", reply_text="已处理")


def test_requested_investigation_blocks_the_reply_and_tells_the_unit(contacted, users):
    assert contacted.onsite_required is False
    ticket = ticket_request_onsite(ticket=contacted, actor=users["supervisor"], reason="同一台区多户投诉")
    assert ticket.onsite_required is True
    assert ticket.events.filter(action="request_onsite", note="同一台区多户投诉").exists()
    assert users["manager_a"].notifications.filter(ticket=ticket, kind="onsite_requested").exists()
    with pytest.raises(ValidationFailed) as refused:
        _reply(ticket, users)
    assert refused.value.code == "onsite_required"


def test_only_the_supervision_office_may_ask_and_a_reason_is_needed(contacted, users):
    with pytest.raises(PermissionDenied):
        ticket_request_onsite(ticket=contacted, actor=users["station_a"], reason="x")
    with pytest.raises(ValidationFailed) as missing:
        ticket_request_onsite(ticket=contacted, actor=users["supervisor"], reason=" ")
    assert "reason" in missing.value.fields
    assert Ticket.objects.get(pk=contacted.pk).onsite_required is False


def test_page_and_api_offer_it_once(contacted, users, client_for, client_as):
    page = client_for("supervisor")
    detail = page.get(reverse("complaints:detail", args=[contacted.number]))
    assert "要求现场调查" in detail.content.decode()
    response = page.post(reverse("complaints:act", args=[contacted.number, "request_onsite"]),
                         {"version": contacted.version, "request_onsite-reason": "影响面较大"})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=contacted.pk).onsite_required is True
    api = client_as("supervisor")
    again = api.post(reverse("api-ticket-request-onsite", args=[contacted.number]), {"reason": "再次"},
                     format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"
    assert "request_onsite" not in api.get(reverse("api-ticket-detail", args=[contacted.number])).json()[
        "allowed_actions"]
