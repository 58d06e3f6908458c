"""The risk list for the supervision office: sorted by score, scoped to the user's subtree, no
reports for those who may not see them, no N+1; bulk follow-up through the services."""
import pytest

from complaints import services as s
from complaints.models import Mood, SupervisionOrder
from core.config import setting
from risk.models import TicketRisk

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(make_ticket, users, units):
    """Station A: an agitated customer and a demanding one chased twice; station B: one chase."""
    a1 = s.ticket_dispatch(ticket=make_ticket(mood=Mood.AGITATED, customer_phone="13700000001", account_no="A1"),
                           actor=users["lead"], unit=units["GS-A1-1"])
    a2 = s.ticket_dispatch(ticket=make_ticket(mood=Mood.DEMANDS_COMPLAINT, customer_phone="13700000002",
                                              account_no="A2"), actor=users["lead"], unit=units["GS-A1-1"])
    for _ in range(2):
        s.ticket_chase(ticket=a2.number, actor=users["agent"])
    b1 = s.ticket_dispatch(ticket=make_ticket(mood=Mood.DEMANDS_COMPLAINT, customer_phone="13700000003",
                                              account_no="B1"), actor=users["lead"], unit=units["GS-B1-1"])
    s.ticket_chase(ticket=b1.number, actor=users["agent"])
    return a1, a2, b1


def listed_levels_yellow_up(*tickets):
    rows = TicketRisk.objects.filter(ticket__in=tickets).exclude(level="none").order_by("-score")
    return [r.ticket.number for r in rows]


def test_api_list_sorted_by_score_and_scoped(ranked, client_as):
    a1, a2, b1 = ranked
    body = client_as("supervisor").get("/api/v1/risk/").json()
    numbers = [r["number"] for r in body["results"]]
    assert numbers == listed_levels_yellow_up(a1, a2, b1)
    assert numbers[0] == a2.number  # 15 + 2 chases is the highest
    assert body["results"][0]["factors"][0]["code"] in {"chases", "mood_demands"}
    mine = [r["number"] for r in client_as("manager_a").get("/api/v1/risk/").json()["results"]]
    assert b1.number not in mine and a2.number in mine


def test_level_filter(ranked, client_as):
    a1, a2, b1 = ranked
    level = TicketRisk.objects.get(ticket=a2).level
    body = client_as("supervisor").get(f"/api/v1/risk/?level={level}").json()
    assert all(r["level"] == level for r in body["results"]) and body["results"]


def test_a_report_is_not_on_a_managers_list(make_ticket, users, units, client_as):
    from core.models import Setting

    Setting.objects.create(key="risk_level_yellow", value=setting("risk_weight_mood_demands"))
    report = s.ticket_dispatch(ticket=make_ticket(kind="report", mood=Mood.DEMANDS_COMPLAINT),
                               actor=users["discipline"], unit=units["JJ"])
    assert TicketRisk.objects.get(ticket=report).level != "none"
    for reader in ("manager_a", "viewer", "admin"):
        assert report.number not in str(client_as(reader).get("/api/v1/risk/").content)
    assert report.number in str(client_as("supervisor").get("/api/v1/risk/").content)


def test_page_lists_without_n_plus_one(ranked, client_for, django_assert_max_num_queries):
    client = client_for("supervisor")
    client.get("/risk/")
    with django_assert_max_num_queries(20):
        page = client.get("/risk/").content.decode()
    listed = listed_levels_yellow_up(*ranked)
    assert listed and all(number in page for number in listed)
    assert "客户催办 2 次" in page


def test_bulk_follow_up_from_the_page(ranked, client_for):
    a1, a2, b1 = ranked
    response = client_for("supervisor").post("/risk/follow-up/", {"numbers": [a1.number, a2.number],
                                                                   "content": "请提级处理"})
    assert response.status_code == 302
    for t in (a1, a2):
        assert SupervisionOrder.objects.filter(ticket=t, kind="supervision", content="请提级处理").count() == 1
        assert TicketRisk.objects.get(ticket=t).followed_up_at is not None


def test_bulk_follow_up_api_answers_per_ticket(ranked, client_as, users):
    a1, a2, b1 = ranked
    s.ticket_withdraw(ticket=a1.number, actor=users["agent"], reason="撤诉")
    body = client_as("supervisor").post("/api/v1/risk/follow-up/",
                                        {"numbers": [a1.number, a2.number, "209901010000001"], "content": "督办"},
                                        format="json").json()
    assert body["results"] == {a1.number: "invalid_transition", a2.number: "ok", "209901010000001": "not_found"}


def test_bulk_follow_up_refused_without_supervision_role(ranked, client_as):
    response = client_as("manager_a").post("/api/v1/risk/follow-up/", {"numbers": [ranked[0].number],
                                                                     "content": "督办"}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_bulk_follow_up_bad_input_is_400(client_as, users):
    response = client_as("supervisor").post("/api/v1/risk/follow-up/", {"numbers": [], "content": ""}, format="json")
    assert response.status_code == 400 and response.json()["error"]["fields"]


def test_thresholds_are_settings(ranked):
    a1 = ranked[0]
    assert TicketRisk.objects.get(ticket=a1).score == setting("risk_weight_mood_agitated")
