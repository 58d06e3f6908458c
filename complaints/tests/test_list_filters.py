"""One filter schema and one paginator for the ticket list page, the API and the exports (issue 16),
with search and totals (issue 17): the same query string gives the same tickets everywhere."""
import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.services import ticket_dispatch
from core import pagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_unit(make_ticket, users, units):
    def make(unit="GS-A1-1", **fields):
        return ticket_dispatch(ticket=make_ticket(**fields), actor=users["lead"], unit=units[unit])

    return make


def _page_numbers(client, query) -> set[str]:
    body = client.get(reverse("complaints:list"), query).content.decode()
    return {line.split('data-ticket="')[1].split('"')[0] for line in body.splitlines() if 'data-ticket="' in line}


def _api_numbers(client, query) -> set[str]:
    return {t["number"] for t in client.get(reverse("api-tickets"), query).json()["results"]}


def _export_numbers(client, query) -> set[str]:
    response = client.get(reverse("reports:export_tickets", args=["csv"]), query)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return {row[0] for row in rows[1:]}


def test_the_same_filter_gives_the_same_tickets_on_page_api_and_export(at_unit, make_ticket, units, client_for,
                                                                     client_as):
    letter_a = at_unit(channel="95598_online")
    phone_a = at_unit()
    letter_b = at_unit("GS-B1-1", channel="95598_online")
    registered = make_ticket(channel="95598_online")  # not dispatched yet
    page, api = client_for("supervisor"), client_as("supervisor")
    cases = {
        # the API's spelling of a unit (its code) and the page's (its id) mean the same subtree
        (("channel", "95598_online"), ("unit", "GS-A1-1")): {letter_a.number},
        (("channel", "95598_online"), ("unit", str(units["GS-A1-1"].pk))): {letter_a.number},
        (("status", "dispatched"), ("channel", "95598_online")): {letter_a.number, letter_b.number},
        (("status", "registered,dispatched"), ("channel", "95598_online")): {letter_a.number, letter_b.number,
                                                                       registered.number},
        (("q", phone_a.number),): {phone_a.number},
    }
    for query, expected in cases.items():
        params = dict(query)
        assert _page_numbers(page, params) == expected, query
        assert _api_numbers(api, params) == expected, query
        assert _export_numbers(page, params) == expected, query
    # ?status= repeated (the API's documented form) is the comma list
    assert _api_numbers(api, [("status", "registered"), ("status", "dispatched"), ("channel", "95598_online")]) == {
        letter_a.number, letter_b.number, registered.number}


def test_bad_filter_values_answer_400_in_each_dialect(make_ticket, client_for, client_as):
    make_ticket()
    page = client_for("supervisor").get(reverse("complaints:list"), {"status": "bogus"})
    assert page.status_code == 400 and "状态无效：bogus" in page.content.decode()
    api = client_as("supervisor").get(reverse("api-tickets"), {"unit": "NO-SUCH"})
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "invalid" and api.json()["error"]["fields"]["unit"] == ["单位不存在"]
    export = client_for("supervisor").get(reverse("reports:export_tickets", args=["csv"]), {"status": "bogus"})
    assert export.status_code == 400


def test_search_finds_a_ticket_by_a_part_of_its_number_its_address_or_name(at_unit, client_for, client_as):
    target = at_unit(address="东州市城关镇幸福村七组", customer_name="欧阳明华")
    other = at_unit(address="西岭乡", customer_name="李四")
    api = client_as("station_a")  # no right to search by phone: number, address and name still work
    for query in (target.number[-7:], "幸福村七组", "阳明", "欧阳明华"):
        assert _api_numbers(api, {"q": query}) == {target.number}, query
    assert _page_numbers(client_for("station_a"), {"q": "幸福村七组"}) == {target.number}
    assert other.number not in _api_numbers(api, {"q": target.number[-7:]})


def test_a_search_matches_within_one_field_never_across_two(at_unit, client_as):
    target = at_unit(customer_name="欧阳明华", address="东州市城关镇", description="电表走字太快")
    api = client_as("station_a")
    assert _api_numbers(api, {"q": "明华"}) == {target.number}
    assert _api_numbers(api, {"q": "城关镇"}) == {target.number}
    # the end of the name and the start of the address, or of the address and the description
    assert _api_numbers(api, {"q": "明华东州"}) == set()
    assert _api_numbers(api, {"q": "关镇电表"}) == set()


def test_a_word_with_letters_is_found_in_any_case_and_taken_literally(at_unit, client_as):
    target = at_unit(address="东州市 XingFu Road (7+8)号", description="B.C 箱变异响")
    other = at_unit(address="东州市 BxC 小区")
    api = client_as("station_a")
    for query in ("xingfu road", "XINGFU", "(7+8)", "b.c"):
        assert _api_numbers(api, {"q": query}) == {target.number}, query
    assert other.number not in _api_numbers(api, {"q": "B.C"})  # the dot is a dot, not any character


