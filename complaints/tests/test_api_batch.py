"""POST /api/v1/tickets/batch/: another system hands over several tickets at once, each checked and
registered by the same rules as one."""
import pytest

from complaints.models import Ticket, TicketEvent, TicketLink

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets/batch/"


def item(phone: str, **changes) -> dict:
    return {"channel": "95598_phone", "kind": "complaint", "category": "FW01",
            "customer": {"name": "李四", "phone": phone, "address": "东州市城关镇幸福村"},
            "description": "抄表员服务态度恶劣", **changes}


def post(client, tickets):
    return client.post(URL, {"tickets": tickets}, format="json")


def test_valid_items_are_registered_and_bad_ones_answered_in_place(client_as):
    tickets = [item("13900000001"), item("13900000002", category="NOPE"), item("13900000003"),
               item("13900000004", customer={"name": "", "phone": "13900000004"})]
    response = post(client_as("agent"), tickets)
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["existing"], body["invalid"]) == (2, 0, 2)
    assert [r["index"] for r in body["results"]] == [0, 1, 2, 3]
    assert [r["result"] for r in body["results"]] == ["created", "invalid", "created", "invalid"]
    assert "category" in body["results"][1]["error"]["fields"]
    assert "name" in body["results"][3]["error"]["fields"]["customer"]
    assert Ticket.objects.count() == 2

    first = Ticket.objects.get(number=body["results"][0]["number"])
    assert first.customer_phone == "13900000001" and first.status == "registered"
    assert [c.name for c in first.clocks.all()] == ["dispatch"]
    assert first.history.filter(history_type="+").count() == 1
    assert TicketEvent.objects.filter(ticket=first, action="register").count() == 1
    detail = client_as("agent").get(body["results"][2]["url"]).json()
    assert detail["customer"]["phone"] == "139****0003" and detail["timeline"][0]["action"] == "register"


def test_second_complaint_of_a_caller_in_the_same_batch_is_a_repeat(client_as):
    body = post(client_as("agent"), [item("13900000009"), item("13900000009")]).json()
    first, second = (Ticket.objects.get(number=r["number"]) for r in body["results"])
    assert not first.is_repeat and second.is_repeat and second.severity == "important"
    assert TicketLink.objects.filter(ticket=second, other=first, kind="repeat").exists()


def test_idempotency_keys_make_a_resent_batch_harmless(client_as):
    client = client_as("agent")
    tickets = [item("13900000011", idempotency_key="P-1"), item("13900000012", idempotency_key="P-2"),
               item("13900000013", idempotency_key="P-1")]
    first = post(client, tickets).json()
    assert [r["result"] for r in first["results"]] == ["created", "created", "existing"]
    assert first["results"][2]["number"] == first["results"][0]["number"]
    again = post(client, tickets).json()
    assert (again["created"], again["existing"]) == (0, 3)
    assert [r["number"] for r in again["results"]] == [r["number"] for r in first["results"]]
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize("body", [{"tickets": []}, {"tickets": "x"}, {}, {"tickets": [item("13900000001")] * 101}])
def test_a_malformed_batch_is_refused_whole(client_as, body):
    response = client_as("agent").post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["tickets"]
    assert not Ticket.objects.exists()


def test_only_intake_roles_may_send_a_batch(client_as):
    response = post(client_as("station_a"), [item("13900000021")])
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert not Ticket.objects.exists()
