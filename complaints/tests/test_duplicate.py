"""重复工单: the same call logged twice is marked a duplicate of its original — out of the workflow and of
every figure, recorded, and reversible."""
import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.actions import ACTIONS
from complaints.models import OPEN_STATUSES, Status, Ticket, TicketLink
from complaints.services import allowed_actions, ticket_contact, ticket_dispatch, ticket_reply
from complaints.services.duplicate import ticket_mark_duplicate, ticket_unmark_duplicate
from core.errors import Conflict, PermissionDenied, ValidationFailed
from reports.bulletin import bulletin_tickets
from reports.figures import Period, headline, home_unit, scope_of, ticket_counts
from risk.features import history_counts
from sla.models import Clock, ClockState

pytestmark = pytest.mark.django_db

ACCOUNT = ("a", "3100012345")  # make_ticket's customer


def _period():
    return Period.parse(timezone.localdate().strftime("%Y-%m"))


def _expected(tickets):
    """The figures computed from the rule: every ticket but the duplicates counts."""
    counted = [t for t in (Ticket.objects.get(pk=t.pk) for t in tickets) if t.duplicate_of_id is None]
    complaints = [t for t in counted if t.kind == "complaint"]
    return {"volume": len(counted), "complaint_requests": len(complaints),
            "repeat": sum(1 for t in complaints if t.is_repeat),
            "substantiated": sum(1 for t in complaints if t.substantiated)}


def _figures(users):
    scope, period = scope_of(home_unit(users["supervisor"])), _period()
    counts = ticket_counts(scope, {"current": period})["current"]
    return scope, period, counts


@pytest.fixture
def pair(make_ticket):
    """The same call logged twice: the second is flagged a repeat complaint of the first at intake."""
    original = make_ticket()
    again = make_ticket()
    assert again.is_repeat  # what made the repeat rate rise before this feature
    return original, again


def test_mark_takes_it_out_of_every_figure_and_unmark_puts_it_back(pair, users, units):
    original, again = pair
    # The second copy went its own way: dispatched, contacted, replied substantiated (a bulletin case).
    ticket_dispatch(ticket=again, actor=users["lead"], unit=units["GS-A1-1"])
    ticket_contact(ticket=again, actor=users["station_a"], method="phone")
    ticket_reply(ticket=again, actor=users["station_a"], substantiated=True, cause="态度", measures="教育",
                 reply_text="已致歉")
    tickets = [original, again]
    scope, period, before = _figures(users)
    assert {k: before[k] for k in _expected(tickets)} == _expected(tickets)
    assert before["repeat"] == 1
    assert again.pk in set(bulletin_tickets(scope, period).values_list("pk", flat=True))
    history_before = history_counts({ACCOUNT}, timezone.now() - timezone.timedelta(days=365))[ACCOUNT]

    marked = ticket_mark_duplicate(ticket=again.number, actor=users["supervisor"], original=original.number,
                                   reason="同一来电重复登记")
    assert marked.status == Status.DUPLICATE and marked.duplicate_of_id == original.pk
    assert marked.status not in OPEN_STATUSES and marked.closed_at is not None

    _scope, _period_, after = _figures(users)
    expected = _expected(tickets)
    assert {k: after[k] for k in expected} == expected
    assert after["volume"] == before["volume"] - 1 and after["repeat"] == 0  # not the repeat of its original
    current = headline(scope, period)["current"]
    assert current["repeat_rate"] in (0, 0.0)  # 0 repeats of 1 complaint
    assert again.pk not in set(bulletin_tickets(scope, period).values_list("pk", flat=True))
    history_after = history_counts({ACCOUNT}, timezone.now() - timezone.timedelta(days=365))[ACCOUNT]
    assert history_after["complaints"] == history_before["complaints"] - 1

    # Recorded: timeline event with the original and a history row.
    event = marked.events.get(action="mark_duplicate")
    assert event.note == "同一来电重复登记" and event.data["original"] == original.number
    assert event.data["from_status"] == Status.REPLIED
    assert marked.history.filter(status=Status.DUPLICATE, duplicate_of_id=original.pk).exists()
    assert set(TicketLink.objects.filter(kind="duplicate").values_list("ticket_id", "other_id")) == {
        (again.pk, original.pk), (original.pk, again.pk)}  # each page names the other

    restored = ticket_unmark_duplicate(ticket=again.number, actor=users["supervisor"], reason="并非同一来电")
    assert restored.status == Status.REPLIED and restored.duplicate_of_id is None and restored.closed_at is None
    assert restored.events.filter(action="unmark_duplicate", note="并非同一来电").exists()
    assert not TicketLink.objects.filter(kind="duplicate").exists()
    _scope, _period_, again_counts = _figures(users)
    assert {k: again_counts[k] for k in _expected(tickets)} == _expected(tickets)
    assert again_counts == before  # counted again, exactly as before
    assert again.pk in set(bulletin_tickets(scope, period).values_list("pk", flat=True))


