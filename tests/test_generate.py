"""The data generator (bench/generate.py, `python -m bench.generate`): realistic, internally consistent
data (SQLite bulk path or PostgreSQL COPY path, whichever database the tests run on)."""
import re
from collections import Counter, defaultdict

import pytest

from complaints.models import Callback, Ticket, TicketEvent
from sla.models import Clock

pytestmark = pytest.mark.django_db(transaction=True)

OPEN = {"registered", "dispatched", "returned", "contacted", "replied", "reviewed"}


def _generate(count=200, days=12, **options):
    from core import memo

    for each in memo.MEMOS:
        each.forget()
    from bench.generate import generate

    generate(count, seed=7, units=30, days=days, log=lambda line: None, **options)


def test_generates_consistent_tickets():
    _generate()
    tickets = list(Ticket.objects.all())
    assert len(tickets) == 200

    # numbers: unique, YYYYMMDD (local received date) + 7 digits
    numbers = [t.number for t in tickets]
    assert len(set(numbers)) == 200
    from django.utils import timezone

    for t in tickets:
        assert re.fullmatch(r"\d{15}", t.number)
        assert t.number[:8] == f"{timezone.localtime(t.received_at):%Y%m%d}"

    clocks = defaultdict(list)
    for c in Clock.objects.all():
        clocks[c.ticket_id].append(c)
    events = defaultdict(list)
    for e in TicketEvent.objects.order_by("at", "id"):
        events[e.ticket_id].append(e)
    callbacks = Counter(Callback.objects.values_list("ticket_id", flat=True))
    history = Counter(Ticket.history.filter(history_type="+").values_list("id", flat=True))

    statuses = Counter(t.status for t in tickets)
    assert statuses["archived"] > 0
    assert sum(statuses[s] for s in OPEN) > 0, statuses  # 12 days: some still being worked on
    for t in tickets:
        assert clocks[t.id], f"{t.number} has no clocks"
        assert events[t.id][0].action == "register"
        assert events[t.id][-1].to_status == t.status
        assert history[t.id] == 1
        for earlier, later in zip(events[t.id], events[t.id][1:], strict=False):
            assert earlier.at <= later.at
        if t.status in ("archived", "withdrawn"):
            assert t.closed_at is not None
            assert t.sla_state == "none" and t.next_due_at is None
        else:
            assert t.closed_at is None
        if t.status in ("dispatched", "contacted", "replied", "reviewed"):
            assert t.unit_id is not None and t.dispatched_at is not None
            assert any(c.name == "first_contact" for c in clocks[t.id])
        if t.status == "dispatched":
            fc = [c for c in clocks[t.id] if c.name == "first_contact" and c.completed_at is None]
            assert fc and fc[0].state in ("running", "warning", "breached")
        if t.status == "archived" and t.callback_result:
            assert callbacks[t.id] >= 1
        # the denormalised SLA state is the worst unfinished clock
        active = [c for c in clocks[t.id] if c.completed_at is None and c.state != "cancelled"]
        if not active:
            assert t.sla_state == "none"
        else:
            states = {c.state for c in active}
            worst = "breached" if "breached" in states else "warning" if "warning" in states else "running"
            assert t.sla_state == worst
            assert t.next_due_at == min(c.due_at for c in active)
        for c in clocks[t.id]:
            assert c.warn_at <= c.due_at
            if c.state in ("met", "breached") and c.completed_at is not None:
                assert (c.state == "breached") == (c.due_at < c.completed_at)


def test_idempotent_org_and_no_number_collisions():
    from accounts.models import Unit
    from complaints.services.numbering import next_numbers

    _generate(count=50)
    units = Unit.objects.count()
    assert units >= 30
    _generate(count=50)
    assert Unit.objects.count() == units
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 100
    # intake after a load draws a number past the generated block
    suffixes = {n[8:] for n in numbers}
    assert next_numbers(1)[0][8:] not in suffixes


def test_escalation_follows_mood_breaches_and_callbacks():
    """The documented escalation mechanism (bench/README.md): a complaint with an upset customer, a
    breached clock or an unsatisfied callback is chased more, and the same customer's next ticket is
    more often a 12398 transfer (越级) or a repeat complaint, than after a calm, on-time complaint."""
    from datetime import timedelta

    _generate(count=2500, days=40)
    breached = set(Clock.objects.filter(state="breached").values_list("ticket_id", flat=True))
    rows = list(Ticket.objects.order_by("received_at").values_list(
        "id", "customer_phone", "received_at", "kind", "channel", "mood", "redispatch_count", "chase_count",
        "is_escalated", "is_repeat"))
    chase_events = Counter(TicketEvent.objects.filter(action="chase").values_list("ticket_id", flat=True))
    by_phone = defaultdict(list)
    for row in rows:
        by_phone[row[1]].append(row)
    groups = {"upset": [], "calm": []}  # (chases, escalated next) per complaint
    for items in by_phone.values():
        for k, (tid, _phone, at, kind, channel, mood, redispatch, chases, _esc, _rep) in enumerate(items):
            assert chases == chase_events[tid]
            if kind != "complaint" or channel == "12398":
                continue
            nxt = items[k + 1] if k + 1 < len(items) else None
            if nxt is None or nxt[2] - at > timedelta(days=90):
                outcome = False
            else:
                outcome = nxt[4] == "12398" or nxt[9]
            upset = mood != "calm" or tid in breached or redispatch
            groups["upset" if upset else "calm"].append((chases, outcome))
    assert all(len(g) >= 50 for g in groups.values()), {k: len(g) for k, g in groups.items()}

    def rate(group, i):
        return sum(x[i] for x in group) / len(group)

    assert rate(groups["upset"], 1) > 1.5 * rate(groups["calm"], 1)
    assert rate(groups["upset"], 0) > 1.5 * rate(groups["calm"], 0)
    assert Ticket.objects.filter(is_escalated=True, channel="12398").exists()


def test_clocks_follow_the_products_rules():
    """The generator imports the clock rules (sla.services, sla.policies) instead of copying them: every
    generated clock has the policy, start and due instants the services would give that ticket."""
    from datetime import timedelta

    from sla.policies import match_policy
    from sla.services import calendar_unit_of, compute_due, regulator_reply_due, ticket_region_type

    _generate(count=400, days=30)
    second = timedelta(seconds=1)
    tickets = Ticket.objects.select_related("unit", "intake_unit", "service_area__unit").in_bulk()
    names = set()
    for c in Clock.objects.select_related("policy"):
        t = tickets[c.ticket_id]
        names.add(c.name)
        if c.name == "regulator_reply":
            due, warn, _known = regulator_reply_due(t, c.started_at)
            assert t.channel == "12398" and c.started_at == t.received_at
        else:
            if c.name in ("repair_arrival", "first_contact", "resolution", "callback") and t.unit_id:
                # limits that depend on the responsible unit: the policy for the unit's region
                assert c.policy == match_policy(c.name, t, ticket_region_type(t)), (t.number, c.name)
            due, warn, _known = compute_due(c.policy, c.started_at, unit=calendar_unit_of(t), clock=c.name)
        assert abs(c.due_at - due) <= second and abs(c.warn_at - warn) <= second, (t.number, c.name)
        if c.name in ("repair_arrival", "connection", "regulator_reply"):
            assert c.started_at == t.received_at  # these run from receipt
        if c.name == "reconnection":
            assert abs(c.started_at - t.paid_at) <= second  # from payment
    assert {"dispatch", "first_contact", "resolution", "callback", "repair_arrival", "regulator_reply"} <= names
