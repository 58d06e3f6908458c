"""The points model on hand-built tickets: each factor moves the score by its weight (read from the
business settings here, never copied from the code's output), the "why" names it, levels follow
the thresholds."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from complaints import services as s
from complaints.models import Category, Mood, Ticket
from core.config import setting
from core.models import Setting
from risk.models import Level, SensitiveCustomer, TicketRisk
from risk.services import risk_refresh, risk_sweep
from sla.models import Clock, ClockState

pytestmark = pytest.mark.django_db


def w(code):
    return setting(f"risk_weight_{code}")


def risk(ticket):
    return TicketRisk.objects.get(ticket_id=ticket.pk)


def codes(ticket):
    return {f["code"]: f["points"] for f in risk(ticket).factors}


def test_a_calm_first_complaint_scores_zero(make_ticket):
    t = make_ticket()
    r = risk(t)
    assert (r.score, r.level, r.factors) == (0, Level.NONE, [])


def test_mood_adds_its_weight(make_ticket):
    assert risk(make_ticket(mood=Mood.AGITATED)).score == w("mood_agitated")
    assert codes(make_ticket(mood=Mood.DEMANDS_COMPLAINT, customer_phone="13900000001",
                             account_no="A2")) == {"mood_demands": w("mood_demands")}


def test_each_chase_adds_its_weight_up_to_the_cap(make_ticket, users):
    t = make_ticket()
    for n in range(1, setting("risk_count_cap") + 2):
        s.ticket_chase(ticket=t.number, actor=users["agent"])
        assert risk(t).score == w("chases") * min(n, setting("risk_count_cap"))


def test_repeat_complaint_adds_repeat_and_prior_complaint(make_ticket):
    make_ticket()
    second = make_ticket()
    assert second.is_repeat
    assert codes(second) == {"repeat": w("repeat"), "prior_complaints": w("prior_complaints")}


def test_escalated_12398_and_the_earlier_95598_ticket(make_ticket):
    first = make_ticket(category=Category.objects.get(code="YX01"))
    escalated = make_ticket(channel="12398", regulator_ref="NEA-1")
    assert escalated.is_escalated
    # The customer now has a 12398 ticket: sensitive (automatic rule) on both tickets.
    assert codes(escalated) == {"escalated": w("escalated"), "prior_complaints": w("prior_complaints"),
                                "sensitive": w("sensitive")}
    risk_refresh([first.pk])
    assert codes(first) == {"prior_12398": w("prior_12398"), "prior_complaints": w("prior_complaints"),
                            "sensitive": w("sensitive")}


def test_unsatisfied_and_unreachable_callbacks(reviewed, users):
    s.ticket_callback(ticket=reviewed.number, actor=users["supervisor"], result="unreachable")
    assert codes(reviewed) == {"unreachable": w("unreachable")}
    s.ticket_callback(ticket=reviewed.number, actor=users["supervisor"], result="unsatisfied")
    assert codes(reviewed) == {"unreachable": w("unreachable"), "unsatisfied": w("unsatisfied")}


def test_clock_warnings_and_breaches(dispatched):
    clocks = list(Clock.objects.filter(ticket=dispatched, state=ClockState.RUNNING)[:2])
    Clock.objects.filter(pk=clocks[0].pk).update(state=ClockState.WARNING)
    Clock.objects.filter(pk=clocks[1].pk).update(state=ClockState.BREACHED)
    risk_sweep()
    assert codes(dispatched) == {"clock_warnings": w("clock_warnings"), "clock_breaches": w("clock_breaches")}


def test_sensitive_by_hand(make_ticket, users):
    SensitiveCustomer.objects.create(account_no="3100012345", reason="多次到访", marked_by=users["supervisor"],
                                     marked_at=timezone.now())
    assert codes(make_ticket()) == {"sensitive": w("sensitive")}


def test_category_escalation_share(make_ticket, category):
    Setting.objects.create(key="risk_category_min_tickets", value=4)
    for i in range(3):
        make_ticket(customer_phone=f"1370000000{i}", account_no=f"B{i}")
    make_ticket(channel="12398", regulator_ref="NEA-9", customer_phone="13600000000", account_no="C0")
    risk_sweep()  # the shares are a slow figure: new tickets take them as of the last sweep
    t = make_ticket(customer_phone="13500000000", account_no="D0")
    share = 1 / 4  # one 12398 of the four complaints in the category at the sweep
    assert codes(t) == {"category_share": round(w("category_share") * share)}


def test_history_older_than_twelve_months_does_not_count(make_ticket):
    old = make_ticket()
    Ticket.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=400))
    t = make_ticket(category=Category.objects.get(code="YX01"))
    assert codes(t) == {}


def expected_level(score):
    for level in (Level.RED, Level.ORANGE, Level.YELLOW):
        if score >= setting(f"risk_level_{level}"):
            return level
    return Level.NONE


def test_weights_are_settings_and_levels_follow_thresholds(make_ticket, users):
    Setting.objects.create(key="risk_weight_chases", value=25)
    t = make_ticket()
    for n in (1, 2, 3):
        s.ticket_chase(ticket=t.number, actor=users["agent"])
        assert (risk(t).score, risk(t).level) == (25 * n, expected_level(25 * n))
    assert {expected_level(25 * n) for n in (1, 2, 3)} == {Level.YELLOW, Level.ORANGE, Level.RED}


def test_closing_the_ticket_drops_its_score(make_ticket, users):
    t = make_ticket(mood=Mood.AGITATED)
    s.ticket_withdraw(ticket=t.number, actor=users["agent"], reason="客户撤诉")
    assert not TicketRisk.objects.filter(ticket_id=t.pk).exists()


def test_an_open_outage_on_the_customers_area(make_ticket, units):
    from outages.models import OutageEvent

    now = timezone.now()
    event = OutageEvent.objects.create(kind="fault", cause="线路故障", unit=units["GS-A1-1"], keywords="幸福村",
                                       start_at=now - timedelta(hours=1), entered_at=now)
    t = make_ticket()  # address 东州市城关镇幸福村
    assert codes(t) == {"outage": w("outage")}
    event.restored_at = now
    event.save()
    risk_sweep()
    assert codes(t) == {}


def test_a_planned_outage_counts_from_its_start_without_any_write(make_ticket, units):
    from outages.models import OutageEvent

    now = timezone.now()
    OutageEvent.objects.create(kind="planned", cause="线路检修", unit=units["GS-A1-1"], keywords="幸福村",
                               start_at=now + timedelta(hours=2), entered_at=now - timedelta(days=3))
    t = make_ticket()  # address 东州市城关镇幸福村
    assert codes(t) == {}
    with time_machine.travel(now + timedelta(hours=3)):
        risk_sweep()
        assert codes(t) == {"outage": w("outage")}
