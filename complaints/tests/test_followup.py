"""Rule 12: a substantiated complaint archived today gets a follow-up call six months later (a
setting), listed for the supervision office when due, its result recorded and counted."""
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from complaints.models import FollowUp, TicketEvent
from complaints.services import followup_record, ticket_callback, ticket_reply, ticket_review
from core.errors import Conflict
from core.models import Setting
from sla.workcal import TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


def _archive(ticket, users, when):
    with time_machine.travel(when, tick=False):
        return ticket_callback(ticket=ticket, actor=users["supervisor"], result="satisfied")


def test_substantiated_complaint_gets_a_followup_six_months_after_archiving(reviewed, users, client_for):
    archived = at(2026, 3, 31, 10, 0)
    ticket = _archive(reviewed, users, archived)
    followup = FollowUp.objects.get(ticket=ticket)
    assert followup.due_at == at(2026, 9, 30, 10, 0)  # six calendar months on; 31 Sep does not exist

    web = client_for("supervisor")
    with time_machine.travel(at(2026, 9, 29, 9, 0), tick=True):
        assert web.get(reverse("complaints:supervision")).context["followups_count"] == 0
    with time_machine.travel(at(2026, 9, 30, 11, 0), tick=True):
        page = web.get(reverse("complaints:supervision"))
        assert [f.ticket.number for f in page.context["followups"]] == [ticket.number]
        detail = web.get(reverse("complaints:detail", args=[ticket.number])).content.decode()
        assert 'id="action-followup"' in detail
        response = web.post(reverse("complaints:act", args=[ticket.number, "followup"]),
                            {"version": ticket.version, "followup-result": "satisfied", "followup-note": "用电正常"})
        assert response.status_code == 302
        board = client_for("viewer").get(reverse("reports:dashboard") + "?month=2026-09")
    followup.refresh_from_db()
    assert followup.result == "satisfied" and followup.by == users["supervisor"]
    assert TicketEvent.objects.filter(ticket=ticket, action="followup").exists()
    assert board.context["data"]["followups"] == {"done": 1, "satisfied": 1, "unsatisfied": 0, "due": 0}
    with pytest.raises(Conflict):
        followup_record(ticket=ticket, actor=users["supervisor"], result="satisfied")


def test_not_substantiated_or_setting_off_schedules_nothing(contacted, make_ticket, users, units):
    ticket = ticket_reply(ticket=contacted, actor=users["station_a"], substantiated=False, cause="误解",
                          measures="解释", reply_text="已解释")
    ticket = ticket_review(ticket=ticket, actor=users["supervisor"], approved=True)
    ticket = _archive(ticket, users, at(2026, 3, 31, 10, 0))
    assert not FollowUp.objects.filter(ticket=ticket).exists()


def test_setting_off(reviewed, users):
    Setting.objects.create(key="followup_substantiated", value=False)
    ticket = _archive(reviewed, users, at(2026, 3, 31, 10, 0))
    assert not FollowUp.objects.filter(ticket=ticket).exists()


def test_months_are_a_setting(reviewed, users):
    Setting.objects.create(key="followup_months", value=3)
    ticket = _archive(reviewed, users, at(2026, 3, 31, 10, 0))
    assert FollowUp.objects.get(ticket=ticket).due_at == at(2026, 6, 30, 10, 0)
