import pytest

from complaints.models import Status
from complaints.services import (
    ticket_callback,
    ticket_contact,
    ticket_dispatch,
    ticket_reply,
    ticket_review,
)
from sla.models import ClockState


@pytest.mark.django_db
def test_full_loop_with_unsatisfied_callback(make_ticket, users, units):
    ticket = make_ticket()
    assert ticket.status == Status.REGISTERED
    assert [c.name for c in ticket.clocks.all()] == ["dispatch"]
    ticket = ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])
    assert ticket.status == Status.DISPATCHED
    assert {c.name: c.state for c in ticket.clocks.all()} == {
        "dispatch": ClockState.MET, "first_contact": ClockState.RUNNING, "resolution": ClockState.RUNNING}
    ticket = ticket_contact(ticket=ticket, actor=users["station_a"], method="phone", note="已电话联系")
    ticket = ticket_reply(ticket=ticket, actor=users["station_a"], substantiated=True, cause="态度问题",
                          measures="批评教育", reply_text="已致歉")
    ticket = ticket_review(ticket=ticket, actor=users["supervisor"], approved=True)
    ticket = ticket_callback(ticket=ticket, actor=users["supervisor"], result="unsatisfied", note="不满意")
    assert ticket.status == Status.DISPATCHED
    assert ticket.redispatch_count == 1
    assert ticket.events.count() == 6
    assert ticket.history.count() == 6
