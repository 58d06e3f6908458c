"""Every change to a ticket leaves a history row (who, when) and a timeline event; revealing a
phone number is itself recorded (SensitiveAccess: who, when, which ticket)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import services as s
from complaints.models import SensitiveAccess, Status

pytestmark = pytest.mark.django_db


def test_full_loop_every_change_has_history_with_user_and_an_event(make_ticket, users, units):
    agent, lead, handler, supervisor = users["agent"], users["lead"], users["station_a"], users["supervisor"]
    ticket = make_ticket()
    steps = [
        (lead, lambda t: s.ticket_dispatch(ticket=t, actor=lead, unit=units["GS-A1-1"])),
        (handler, lambda t: s.ticket_contact(ticket=t, actor=handler, method="phone", note="已联系")),
        (handler, lambda t: s.ticket_note(ticket=t, actor=handler, text="现场核实")),
        (handler, lambda t: s.attachment_add(ticket=t, actor=handler,
                                             upload=SimpleUploadedFile("a.txt", b"evidence")).ticket),
        (handler, lambda t: s.ticket_reply(ticket=t, actor=handler, substantiated=True, cause="态度问题",
                                           measures="批评教育", reply_text="已致歉")),
        (supervisor, lambda t: s.ticket_review(ticket=t, actor=supervisor, approved=False, comment="措施不具体")),
        (handler, lambda t: s.ticket_reply(ticket=t, actor=handler, substantiated=True, cause="态度问题",
                                           measures="通报批评并培训", reply_text="已致歉")),
        (supervisor, lambda t: s.ticket_review(ticket=t, actor=supervisor, approved=True)),
        (supervisor, lambda t: s.ticket_responsibility(ticket=t, actor=supervisor, at_fault=True,
                                                       decision="warning", person="某抄表员")),
        (supervisor, lambda t: s.ticket_callback(ticket=t, actor=supervisor, result="satisfied")),
    ]
    expected_users = [agent.pk]
    for actor, step in steps:
        before = ticket.history.count(), ticket.events.count()
        ticket = step(ticket)
        ticket.refresh_from_db()
        assert ticket.history.count() == before[0] + 1
        assert ticket.events.count() == before[1] + 1
        expected_users.append(actor.pk)
    assert ticket.status == Status.ARCHIVED
    history = list(ticket.history.order_by("history_date", "history_id"))
    events = list(ticket.events.order_by("at", "id"))
    assert [h.history_user_id for h in history] == expected_users
    assert [e.actor_id for e in events] == expected_users
    assert all(h.history_date for h in history)
    # The history's statuses line up with the events' target statuses.
    assert [h.status for h in history] == [e.to_status or h.status for e, h in zip(events, history, strict=True)]


def test_page_action_records_the_signed_in_user(dispatched, client_for, users):
    ticket = dispatched()
    response = client_for("station_a").post(
        reverse("complaints:act", args=[ticket.number, "contact"]),
        {"version": ticket.version, "contact-method": "phone", "contact-reached": "yes", "contact-note": "已联系"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.CONTACTED
    assert ticket.history.latest("history_date").history_user == users["station_a"]
    assert ticket.events.latest("at").actor == users["station_a"]


def test_api_action_records_the_token_user(dispatched, client_as, users):
    ticket = dispatched()
    response = client_as("station_a").post(reverse("api-ticket-contact", args=[ticket.number]),
                                         {"method": "phone", "note": "已联系"}, format="json")
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert ticket.history.latest("history_date").history_user == users["station_a"]
    assert ticket.events.latest("at").actor == users["station_a"]


def _contacted(dispatched, users):
    ticket = dispatched()
    return s.ticket_contact(ticket=ticket, actor=users["station_a"], method="phone")


def test_revealing_a_phone_on_the_page_is_recorded(dispatched, users, client_for):
    ticket = _contacted(dispatched, users)
    page = client_for("agent").get(reverse("complaints:detail", args=[ticket.number]))
    assert page.status_code == 200
    assert "13800138000" not in page.content.decode() and "138****8000" in page.content.decode()
    assert not SensitiveAccess.objects.exists()
    response = client_for("agent").post(reverse("complaints:reveal_phone", args=[ticket.number]))
    assert response.status_code == 200
    assert "13800138000" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    row = SensitiveAccess.objects.get()
    assert (row.user, row.ticket_id, row.field) == (users["agent"], ticket.pk, "customer_phone") and row.at


def test_roles_that_do_not_call_customers_cannot_reveal(dispatched, users, client_for):
    ticket = _contacted(dispatched, users)
    page = client_for("viewer").get(reverse("complaints:detail", args=[ticket.number]))
    assert page.status_code == 200
    assert "13800138000" not in page.content.decode() and "138****8000" in page.content.decode()
    response = client_for("viewer").post(reverse("complaints:reveal_phone", args=[ticket.number]))
    assert response.status_code == 403
    assert "13800138000" not in response.content.decode()
    assert not SensitiveAccess.objects.exists()


def test_reveal_needs_post(dispatched, users, client_for):
    ticket = _contacted(dispatched, users)
    assert client_for("agent").get(reverse("complaints:reveal_phone", args=[ticket.number])).status_code == 405
    assert not SensitiveAccess.objects.exists()
