"""Bulk actions on the queues (services/bulk.py, the queue pages' bulk bar, POST /api/v1/tickets/bulk/):
each ticket through the action's own service, a result per ticket, one refusal never stops the
others, tickets outside the scope refused as missing, a batch limit, and bad input changes nothing."""
import pytest
from django.urls import reverse

from complaints.models import Status, SupervisionOrder, Ticket, TicketEvent
from complaints.services import ticket_dispatch, ticket_withdraw
from complaints.services.bulk import MAX_BULK, tickets_bulk
from core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def queued(make_ticket):
    return [make_ticket(customer_name=f"客户{i}") for i in range(4)]


def _versions(tickets):
    return {t.number: Ticket.objects.get(pk=t.pk).version for t in tickets}


# --- the service ------------------------------------------------------------------------------

def test_each_ticket_dispatched_through_the_service_with_a_result_each(queued, users, units):
    unit = units["GS-A1-1"]
    results = tickets_bulk(actor=users["lead"], action="dispatch", numbers=[t.number for t in queued],
                           data={"unit": unit, "note": ""}, versions=_versions(queued))
    assert [r.number for r in results] == [t.number for t in queued]
    assert all(r.done and r.message == f"已派发至 {unit.name}" for r in results)
    for t in queued:
        t.refresh_from_db()
        assert t.status == Status.DISPATCHED and t.unit == unit
        # the service's own record: a timeline event and a history row per ticket
        assert TicketEvent.objects.filter(ticket=t, action="dispatch", actor=users["lead"]).count() == 1
        assert t.history.filter(status=Status.DISPATCHED).exists()


def test_one_refusal_does_not_stop_the_others(queued, users, units):
    first, stale, withdrawn, last = queued
    ticket_withdraw(ticket=withdrawn, actor=users["agent"], reason="客户撤诉")
    versions = _versions(queued)
    versions[stale.number] -= 1  # the page showed an older version: someone changed it meanwhile
    results = {r.number: r for r in tickets_bulk(
        actor=users["lead"], action="dispatch", numbers=[t.number for t in queued],
        data={"unit": units["GS-A1-1"], "note": ""}, versions=versions)}
    assert results[first.number].done and results[last.number].done
    assert not results[stale.number].done and results[stale.number].message == "该工单已被他人修改，请刷新后重试"
    assert not results[withdrawn.number].done
    assert results[withdrawn.number].message == "工单当前状态为「已撤诉」，不能派发"
    assert Ticket.objects.get(pk=stale.pk).status == Status.REGISTERED
    assert Ticket.objects.get(pk=last.pk).status == Status.DISPATCHED


def test_tickets_outside_the_scope_are_refused_as_missing(users, units, make_ticket):
    mine = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    theirs = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-B1-1"])
    handler = users["station_a"]
    before = Ticket.objects.get(pk=theirs.pk).version
    results = tickets_bulk(actor=users["manager_a"], action="assign", numbers=[mine.number, theirs.number, "X1"],
                           data={"handler": handler})
    assert [(r.number, r.done) for r in results] == [(mine.number, True), (theirs.number, False), ("X1", False)]
    assert results[1].message == results[2].message == "工单不存在或无权查看"
    assert results[1].code == "not_found"
    assert Ticket.objects.get(pk=theirs.pk).version == before
    assert Ticket.objects.get(pk=mine.pk).handler == handler


def test_a_report_is_missing_for_the_lead(users, units, make_ticket):
    report = make_ticket(kind="report", description="举报收受好处")
    [result] = tickets_bulk(actor=users["lead"], action="dispatch", numbers=[report.number],
                            data={"unit": units["GS-A1-1"], "note": ""})
    assert not result.done and result.code == "not_found" and result.message == "工单不存在或无权查看"
    assert Ticket.objects.get(pk=report.pk).status == Status.REGISTERED


