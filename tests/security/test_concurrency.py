"""Concurrency on PostgreSQL (skipped elsewhere): two people acting on one ticket at once — exactly
one wins and the other gets a conflict; concurrent intakes get distinct numbers; an idempotent
retry racing itself registers one ticket.

Run with DATABASE_URL=postgres://... . Each thread opens its own connection and closes it."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from accounts.models import User
from complaints import services as s
from complaints.models import IdempotencyKey, Status, Ticket
from core.errors import Conflict

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and sequences"),
    pytest.mark.django_db(transaction=True),
]


def run_together(*calls):
    """Start every call at the same moment in its own thread; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def runner(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            errors[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def fresh(name):
    return User.objects.get(username=name)


def _one_winner(results, errors):
    winners = [r for r in results if r is not None]
    conflicts = [e for e in errors if isinstance(e, Conflict)]
    others = [e for e in errors if e is not None and not isinstance(e, Conflict)]
    assert not others, others
    assert len(winners) == 1 and len(conflicts) == 1, (results, errors)
    return winners[0], conflicts[0]


def test_two_dispatchers_at_once_one_wins(make_ticket, units):
    ticket = make_ticket()
    version = ticket.version
    a, b = units["GS-A1-1"], units["GS-B1-1"]
    results, errors = run_together(
        lambda: s.ticket_dispatch(ticket=ticket.number, actor=fresh("lead"), unit=a, expected_version=version),
        lambda: s.ticket_dispatch(ticket=ticket.number, actor=fresh("supervisor"), unit=b, expected_version=version),
    )
    winner, conflict = _one_winner(results, errors)
    assert "刷新" in conflict.message or "不能" in conflict.message
    ticket.refresh_from_db()
    assert ticket.status == Status.DISPATCHED and ticket.unit_id == winner.unit_id
    assert ticket.version == version + 1
    assert ticket.events.filter(action="dispatch").count() == 1
    assert ticket.history.count() == 2


def test_two_dispatchers_without_version_one_wins_by_state(make_ticket, units):
    """Even without expected_version the row lock serialises them: the second sees 'dispatched'."""
    ticket = make_ticket()
    results, errors = run_together(
        lambda: s.ticket_dispatch(ticket=ticket.number, actor=fresh("lead"), unit=units["GS-A1-1"]),
        lambda: s.ticket_dispatch(ticket=ticket.number, actor=fresh("supervisor"), unit=units["GS-B1-1"]),
    )
    _winner, conflict = _one_winner(results, errors)
    assert conflict.code == "invalid_transition"
    assert Ticket.objects.get(pk=ticket.pk).events.filter(action="dispatch").count() == 1


def test_two_handlers_replying_at_once_one_wins(make_ticket, units, users):
    ticket = make_ticket()
    ticket = s.ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])
    ticket = s.ticket_contact(ticket=ticket, actor=users["station_a"], method="phone")

    def reply(name, text):
        return lambda: s.ticket_reply(ticket=ticket.number, actor=fresh(name), substantiated=True, cause="原因",
                                      measures="措施", reply_text=text)

    results, errors = run_together(reply("station_a", "答复一"), reply("manager_a", "答复二"))
    winner, _conflict = _one_winner(results, errors)
    ticket.refresh_from_db()
    assert ticket.status == Status.REPLIED and ticket.reply_text == winner.reply_text
    assert ticket.events.filter(action="reply").count() == 1


def test_two_api_clients_at_once_one_gets_409(make_ticket, units, users):
    from rest_framework.test import APIClient

    from accounts.tokens import issue

    ticket = make_ticket()
    keys = {name: issue(users[name])[1] for name in ("lead", "supervisor")}

    def dispatch(name, unit):
        def call():
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {keys[name]}")
            return client.post(f"/api/v1/tickets/{ticket.number}/dispatch/",
                               {"unit": unit, "version": ticket.version}, format="json")
        return call

    results, errors = run_together(dispatch("lead", "GS-A1-1"), dispatch("supervisor", "GS-B1-1"))
    assert errors == [None, None]
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409], [r.content for r in results]
    conflict = next(r for r in results if r.status_code == 409).json()
    assert conflict["error"]["code"] == "stale"
    assert Ticket.objects.get(pk=ticket.pk).events.filter(action="dispatch").count() == 1


def _intake(category, **extra):
    return s.IntakeData(channel="95598_phone", kind="complaint", customer_name="并发客户", customer_phone="13900000000",
                        description="并发受理", category=category, **extra)


def test_fifty_concurrent_intakes_get_fifty_distinct_numbers(users, category):
    def register(i):
        try:
            ticket, created = s.ticket_register(actor=fresh("agent"), data=_intake(category, account_no=f"31{i:08d}"))
            return ticket.number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(register, range(50)))
    assert len(numbers) == 50 and len(set(numbers)) == 50
    assert Ticket.objects.count() == 50
    assert set(Ticket.objects.values_list("number", flat=True)) == set(numbers)


def test_ten_identical_idempotent_intakes_make_one_ticket(users, category):
    barrier = threading.Barrier(10)

    def register(_):
        try:
            barrier.wait(timeout=10)
            ticket, created = s.ticket_register(actor=fresh("agent"), data=_intake(category),
                                                idempotency_key="retry-7f3a")
            return ticket.number, created
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(register, range(10)))
    assert len({number for number, _ in outcomes}) == 1
    assert sum(created for _, created in outcomes) == 1
    assert Ticket.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_ten_identical_idempotent_api_posts_make_one_ticket(users, category):
    from rest_framework.test import APIClient

    from accounts.tokens import issue

    key = issue(users["agent"])[1]
    body = {"channel": "95598_phone", "kind": "complaint", "customer": {"name": "并发客户", "phone": "13900000000"},
            "description": "并发受理", "category": category.code}
    barrier = threading.Barrier(10)

    def post(_):
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            barrier.wait(timeout=10)
            response = client.post("/api/v1/tickets/", body, format="json", HTTP_IDEMPOTENCY_KEY="api-retry-1")
            return response.status_code, response.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(post, range(10)))
    codes = sorted(code for code, _ in outcomes)
    assert codes == [200] * 9 + [201], outcomes
    assert len({body["number"] for _, body in outcomes}) == 1
    assert Ticket.objects.count() == 1


def test_twenty_concurrent_intakes_of_one_caller_flag_nineteen_repeats(users, category):
    # The same caller (phone) rings 20 times at once about the same matter: whichever is written
    # first is the original, every later one sees an earlier ticket and is a repeat linked to it.
    results, errors = run_together(*[
        (lambda: s.ticket_register(actor=fresh("agent"), data=_intake(category))[0]) for _ in range(20)])
    assert errors == [None] * 20
    tickets = Ticket.objects.filter(customer_phone="13900000000")
    assert tickets.count() == 20
    assert tickets.filter(is_repeat=True).count() == 19
    first = tickets.order_by("id").first()
    assert first.is_repeat is False  # the first written is the one no other preceded
