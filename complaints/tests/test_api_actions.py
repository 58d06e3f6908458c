"""POST /api/v1/tickets/{number}/<action>/: every action's success, bad input (400), role (403),
cross-unit (404), wrong state (409 invalid_transition) and stale version (409 stale); and the
whole 12398 case loop driven only through the API, as the right users."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.models import Status, Ticket, TicketEvent
from complaints.services import (
    ticket_contact,
    ticket_dispatch,
    ticket_extension_request,
    ticket_reply,
    ticket_review,
    ticket_withdraw,
)
from tests import samples

pytestmark = pytest.mark.django_db


def registered(w, **kw):
    return w["make"](**kw)


def dispatched(w):
    return ticket_dispatch(ticket=w["make"](), actor=w["users"]["lead"], unit=w["units"]["GS-A1-1"])


def contacted(w):
    return ticket_contact(ticket=dispatched(w), actor=w["users"]["station_a"], method="phone")


def replied(w):
    return ticket_reply(ticket=contacted(w), actor=w["users"]["station_a"], substantiated=True, cause="表计故障",
                        measures="更换表计", reply_text="已为您更换电能表")


def reviewed(w):
    return ticket_review(ticket=replied(w), actor=w["users"]["supervisor"], approved=True)


def extension_pending(w):
    return ticket_extension_request(ticket=dispatched(w), actor=w["users"]["station_a"], days=3, reason="需现场勘查")


def enquiry(w):
    return w["make"](kind="enquiry", category=None)


# action, setup, actor, good body, bad body, expected status after
ACTIONS = [
    ("dispatch", registered, "lead", {"unit": "GS-A1-1"}, {"unit": "NOPE"}, Status.DISPATCHED),
    ("return", dispatched, "station_a", {"reason": "不属于本所辖区"}, {"reason": ""}, Status.RETURNED),
    ("contact", dispatched, "station_a", {"method": "phone", "note": "已电话联系"}, {"method": "pigeon"},
     Status.CONTACTED),
    ("reply", contacted, "station_a", {"substantiated": True, "cause": "c", "measures": "m", "reply_text": "r"},
     {"substantiated": "maybe", "cause": "c", "measures": "m", "reply_text": "r"}, Status.REPLIED),
    ("review", replied, "supervisor", {"approved": True}, {"approved": False}, Status.REVIEWED),
    ("callback", reviewed, "supervisor", {"result": "satisfied", "note": "满意"}, {"result": "happy"},
     Status.ARCHIVED),
    ("extend", dispatched, "station_a", {"days": 3, "reason": "需现场勘查"}, {"days": 31, "reason": "x"},
     Status.DISPATCHED),
    ("extension-decision", extension_pending, "supervisor", {"approved": True, "note": "同意"},
     {"approved": "perhaps"}, Status.DISPATCHED),
    ("supervise", dispatched, "supervisor", {"kind": "supervision", "content": "请加快处理"},
     {"kind": "supervision", "content": "x", "due_at": "2000-01-01T00:00:00+08:00"}, Status.DISPATCHED),
    ("chase", dispatched, "agent", {"note": "客户来电催办"}, {"note": "催" * 2001}, Status.DISPATCHED),
    ("add-info", dispatched, "agent", {"text": "客户补充：已停电两天"}, {"text": ""}, Status.DISPATCHED),
    ("note", dispatched, "station_a", {"text": "已约定周五上门"}, {}, Status.DISPATCHED),
    ("withdraw", dispatched, "agent", {"reason": "客户撤诉"}, {"reason": "   "}, Status.WITHDRAWN),
    ("responsibility", replied, "supervisor", {"at_fault": True, "decision": "warning", "person": "李某"},
     {"at_fault": True}, Status.REPLIED),
    ("close", enquiry, "agent", {"reply_text": "已告知电价标准"}, {"reply_text": ""}, Status.ARCHIVED),
    ("assign", dispatched, "manager_a", {"handler": "station_a"}, {"handler": "station_b"}, Status.DISPATCHED),
]
IDS = [a[0] for a in ACTIONS]


@pytest.fixture
def w(make_ticket, users, units):
    return {"make": make_ticket, "users": users, "units": units}


def post(client, ticket, action, body):
    return client.post(f"/api/v1/tickets/{ticket.number}/{action}/", body, format="json")


@pytest.mark.parametrize("action, setup, actor, body, bad, after", ACTIONS, ids=IDS)
def test_action_succeeds_and_answers_the_ticket(w, client_as, action, setup, actor, body, bad, after):
    ticket = setup(w)
    events, history = ticket.events.count(), ticket.history.count()
    response = post(client_as(actor), ticket, action, {**body, "version": ticket.version})
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert ticket.status == after
    data = response.json()
    assert (data["number"], data["status"], data["version"]) == (ticket.number, after, ticket.version)
    assert ticket.events.count() == events + 1 and ticket.history.count() == history + 1
    assert TicketEvent.objects.filter(ticket=ticket).last().action == action.replace("-", "_")
    assert data["timeline"][-1]["action_label"]


@pytest.mark.parametrize("action, setup, actor, body, bad, after", ACTIONS, ids=IDS)
def test_action_bad_input_is_400_and_changes_nothing(w, client_as, action, setup, actor, body, bad, after):
    ticket = setup(w)
    response = post(client_as(actor), ticket, action, bad)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid" and response.json()["error"]["fields"]
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version


@pytest.mark.parametrize("action, setup, actor, body, bad, after", ACTIONS, ids=IDS)
def test_action_by_a_role_without_it_is_403(w, client_as, action, setup, actor, body, bad, after):
    ticket = setup(w)
    response = post(client_as("viewer"), ticket, action, body)  # sees every ticket, may change none
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("action, setup, actor, body, bad, after", ACTIONS, ids=IDS)
def test_action_on_another_units_ticket_is_404(w, client_as, action, setup, actor, body, bad, after):
    ticket = setup(w)
    if action == "dispatch":
        body = {"unit": "GS-B1-1"}  # a unit station_b may name, so the ticket's scope is what answers
    response = post(client_as("station_b"), ticket, action, body)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("action, setup, actor, body, bad, after", ACTIONS, ids=IDS)
def test_action_on_a_withdrawn_ticket_is_409(w, client_as, action, setup, actor, body, bad, after):
    ticket = ticket_withdraw(ticket=setup(w), actor=w["users"]["supervisor"], reason="撤诉") \
        if setup is not extension_pending else ticket_withdraw(ticket=extension_pending(w),
                                                               actor=w["users"]["supervisor"], reason="撤诉")
    response = post(client_as(actor), ticket, action, body)
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "invalid_transition"


@pytest.mark.parametrize("action, setup, actor, body, bad, after", ACTIONS, ids=IDS)
def test_action_with_a_stale_version_is_409(w, client_as, action, setup, actor, body, bad, after):
    ticket = setup(w)
    response = post(client_as(actor), ticket, action, {**body, "version": ticket.version - 1 or 99})
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale"
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version


def test_conflicting_transition_twice(w, client_as):
    ticket = registered(w)
    client = client_as("lead")
    assert post(client, ticket, "dispatch", {"unit": "GS-A1-1"}).status_code == 200
    again = post(client, ticket, "dispatch", {"unit": "GS-A1-1"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"


def test_close_is_409_for_a_complaint(w, client_as):
    response = post(client_as("agent"), registered(w), "close", {"reply_text": "已答复"})
    assert response.status_code == 409


@pytest.mark.parametrize("body", [{"version": "one"}, {"version": -1}, {"version": 2**40}, [], "x"])
def test_version_and_body_types_are_checked(w, client_as, body):
    response = post(client_as("agent"), dispatched(w), "chase", body)
    assert response.status_code == 400


def test_unknown_action_is_404(w, client_as):
    assert post(client_as("lead"), registered(w), "explode", {}).status_code == 404


def test_12398_complaint_through_every_step_via_the_api(client_as, users):
    agent, lead, station, supervisor = (client_as(u) for u in ("agent", "lead", "station_a", "supervisor"))
    created = agent.post("/api/v1/tickets/", {
        "channel": "12398", "kind": "complaint", "category": "FW01", "regulator_ref": "12398-2026-000123",
        "customer": {"name": "张三", "phone": "13800138000", "account_no": "3100012345", "address": "幸福村"},
        "description": "抄表员服务态度恶劣"}, format="json", HTTP_IDEMPOTENCY_KEY="intake-1")
    assert created.status_code == 201
    number = created.json()["number"]

    def act(client, action, body):
        response = client.post(f"/api/v1/tickets/{number}/{action}/", body, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    act(lead, "dispatch", {"unit": "GS-A1-1", "version": created.json()["version"]})
    act(station, "contact", {"method": "phone", "note": "已联系客户致歉"})
    act(station, "extend", {"days": 2, "reason": "需与客户当面沟通"})
    act(supervisor, "extension-decision", {"approved": True})
    act(station, "reply", {"substantiated": True, "cause": "态度问题", "measures": "批评教育", "reply_text": "已致歉"})
    act(supervisor, "review", {"approved": False, "comment": "措施不具体"})
    act(station, "reply", {"substantiated": True, "cause": "态度问题", "measures": "通报批评并培训",
                           "reply_text": "已致歉"})
    act(supervisor, "review", {"approved": True})
    act(supervisor, "callback", {"result": "unsatisfied", "note": "仍不满意"})
    act(station, "contact", {"method": "visit"})
    # Unsatisfied with a 12398 complaint: the on-site investigation is recorded before the reply.
    photo = SimpleUploadedFile("现场.jpg", samples.jpeg(), content_type="image/jpeg")
    visit = station.post(f"/api/v1/tickets/{number}/onsite-investigation/", {
        "investigators": "张承办", "visited_at": timezone.now().isoformat(), "findings": "上门核实，当面致歉",
        "photos": [photo]}, format="multipart")
    assert visit.status_code == 200, visit.content
    act(station, "reply", {"substantiated": True, "cause": "态度问题", "measures": "上门致歉", "reply_text": "已上门"})
    act(supervisor, "review", {"approved": True})
    act(supervisor, "callback", {"result": "satisfied"})
    final = act(supervisor, "responsibility", {"at_fault": True, "decision": "retraining", "person": "王某"})
    assert final["status"] == "archived" and final["redispatch_count"] == 1
    clocks = supervisor.get(f"/api/v1/tickets/{number}/").json()["clocks"]
    names = [c["name"] for c in clocks]
    assert names.count("first_contact") == 2 and "callback" in names
    assert all(c["completed_at"] or c["state"] == "cancelled" for c in clocks)
    assert [e["action"] for e in final["timeline"]][:3] == ["register", "dispatch", "contact"]