def test_the_mark_stops_the_clocks_and_unmark_restores_them(pair, users, units):
    original, again = pair
    ticket_dispatch(ticket=again, actor=users["lead"], unit=units["GS-A1-1"])
    running = set(Clock.objects.filter(ticket=again, completed_at__isnull=True)
                  .exclude(state=ClockState.CANCELLED).values_list("pk", flat=True))
    assert running
    marked = ticket_mark_duplicate(ticket=again.number, actor=users["supervisor"], original=original.number,
                                   reason="重复登记")
    assert not Clock.objects.filter(ticket=again, completed_at__isnull=True).exclude(
        state=ClockState.CANCELLED).exists()
    assert marked.sla_state == "none" and marked.next_due_at is None
    restored = ticket_unmark_duplicate(ticket=again.number, actor=users["supervisor"], reason="误标")
    assert restored.status == Status.DISPATCHED
    assert set(Clock.objects.filter(ticket=again, completed_at__isnull=True).exclude(
        state=ClockState.CANCELLED).values_list("pk", flat=True)) == running
    assert restored.sla_state == "running" and restored.next_due_at is not None


def test_refused_cases(pair, users, units, make_ticket):
    original, again = pair
    agent = users["agent"]

    def refused(number, reason="重复", ticket=again, actor=agent):
        with pytest.raises(ValidationFailed) as exc:
            ticket_mark_duplicate(ticket=ticket.number, actor=actor, original=number, reason=reason)
        return exc.value

    missing = refused("209901010000001")
    assert "original" in missing.fields and "不存在或无权查看" in missing.message
    elsewhere = make_ticket(kind="report")  # a misconduct report of the same caller: the agent never sees it
    hidden = refused(elsewhere.number)
    assert hidden.message == missing.message.replace("209901010000001", elsewhere.number)
    assert "自己" in refused(again.number).message
    assert "reason" in refused(original.number, reason=" ").fields
    other_customer = make_ticket(customer_phone="13900139000", account_no="3100099999")
    assert "同一客户" in refused(original.number, ticket=other_customer).message
    # The supervision office sees the report, and is refused too: a report is never linked to a ticket.
    assert "举报" in refused(elsewhere.number, actor=users["supervisor"]).message
    with pytest.raises(PermissionDenied):
        ticket_mark_duplicate(ticket=again.number, actor=users["viewer"],
                              original=original.number, reason="x")
    assert Ticket.objects.get(pk=again.pk).status == Status.REGISTERED  # nothing changed so far

    ticket_mark_duplicate(ticket=again.number, actor=agent, original=original.number, reason="重复登记")
    with pytest.raises(Conflict) as twice:  # already a duplicate
        ticket_mark_duplicate(ticket=again.number, actor=agent, original=original.number, reason="再次")
    assert twice.value.code == "invalid_transition"
    third = make_ticket()
    chained = refused(again.number, ticket=third)  # its original is a duplicate itself: link to the first
    assert again.number in chained.message and "本身已标记为重复工单" in chained.message
    with pytest.raises(Conflict) as has_copies:  # the original of others cannot become a duplicate
        ticket_mark_duplicate(ticket=original.number, actor=agent, original=third.number, reason="反向")
    assert has_copies.value.code == "has_duplicates"


