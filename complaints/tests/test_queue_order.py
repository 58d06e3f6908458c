"""Queue ordering by the viewer's next step: my-work lists the unit's own moves (to contact, to reply,
an unanswered supervision order) first, then what waits on the supervision office (review,
callback), each by the nearest deadline; the dispatch queue pins major tickets and offers the
service area's unit as a labelled suggestion, never preselected; the rows endpoints of the live
refresh answer the same rows in a constant number of queries."""
import re

import pytest
from django.urls import reverse

from complaints.models import ServiceArea, Status, Ticket
from complaints.services import (
    ticket_contact,
    ticket_dispatch,
    ticket_reply,
    ticket_review,
    ticket_supervise,
)
from core.models import Setting

pytestmark = pytest.mark.django_db
OWN, OTHERS = 0, 1


def _order(body: str) -> list[str]:
    return re.findall(r'<tr data-ticket="([^"]+)"', body)


@pytest.fixture
def work(users, units, make_ticket):
    """Station A's tickets in every work state."""
    station, office, lead = users["station_a"], users["supervisor"], users["lead"]

    def dispatched():
        return ticket_dispatch(ticket=make_ticket(), actor=lead, unit=units["GS-A1-1"])

    def replied():
        t = ticket_contact(ticket=dispatched(), actor=station, method="phone")
        return ticket_reply(ticket=t, actor=station, substantiated=True, cause="原因", measures="措施",
                            reply_text="答复")

    to_contact = dispatched()
    to_reply = ticket_contact(ticket=dispatched(), actor=station, method="phone")
    to_review = replied()
    to_callback = ticket_review(ticket=replied(), actor=office, approved=True)
    # Replied, but a supervision order waits for the unit's answer: the unit's move again.
    ordered = ticket_supervise(ticket=replied(), actor=office, kind="supervision", content="请说明处理进度")
    whose = {to_contact.number: OWN, to_reply.number: OWN, ordered.number: OWN,
             to_review.number: OTHERS, to_callback.number: OTHERS}
    return whose


def _expected(whose: dict) -> list[str]:
    rows = Ticket.objects.filter(number__in=whose).values_list("number", "next_due_at", "received_at", "id")
    far = max(r[1] for r in rows if r[1]) if any(r[1] for r in rows) else None

    def key(r):
        number, due, received, pk = r
        return (whose[number], due is None, due or far, received, pk)

    return [r[0] for r in sorted(rows, key=key)]


def test_my_work_lists_own_next_steps_first_then_those_waiting_on_others(work, client_for):
    body = client_for("station_a").get(reverse("complaints:my_work")).content.decode()
    order = [n for n in _order(body) if n in work]
    assert order == _expected(work)
    assert [work[n] for n in order] == sorted(work[n] for n in order)  # no own move after a waiting one
    assert "先列轮到本单位办理的" in body and "按最近到期排列" in body
    assert body.index("轮到本单位") < body.index("等待他人")


def test_rows_endpoint_answers_the_same_order(work, client_for):
    client = client_for("station_a")
    page = _order(client.get(reverse("complaints:my_work")).content.decode())
    rows = client.get(reverse("complaints:my_work_rows")).content.decode()
    assert rows.lstrip().startswith("<tbody") and _order(rows) == page


def test_my_work_filters_keep_the_ordering(work, client_for):
    body = client_for("station_a").get(reverse("complaints:my_work"), {"status": Status.REPLIED}).content.decode()
    replied = {n: w for n, w in work.items() if Ticket.objects.get(number=n).status == Status.REPLIED}
    assert _order(body) == _expected(replied)


@pytest.fixture
def area(units, users):
    return ServiceArea.objects.create(code="A-XF", name="幸福村", keywords="幸福村", unit=units["GS-A1-1"],
                                      contact=users["station_a"])


def test_dispatch_suggestion_is_labelled_not_preselected(area, make_ticket, client_for, units):
    ticket = make_ticket(address="东州市城关镇幸福村3组")
    assert ticket.service_area == area
    body = client_for("lead").get(reverse("complaints:dispatch_queue")).content.decode()
    row = body[body.index(f'<tr data-ticket="{ticket.number}"'):]
    row = row[: row.index("</tr>")]
    unit = units["GS-A1-1"]
    assert f"建议：{unit.name}（按服务区域「幸福村」）" in row
    assert " selected" not in row  # the lead chooses; nothing is chosen silently
    assert f'<option value="{unit.pk}">{unit.name}（建议）</option>' in row


def test_dispatch_queue_pins_major_tickets_first(make_ticket, client_for):
    older = make_ticket()
    major = make_ticket(severity="major", description="线路故障致客户家电烧毁，有人受伤")
    newer = make_ticket()
    client = client_for("lead")
    body = client.get(reverse("complaints:dispatch_queue")).content.decode()
    order = [n for n in _order(body) if n in (older.number, major.number, newer.number)]
    assert order == [major.number, older.number, newer.number]
    assert "重大工单置顶" in body
    rows = client.get(reverse("complaints:dispatch_rows")).content.decode()
    assert [n for n in _order(rows) if n in order] == order


@pytest.mark.parametrize("who,name", [("lead", "complaints:dispatch_rows"), ("station_a", "complaints:my_work_rows")])
def test_rows_endpoints_constant_queries(who, name, users, units, make_ticket, client_for,
                                         django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for i in range(n):
            t = make_ticket(severity="major" if i % 3 == 0 else "ordinary")
            if name == "complaints:my_work_rows":
                ticket_dispatch(ticket=t, actor=users["lead"], unit=units["GS-A1-1"])

    client = client_for(who)
    client.get(reverse(name))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    add(4)
    small = count()
    add(20)
    assert count() == small <= 15


def test_rows_endpoints_refuse_other_roles(client_for):
    assert client_for("station_a").get(reverse("complaints:dispatch_rows")).status_code == 403
    assert client_for("agent").get(reverse("complaints:my_work_rows")).status_code == 403


def test_rows_endpoint_answers_204_while_nothing_changed(make_ticket, client_for):
    make_ticket()
    client = client_for("lead")
    rows = client.get(reverse("complaints:dispatch_rows")).content.decode()
    sig = re.search(r'data-sig="([0-9a-f]+)"', rows).group(1)
    assert client.get(reverse("complaints:dispatch_rows"), {"sig": sig}).status_code == 204
    new = make_ticket()  # a new ticket: the rows come again, with it
    response = client.get(reverse("complaints:dispatch_rows"), {"sig": sig})
    assert response.status_code == 200 and new.number in response.content.decode()


@pytest.mark.parametrize("seconds", [5, 12, 0])
def test_queues_refresh_as_often_as_the_administrator_set(seconds, make_ticket, client_for):
    make_ticket()
    Setting.objects.create(key="queue_refresh_seconds", value=seconds)
    for who, page in (("lead", "complaints:dispatch_queue"), ("station_a", "complaints:my_work")):
        html = client_for(who).get(reverse(page)).content.decode()
        poll = re.search(r'<div id="queue-poll"[^>]*hx-trigger="every (\d+)s', html)
        assert (int(poll.group(1)) if poll else 0) == seconds, (who, seconds)