def test_a_text_search_pages_like_any_other_list(at_unit, client_as):
    """A text search's pages are read from its matches' ids (core.pagination, `sparse`): the same
    rows, order, cursors and total as the ordinary keyset query, forward and back."""
    from complaints.filters import search_q
    from complaints.models import Ticket

    hits = [at_unit(description=f"箱变噪音扰民 第{i}次") for i in range(7)]
    at_unit(description="电压偏低")
    matches = Ticket.objects.filter(search_q(None, "噪音扰民"))

    def walk(sparse):
        seen, page = [], pagination.keyset_page(matches, "", 2, count=True, sparse=sparse)
        while True:
            seen.append(([t.number for t in page.items], page.next_cursor, page.prev_cursor, page.total))
            if not page.next_cursor:
                break
            page = pagination.keyset_page(matches, page.next_cursor, 2, count=True, sparse=sparse)
        while page.prev_cursor:
            page = pagination.keyset_page(matches, page.prev_cursor, 2, count=True, sparse=sparse)
            seen.append(([t.number for t in page.items], page.next_cursor, page.prev_cursor, page.total))
        return seen

    newest_first = [t.number for t in sorted(hits, key=lambda t: (t.received_at, t.pk), reverse=True)]
    sparse = walk(True)
    assert sparse == walk(False)
    assert [n for numbers, *_ in sparse[:4] for n in numbers] == newest_first and sparse[0][3] == len(hits)
    body = client_as("station_a").get(reverse("api-tickets"), {"q": "噪音扰民", "page_size": 2}).json()
    assert [t["number"] for t in body["results"]] == newest_first[:2] and body["count"] == len(hits)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_text_and_last_digits_searches_read_their_indexes(at_unit):
    from complaints.filters import search_q
    from complaints.models import Ticket

    ticket = at_unit(address="东州市城关镇幸福村七组")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show its index
    for query, index in (("幸福村七组", "ticket_text_trgm"), ("Xingfu", "ticket_text_trgm"),
                         (ticket.number[-6:], "ticket_number_reversed")):
        plan = Ticket.objects.filter(search_q(None, query)).explain()
        assert index in plan, plan


def test_a_number_is_found_by_its_last_digits_or_by_its_beginning(at_unit, client_as):
    target = at_unit()
    api = client_as("station_a")
    for query in (target.number[-4:], target.number[-8:], target.number[:9], target.number[:14]):
        assert target.number in _api_numbers(api, {"q": query}), query
    assert target.number not in _api_numbers(api, {"q": target.number[4:10]})  # neither its end nor its start


def test_last_four_digits_find_the_caller_only_for_roles_that_may_search_by_phone(at_unit, client_as):
    target = at_unit(customer_phone="13912349876", account_no="")
    assert target.phone_last4 == "9876"  # kept by the database
    assert _api_numbers(client_as("agent"), {"q": "9876"}) == {target.number}
    assert _api_numbers(client_as("station_a"), {"q": "9876"}) == set()  # sees the ticket, no phone search
    assert _api_numbers(client_as("station_a"), {"q": ""}) >= {target.number}


def test_a_user_outside_the_unit_subtree_never_finds_the_ticket(at_unit, client_as, client_for):
    target = at_unit("GS-A1-1", address="东州市城关镇幸福村八组", customer_phone="13912341111")
    for query in (target.number, target.number[-7:], "幸福村八组", "张三"):
        assert target.number not in _api_numbers(client_as("station_b"), {"q": query}), query
        assert target.number not in _page_numbers(client_for("station_b"), {"q": query}), query


def test_totals_count_the_whole_filtered_list_not_the_page(at_unit, client_for, client_as, monkeypatch):
    tickets = [at_unit(channel="95598_online") for _ in range(5)]
    at_unit()
    body = client_as("supervisor").get(reverse("api-tickets"), {"channel": "95598_online", "page_size": 2}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (5, False, 2)
    second = client_as("supervisor").get(body["next"]).json()
    assert second["count"] == 5 and len(second["results"]) == 2
    numbers = {t["number"] for t in body["results"] + second["results"]}
    assert numbers < {t.number for t in tickets}
    page = client_for("supervisor").get(reverse("complaints:list"), {"channel": "95598_online"}).content.decode()
    assert "共 5 条" in page
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)  # past the cap the total is a lower bound
    page = client_for("supervisor").get(reverse("complaints:list"), {"channel": "95598_online"}).content.decode()
    assert "共 3+ 条" in page
    body = client_as("supervisor").get(reverse("api-tickets"), {"channel": "95598_online"}).json()
    assert (body["count"], body["count_capped"]) == (3, True)


def test_the_navigation_search_box_goes_to_the_ticket_list(make_ticket, client_for):
    make_ticket()
    body = client_for("station_a").get(reverse("complaints:my_work")).content.decode()
    assert 'id="nav-search"' in body and f'action="{reverse("complaints:list")}"' in body and 'name="q"' in body


def test_the_schema_documents_the_list_filters(client_as):
    schema = client_as("supervisor").get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    names = {p["name"] for p in schema["paths"]["/api/v1/tickets/"]["get"]["parameters"]}
    assert {"q", "status", "channel", "kind", "category", "unit", "severity", "received_from", "received_to",
            "clock", "clock_state", "cursor", "page_size"} <= names


def test_a_list_that_fits_on_its_first_page_is_not_counted_again(at_unit, client_for, client_as):
    for _ in range(3):
        at_unit(channel="95598_online")
    for client, url in ((client_for("supervisor"), reverse("complaints:list")),
                        (client_as("supervisor"), reverse("api-tickets"))):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"channel": "95598_online"})
        if url.startswith("/api/"):
            assert response.json()["count"] == 3
        else:
            assert "共 3 条" in response.content.decode()
        assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"] and "complaints_ticket" in q["sql"]]
