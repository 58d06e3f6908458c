"""Intake rules that hold on every path (page, API, batch), because they live in the service."""
import pytest
from django.urls import reverse

from complaints.models import Status, Ticket
from complaints.services import IntakeData, ticket_register_closed
from core.errors import Conflict


def _letter(**overrides):
    body = {"channel": "letter", "kind": "complaint", "category": "FW01", "description": "来信反映抄表员态度差",
            "customer": {"name": "王五", "phone": "13800138111"}}
    body.update(overrides)
    return body


def test_a_letter_without_its_received_time_is_refused_by_the_api_and_the_batch(client_as):
    api = client_as("agent")
    single = api.post(reverse("api-tickets"), _letter(), format="json")
    assert single.status_code == 400 and "received_at" in single.json()["error"]["fields"]
    batch = api.post(reverse("api-tickets-batch"), {"tickets": [_letter()]}, format="json")
    assert batch.json()["invalid"] == 1 and "received_at" in batch.json()["results"][0]["error"]["fields"]
    assert not Ticket.objects.filter(customer_name="王五").exists()


def test_register_and_close_is_one_transaction(users, category):
    data = IntakeData(channel="95598_phone", kind="complaint", customer_name="赵六", customer_phone="13800138222",
                      description="停电投诉", category=category)
    with pytest.raises(Conflict):  # a complaint cannot be closed at intake: nothing may be left registered
        ticket_register_closed(actor=users["agent"], data=data, reply_text="已答复")
    assert not Ticket.objects.filter(customer_name="赵六").exists()
    enquiry = IntakeData(channel="95598_phone", kind="enquiry", customer_name="赵六", customer_phone="13800138222",
                         description="电价咨询")
    ticket, created = ticket_register_closed(actor=users["agent"], data=enquiry, reply_text="已告知电价")
    assert created and ticket.status == Status.ARCHIVED and ticket.reply_text == "已告知电价"