def test_roles_and_offer(pair, users):
    original, again = pair
    assert ACTIONS["mark_duplicate"].permission == "complaints.intake_ticket"
    for name in ("agent", "lead", "supervisor"):
        assert "mark_duplicate" in allowed_actions(users[name], again)
    for name in ("station_a", "manager_a", "viewer", "discipline"):
        assert "mark_duplicate" not in allowed_actions(users[name], again)
    marked = ticket_mark_duplicate(ticket=again.number, actor=users["agent"], original=original.number, reason="重")
    assert "mark_duplicate" not in allowed_actions(users["agent"], marked)
    assert "unmark_duplicate" in allowed_actions(users["agent"], marked)
    assert "unmark_duplicate" in allowed_actions(users["supervisor"], marked)


def test_api_mark_and_unmark(pair, client_as):
    original, again = pair
    api = client_as("agent")
    url = reverse("api-ticket-mark-duplicate", args=[again.number])
    bad = api.post(url, {"original": "209901010000001", "reason": "重复"}, format="json")
    assert bad.status_code == 400 and "original" in bad.json()["error"]["fields"]
    empty = api.post(url, {"original": original.number, "reason": ""}, format="json")
    assert empty.status_code == 400 and "reason" in empty.json()["error"]["fields"]
    ok = api.post(url, {"original": original.number, "reason": "同一来电重复登记", "version": again.version},
                  format="json")
    assert ok.status_code == 200, ok.content
    detail = api.get(reverse("api-ticket-detail", args=[again.number])).json()
    assert detail["status"] == "duplicate" and "unmark_duplicate" in detail["allowed_actions"]
    assert Ticket.objects.get(pk=again.pk).duplicate_of_id == original.pk
    back = api.post(reverse("api-ticket-unmark-duplicate", args=[again.number]), {"reason": "误标"}, format="json")
    assert back.status_code == 200 and Ticket.objects.get(pk=again.pk).status == Status.REGISTERED
    station = client_as("station_a")  # no 受理 right, and the registered ticket is not its unit's: 404
    assert station.post(url, {"original": original.number, "reason": "x"}, format="json").status_code == 404


def test_page_mark_and_unmark(pair, users, client_for):
    original, again = pair
    page = client_for("agent")
    detail = page.get(reverse("complaints:detail", args=[again.number])).content.decode()
    assert "标记为重复工单" in detail and 'name="mark_duplicate-original"' in detail
    act = reverse("complaints:act", args=[again.number, "mark_duplicate"])
    wrong = page.post(act, {"version": again.version, "mark_duplicate-original": again.number,
                            "mark_duplicate-reason": "重复"})
    assert wrong.status_code == 400 and "不能把工单标记为它自己的重复工单" in wrong.content.decode()
    done = page.post(act, {"version": again.version, "mark_duplicate-original": original.number,
                           "mark_duplicate-reason": "同一来电重复登记"})
    assert done.status_code == 302
    marked = Ticket.objects.get(pk=again.pk)
    assert marked.status == Status.DUPLICATE
    queue = client_for("lead").get(reverse("complaints:dispatch_queue")).content.decode()
    assert again.number not in queue and original.number in queue  # out of the workflow, the original stays
    detail = page.get(reverse("complaints:detail", args=[again.number])).content.decode()
    assert "撤销重复标记" in detail and original.number in detail
    undo = page.post(reverse("complaints:act", args=[again.number, "unmark_duplicate"]),
                     {"version": marked.version, "unmark_duplicate-reason": "误标"})
    assert undo.status_code == 302 and Ticket.objects.get(pk=again.pk).status == Status.REGISTERED


def test_a_figures_drill_down_lists_what_the_figure_counted(pair, users, client_for):
    """A chart's bar drills into the ticket list: the duplicate it left out is not listed there; the
    plain list still shows it (with its status)."""
    from reports.figures import ticket_list_url

    original, again = pair
    ticket_mark_duplicate(ticket=again.number, actor=users["agent"], original=original.number, reason="同一来电")
    scope, period, counts = _figures(users)
    drill = client_for("supervisor").get(ticket_list_url(scope, period, kind="complaint")).content.decode()
    assert original.number in drill and again.number not in drill
    assert counts["complaint_requests"] == _expected([original, again])["complaint_requests"]
    plain = client_for("supervisor").get(reverse("complaints:list") + "?kind=complaint").content.decode()
    assert original.number in plain and again.number in plain