def test_batch_limit_and_bad_input_change_nothing(queued, users, units):
    numbers = [t.number for t in queued]
    too_many = numbers + [f"2099{i:011d}" for i in range(MAX_BULK)]
    with pytest.raises(ValidationFailed) as exc:
        tickets_bulk(actor=users["lead"], action="dispatch", numbers=too_many, data={"unit": units["GS-A1-1"]})
    assert exc.value.message == f"一次最多处理 {MAX_BULK} 张工单，已选 {len(too_many)} 张：请分批处理"
    for data, action in [({"unit": None}, "dispatch"), ({"kind": "supervision", "content": " "}, "supervise"),
                         ({}, "withdraw"), ({"unit": units["GS-A1-1"]}, "nonsense")]:
        with pytest.raises((ValidationFailed, PermissionDenied)):
            tickets_bulk(actor=users["supervisor"], action=action, numbers=numbers, data=data)
    with pytest.raises(ValidationFailed):
        tickets_bulk(actor=users["lead"], action="dispatch", numbers=["", "  "], data={"unit": units["GS-A1-1"]})
    with pytest.raises(PermissionDenied):  # a station may not dispatch
        tickets_bulk(actor=users["station_a"], action="dispatch", numbers=numbers, data={"unit": units["GS-A1-1"]})
    assert all(t.status == Status.REGISTERED for t in Ticket.objects.filter(pk__in=[t.pk for t in queued]))
    assert not TicketEvent.objects.filter(ticket__in=queued).exclude(action="register").exists()


def test_bulk_supervision_orders(queued, users):
    results = tickets_bulk(actor=users["supervisor"], action="supervise", numbers=[t.number for t in queued[:2]],
                           data={"kind": "supervision", "content": "请加快办理", "due_at": None})
    assert [r.message for r in results] == ["已下发督办单"] * 2
    assert SupervisionOrder.objects.filter(ticket__in=queued[:2], content="请加快办理").count() == 2


# --- the page ---------------------------------------------------------------------------------

def _post(client, tickets, **data):
    body = {"queue": "dispatch", "action": "dispatch", "next": "/queue/dispatch/?cursor=&x=1",
            "pick": [t.number for t in tickets], **data}
    for t in tickets:
        body[f"version-{t.number}"] = Ticket.objects.get(pk=t.pk).version
    return client.post(reverse("complaints:bulk"), body, **HX)


def test_page_bulk_dispatch_answers_the_results_panel(queued, client_for, units):
    unit = units["GS-A1-1"]
    response = _post(client_for("lead"), queued, **{"bulk-dispatch-unit": unit.pk})
    assert response.status_code == 200 and response["HX-Trigger"] == "queue-changed"
    body = response.content.decode()
    assert f"派发：完成 {len(queued)} 张，未完成 0 张" in body
    for t in queued:
        assert f'data-result="{t.number}"' in body
    assert Ticket.objects.filter(pk__in=[t.pk for t in queued], status=Status.DISPATCHED, unit=unit).count() == 4


def test_page_without_htmx_goes_back_to_the_same_place_with_the_results(queued, client_for, units):
    client = client_for("lead")
    body = {"queue": "dispatch", "action": "dispatch", "next": "/queue/dispatch/?q=1", "pick": [queued[0].number],
            "bulk-dispatch-unit": units["GS-A1-1"].pk}
    response = client.post(reverse("complaints:bulk"), body)
    assert response.status_code == 302 and response.url == "/queue/dispatch/?q=1#bulk-results"
    page = client.get("/queue/dispatch/?q=1").content.decode()
    assert "派发：完成 1 张，未完成 0 张" in page and f'data-result="{queued[0].number}"' in page
    assert "完成 1 张" not in client.get("/queue/dispatch/").content.decode()  # shown once


def test_page_refuses_a_unit_outside_the_list_and_changes_nothing(queued, client_for, units):
    response = _post(client_for("lead"), queued, **{"bulk-dispatch-unit": 999999})
    assert "未执行" in response.content.decode()
    assert not Ticket.objects.filter(pk__in=[t.pk for t in queued]).exclude(status=Status.REGISTERED).exists()


