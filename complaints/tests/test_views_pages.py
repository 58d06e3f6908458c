"""Page tests: each role's main page, scoping, the intake form, search and the query-count bounds."""
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Category, SensitiveAccess, Status, Ticket
from complaints.services import ticket_dispatch

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


# --- intake ---------------------------------------------------------------------------------

def _intake_post(**overrides):
    data = {"channel": "95598_phone", "kind": "complaint", "category": Category.objects.get(code="FW01").pk,
            "severity": "ordinary", "service_type": "", "received_at": "", "customer_name": "李四",
            "customer_phone": "13900139000", "account_no": "3100099999", "address": "东州市城关镇幸福村",
            "description": "抄表员服务态度差", "mood": "calm", "idempotency_key": "k-1"}
    data.update(overrides)
    return data


def test_intake_page_renders_for_agent(client, users):
    response = _client(client, users["agent"]).get(reverse("complaints:intake"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "受理登记" in body and 'data-filter-select="#id_category"' in body
    assert "autofocus" in body


def test_intake_refused_to_handler(client, users):
    response = _client(client, users["station_a"]).get(reverse("complaints:intake"))
    assert response.status_code == 403


def test_intake_creates_ticket_and_shows_number(client, users):
    response = _client(client, users["agent"]).post(reverse("complaints:intake"), _intake_post(), follow=True)
    ticket = Ticket.objects.get(customer_name="李四")
    assert response.redirect_chain[-1][0] == reverse("complaints:detail", args=[ticket.number])
    body = response.content.decode()
    assert f"工单号 <strong class=\"ticket-no\" data-ticket-number>{ticket.number}</strong>" in body
    assert ticket.status == Status.REGISTERED and ticket.created_by == users["agent"]


def test_intake_repeat_submit_is_idempotent(client, users):
    c = _client(client, users["agent"])
    c.post(reverse("complaints:intake"), _intake_post())
    c.post(reverse("complaints:intake"), _intake_post())
    assert Ticket.objects.filter(customer_name="李四").count() == 1


def test_intake_service_errors_next_to_fields_and_input_kept(client, users):
    response = _client(client, users["agent"]).post(
        reverse("complaints:intake"), _intake_post(category="", customer_phone="", account_no="", address="某某路1号"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "投诉须选择分类" in body and "联系电话和户号至少填写一项" in body
    assert 'value="某某路1号"' in body
    assert not Ticket.objects.exists()


def test_intake_letter_requires_entered_received_time(client, users):
    response = _client(client, users["agent"]).post(
        reverse("complaints:intake"),
        _intake_post(channel="letter", received_at="2026-01-05T09:00", received_default="2026-01-05T09:00"))
    assert response.status_code == 400
    assert "来信、来访须填写实际收到时间" in response.content.decode()


def test_intake_close_at_intake(client, users):
    response = _client(client, users["agent"]).post(
        reverse("complaints:intake"),
        _intake_post(kind="enquiry", category="", close_now="on", close_reply="已告知停电时间"), follow=True)
    ticket = Ticket.objects.get(customer_name="李四")
    assert ticket.status == Status.ARCHIVED and ticket.reply_text == "已告知停电时间"
    assert "已直接办结" in response.content.decode()


def test_intake_close_refused_for_complaint(client, users):
    response = _client(client, users["agent"]).post(
        reverse("complaints:intake"), _intake_post(close_now="on", close_reply="答复"))
    assert response.status_code == 400
    assert "只有咨询、表扬、建议、意见可以直接办结" in response.content.decode()


def test_earlier_tickets_as_typed(client, users, make_ticket):
    earlier = make_ticket(customer_phone="13700137000")
    c = _client(client, users["agent"])
    body = c.get(reverse("complaints:earlier"), {"customer_phone": "13700137000"}).content.decode()
    assert earlier.number in body and "137****7000" in body and "13700137000" not in body
    body = c.get(reverse("complaints:earlier"), {"customer_phone": "1370"}).content.decode()
    assert earlier.number not in body


def test_earlier_tickets_fragment_skips_the_page_frame(client, users, make_ticket):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_ticket(customer_phone="13700137000")
    c = _client(client, users["agent"])
    with CaptureQueriesContext(connection) as ctx:  # asked on every pause in typing
        body = c.get(reverse("complaints:earlier"), {"customer_phone": "13700137000"},
                     HTTP_HX_REQUEST="true").content.decode()
    assert "notif-bell" not in body
    assert not [q for q in ctx.captured_queries if "notifications_notification" in q["sql"]]


def test_earlier_tickets_scoped(client, users, units, make_ticket):
    ticket = make_ticket(customer_phone="13700137000")
    ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])
    c = _client(client, users["station_b"])
    body = c.get(reverse("complaints:earlier"), {"customer_phone": "13700137000"}).content.decode()
    assert ticket.number not in body


def test_earlier_tickets_of_own_unit_shown_behind_many_newer_elsewhere(client, users, units, make_ticket):
    own = ticket_dispatch(ticket=make_ticket(customer_phone="13700137000"), actor=users["lead"],
                          unit=units["GS-A1-1"])
    for _ in range(10):  # newer tickets of the same caller that station A may not see
        ticket_dispatch(ticket=make_ticket(customer_phone="13700137000"), actor=users["lead"], unit=units["GS-B1-1"])
    # A handling unit has no number search (customer_search): it finds nothing, not even its own ticket.
    body = _client(client, users["station_a"]).get(reverse("complaints:earlier"),
                                                   {"customer_phone": "13700137000"}).content.decode()
    assert own.number not in body and "data-earlier-empty" in body


# --- role pages -----------------------------------------------------------------------------

def test_dispatch_queue_shows_registered_and_returned_oldest_first(client, users, make_ticket):
    first, second = make_ticket(), make_ticket(customer_phone="13600136000")
    body = _client(client, users["lead"]).get(reverse("complaints:dispatch_queue")).content.decode()
    assert body.index(first.number) < body.index(second.number)
    assert "data-countdown" in body


def test_dispatch_queue_shows_return_reason(client, users, units, make_ticket):
    from complaints.services import ticket_return

    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    ticket_return(ticket=ticket, actor=users["station_a"], reason="不属于本所辖区")
    body = _client(client, users["lead"]).get(reverse("complaints:dispatch_queue")).content.decode()
    assert ticket.number in body and "不属于本所辖区" in body


def test_dispatch_queue_refused_to_handler(client, users):
    assert _client(client, users["station_a"]).get(reverse("complaints:dispatch_queue")).status_code == 403


def test_my_work_shows_own_station_only(client, users, units, make_ticket):
    mine = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    other = ticket_dispatch(ticket=make_ticket(customer_phone="13600136000"), actor=users["lead"],
                            unit=units["GS-B1-1"])
    response = _client(client, users["station_a"]).get(reverse("complaints:my_work"))
    body = response.content.decode()
    assert response.status_code == 200
    assert mine.number in body and other.number not in body
    assert "clock-running" in body and "首次联系" in body


def test_my_work_clock_filter(client, users, units, make_ticket, time_machine):
    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    c = _client(client, users["manager_a"])
    assert ticket.number not in c.get(reverse("complaints:my_work"), {"clock": "breached"}).content.decode()
    time_machine.move_to(ticket.next_due_at + timedelta(hours=1))
    c.force_login(users["manager_a"])  # the session would have expired meanwhile
    assert ticket.number in c.get(reverse("complaints:my_work"), {"clock": "breached"}).content.decode()


def test_supervision_page_lists_replies_to_review(client, users, units, make_ticket):
    from complaints.services import ticket_contact, ticket_reply

    t = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    ticket_contact(ticket=t, actor=users["station_a"], method="phone")
    ticket_reply(ticket=t, actor=users["station_a"], substantiated=False, cause="c", measures="m", reply_text="r")
    response = _client(client, users["supervisor"]).get(reverse("complaints:supervision"))
    assert response.status_code == 200
    assert t.number in response.content.decode()


def test_supervision_refused_to_agent(client, users):
    assert _client(client, users["agent"]).get(reverse("complaints:supervision")).status_code == 403


def test_ticket_page_other_station_404(client, users, units, make_ticket):
    t = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    assert _client(client, users["station_b"]).get(reverse("complaints:detail", args=[t.number])).status_code == 404
    assert client.get(reverse("complaints:detail", args=["202601010000000"])).status_code == 404


def test_ticket_page_shows_masked_phone_and_actions(client, users, units, make_ticket):
    t = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    response = _client(client, users["station_a"]).get(reverse("complaints:detail", args=[t.number]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "138****8000" in body and "13800138000" not in body
    assert 'data-action="contact"' in body and 'data-action="return"' in body
    assert 'data-action="review"' not in body and 'data-action="dispatch"' not in body
    assert f'name="version" value="{t.version}"' in body
    assert "处理过程" in body and "受理登记" in body


def test_reveal_phone_logs_access(client, users, units, make_ticket):
    t = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    response = _client(client, users["station_a"]).post(reverse("complaints:reveal_phone", args=[t.number]))
    assert response.status_code == 200 and "13800138000" in response.content.decode()
    assert SensitiveAccess.objects.filter(ticket=t, user=users["station_a"], field="customer_phone").count() == 1


def test_reveal_phone_refused_without_permission(client, users, make_ticket):
    t = make_ticket()
    response = _client(client, users["viewer"]).post(reverse("complaints:reveal_phone", args=[t.number]))
    assert response.status_code == 403
    assert not SensitiveAccess.objects.exists()


def test_report_never_reaches_the_station(client, users, units, make_ticket):
    t = ticket_dispatch(ticket=make_ticket(kind="report", customer_name="王举报"), actor=users["discipline"],
                        unit=units["JJ"])
    c = _client(client, users["station_a"])
    assert c.get(reverse("complaints:detail", args=[t.number])).status_code == 404
    body = c.get(reverse("complaints:list")).content.decode()
    assert t.number not in body and "王举报" not in body
    assert t.number not in c.get(reverse("complaints:list"), {"q": "13800138000"}).content.decode()
    assert c.post(reverse("complaints:reveal_phone", args=[t.number])).status_code == 404
    page = _client(Client(), users["discipline"]).get(reverse("complaints:detail", args=[t.number])).content.decode()
    assert "王举报" in page


# --- list / search --------------------------------------------------------------------------

def test_list_search_by_number_phone_name(client, users, make_ticket):
    a = make_ticket(customer_name="赵六", customer_phone="13511112222")
    b = make_ticket(customer_name="钱七", customer_phone="13533334444", account_no="3100077777")
    c = _client(client, users["agent"])
    url = reverse("complaints:list")
    for q, hit, miss in ((a.number, a, b), ("13533334444", b, a), ("赵六", a, b), ("3100077777", b, a)):
        body = c.get(url, {"q": q}).content.decode()
        assert hit.number in body and miss.number not in body, q


def test_list_filters_and_scope(client, users, units, make_ticket):
    a = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    b = make_ticket(kind="enquiry", category=None, customer_phone="13600136000")
    c = _client(client, users["agent"])
    url = reverse("complaints:list")
    body = c.get(url, {"status": "dispatched"}).content.decode()
    assert a.number in body and b.number not in body
    body = c.get(url, {"kind": "enquiry"}).content.decode()
    assert b.number in body and a.number not in body
    body = c.get(url, {"unit": units["XG-A1"].pk}).content.decode()
    assert a.number in body and b.number not in body
    body = c.get(url, {"status": "nonsense", "received_from": "not-a-date"})
    assert body.status_code == 400 and "以下筛选条件无效" in body.content.decode()  # the list, with the form error
    body = _client(client, users["station_b"]).get(url).content.decode()
    assert a.number not in body


def test_list_keyset_pagination(client, users, make_ticket, settings):
    from complaints.views import queues

    queues.PAGE_SIZE, old = 3, queues.PAGE_SIZE
    try:
        tickets = [make_ticket(customer_phone=f"1350000000{i}") for i in range(7)]
        c = _client(client, users["agent"])
        url = reverse("complaints:list")
        seen = []
        response = c.get(url)
        while True:
            body = response.content.decode()
            seen += re.findall(r'data-ticket="(\d+)"', body)
            match = re.search(r'href="(\?[^"]*cursor=[^"]*)" rel="next"', body)
            if not match:
                break
            response = c.get(url + match.group(1).replace("&amp;", "&"))
        assert seen == [t.number for t in sorted(tickets, key=lambda t: (t.received_at, t.pk), reverse=True)]
        prev = re.search(r'href="(\?[^"]*cursor=[^"]*)" rel="prev"', body)
        assert prev is not None
        back = c.get(url + prev.group(1).replace("&amp;", "&")).content.decode()
        assert len(re.findall(r'data-ticket="(\d+)"', back)) == 3
    finally:
        queues.PAGE_SIZE = old


# --- query counts: 5 tickets vs 30 give the same number -------------------------------------

def _count(django_assert_max_num_queries, client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who,page", [("agent", "complaints:list"), ("lead", "complaints:dispatch_queue"),
                                      ("station_a", "complaints:my_work"), ("supervisor", "complaints:supervision"),
                                      ("station_a", "notifications:list")])
def test_list_pages_constant_queries(client, users, units, make_ticket, who, page, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            t = make_ticket(customer_phone="13800138000")
            if page in ("complaints:my_work", "notifications:list"):
                ticket_dispatch(ticket=t, actor=users["lead"], unit=units["GS-A1-1"])

    c = _client(client, users[who])
    url = reverse(page)
    c.get(url)  # the user's grants are cached from now on, as on a running system
    add(5)
    small = _count(django_assert_max_num_queries, c, url)
    add(25)
    large = _count(django_assert_max_num_queries, c, url)
    assert large == small
    with django_assert_max_num_queries(small):
        c.get(url)
    assert small <= 15
