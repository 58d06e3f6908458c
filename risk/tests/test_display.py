"""The score and its "why" on the ticket page and in the API ticket detail."""
import pytest

from complaints import services as s
from complaints.models import Mood
from core.config import setting

pytestmark = pytest.mark.django_db


def test_api_detail_answers_score_level_and_factors(client_as, make_ticket, users):
    ticket = make_ticket(mood=Mood.AGITATED)
    s.ticket_chase(ticket=ticket.number, actor=users["agent"])
    body = client_as("supervisor").get(f"/api/v1/tickets/{ticket.number}/").json()
    expected = setting("risk_weight_mood_agitated") + setting("risk_weight_chases")
    assert body["risk"]["score"] == expected
    assert body["risk"]["level"] == ("yellow" if expected >= setting("risk_level_yellow") else "none")
    assert body["risk"]["factors"] == [
        {"code": "mood_agitated", "label": "客户情绪激动", "points": setting("risk_weight_mood_agitated")},
        {"code": "chases", "label": "客户催办 1 次", "points": setting("risk_weight_chases")},
    ]


def test_api_detail_of_a_closed_ticket_has_no_risk(client_as, make_ticket, users):
    ticket = make_ticket()
    s.ticket_withdraw(ticket=ticket.number, actor=users["agent"], reason="撤诉")
    assert client_as("supervisor").get(f"/api/v1/tickets/{ticket.number}/").json()["risk"] is None


def test_ticket_page_shows_the_risk_card(client_for, make_ticket, users):
    ticket = make_ticket(mood=Mood.DEMANDS_COMPLAINT)
    response = client_for("supervisor").get(f"/tickets/{ticket.number}/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert 'id="ticket-risk"' in page and "客户明确要求投诉" in page
    assert f"+{setting('risk_weight_mood_demands')}" in page


def test_factors_and_level_in_english(client_as, make_ticket, users):
    ticket = make_ticket(mood=Mood.AGITATED)
    s.ticket_chase(ticket=ticket.number, actor=users["agent"])
    risk = client_as("supervisor").get(f"/api/v1/tickets/{ticket.number}/", {"lang": "en"}).json()["risk"]
    assert [f["label"] for f in risk["factors"]] == ["Customer agitated", "Customer chased 1 times"]
    assert risk["level_label"] in {"Low", "Yellow", "Orange", "Red"}