def test_page_batch_limit_message(client_for, units):
    client = client_for("lead")
    body = {"queue": "dispatch", "action": "dispatch", "pick": [f"2099{i:011d}" for i in range(MAX_BULK + 1)],
            "bulk-dispatch-unit": units["GS-A1-1"].pk}
    text = client.post(reverse("complaints:bulk"), body, **HX).content.decode()
    assert f"一次最多处理 {MAX_BULK} 张工单" in text


def test_queue_offers_only_the_actions_the_role_may_take(client_for):
    lead = client_for("lead").get("/queue/dispatch/").content.decode()
    assert 'value="dispatch"' in lead and 'data-bulk-for="supervise"' not in lead
    office = client_for("supervisor").get("/queue/dispatch/").content.decode()
    assert 'data-bulk-for="dispatch"' in office and 'data-bulk-for="supervise"' in office
    station = client_for("manager_a").get("/queue/my-work/").content.decode()
    assert 'data-bulk-for="assign"' in station and 'data-bulk-for="dispatch"' not in station


def test_page_refuses_an_action_the_queue_does_not_offer(queued, client_for):
    response = client_for("station_a").post(reverse("complaints:bulk"), {
        "queue": "my_work", "action": "dispatch", "pick": [queued[0].number]}, **HX)
    assert "请选择批量操作" in response.content.decode()
    assert Ticket.objects.get(pk=queued[0].pk).status == Status.REGISTERED


# --- the API ------------------------------------------------------------------------------------

def test_api_bulk_dispatch_answers_per_ticket(queued, client_as, users, units):
    ticket_withdraw(ticket=queued[1], actor=users["agent"], reason="撤诉")
    numbers = [t.number for t in queued[:3]] + ["209901010000001"]
    response = client_as("lead").post("/api/v1/tickets/bulk/", {
        "action": "dispatch", "numbers": numbers, "input": {"unit": "GS-A1-1"},
        "versions": {queued[0].number: Ticket.objects.get(pk=queued[0].pk).version}}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["done"] == 2 and body["refused"] == 2
    assert [(r["number"], r["result"], r["code"]) for r in body["results"]] == [
        (queued[0].number, "done", "ok"), (queued[1].number, "refused", "invalid_transition"),
        (queued[2].number, "done", "ok"), ("209901010000001", "refused", "not_found")]
    assert body["results"][1]["message"] == "工单当前状态为「已撤诉」，不能派发"


def test_api_bulk_bad_input_is_400_and_changes_nothing(queued, client_as):
    client = client_as("lead")
    numbers = [t.number for t in queued]
    for payload in [{"action": "dispatch", "numbers": numbers, "input": {}},
                    {"action": "dispatch", "numbers": numbers, "input": {"unit": "NOPE"}},
                    {"action": "explode", "numbers": numbers, "input": {}},
                    {"action": "dispatch", "numbers": [], "input": {"unit": "GS-A1-1"}},
                    {"action": "dispatch", "numbers": [f"2099{i:011d}" for i in range(MAX_BULK + 1)],
                     "input": {"unit": "GS-A1-1"}},
                    {"action": "dispatch", "numbers": "abc", "input": {"unit": "GS-A1-1"}}]:
        response = client.post("/api/v1/tickets/bulk/", payload, format="json")
        assert response.status_code == 400, (payload["action"], response.content)
        assert response.json()["error"]["message"]
    response = client.post("/api/v1/tickets/bulk/", {"action": "supervise", "numbers": numbers,
                                                     "input": {"kind": "supervision", "content": "x"}}, format="json")
    assert response.status_code == 403
    assert not Ticket.objects.filter(pk__in=[t.pk for t in queued]).exclude(status=Status.REGISTERED).exists()
