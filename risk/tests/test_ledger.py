"""The 12398 ledger on a hand-built month: rows, reply and 销号 through the services, Excel in the
regulator's layout (formula-safe), the per-million figure by unit, the API."""
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Unit
from complaints import services as s
from risk.models import RegulatorCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(make_ticket, users, units):
    """Last month: two 12398 transfers to station A (one by a formula-looking text), one 95598
    complaint; this month: one more 12398 transfer."""
    first = timezone.localtime().replace(day=1, hour=10, minute=0, second=0, microsecond=0)
    last_month = (first - timedelta(days=1)).replace(day=5)
    t1 = make_ticket(channel="12398", regulator_ref="NEA-2026-001", received_at=last_month,
                     customer_phone="13600000001", account_no="X1", description="=HYPERLINK(\"http://x\")频繁停电")
    t2 = make_ticket(channel="12398", regulator_ref="NEA-2026-002", received_at=last_month + timedelta(days=3),
                     customer_phone="13600000002", account_no="X2")
    other = make_ticket(received_at=last_month, customer_phone="13600000003", account_no="X3")
    now_one = make_ticket(channel="12398", regulator_ref="NEA-2026-003", customer_phone="13600000004", account_no="X4")
    for t in (t1, t2):
        s.ticket_dispatch(ticket=t.number, actor=users["lead"], unit=units["GS-A1-1"])
    return {"key": last_month.strftime("%Y-%m"), "in": [t1, t2], "out": [other, now_one]}


def test_ledger_lists_the_months_12398_transfers(month, client_for):
    page = client_for("supervisor").get(reverse("risk:ledger"), {"month": month["key"]}).content.decode()
    assert all(t.number in page for t in month["in"]) and not any(t.number in page for t in month["out"])
    assert "NEA-2026-001" in page


def test_reply_then_close_only_when_the_ticket_is_closed(month, users):
    from core.errors import Conflict

    t1 = month["in"][0]
    with pytest.raises(Conflict):
        s_close(users, t1)  # not replied yet
    from risk.services import ledger_reply

    ledger_reply(actor=users["supervisor"], number=t1.number, text="已于3日内上门核实并答复监管")
    with pytest.raises(Conflict):
        s_close(users, t1)  # the ticket is still open
    s.ticket_withdraw(ticket=t1.number, actor=users["agent"], reason="客户撤诉")
    case = s_close(users, t1)
    assert case.state == RegulatorCase.State.CLOSED and case.closed_by == users["supervisor"]
    assert case.confirmation == "监管联络员王某电话确认"


def s_close(users, ticket):
    from risk.services import ledger_close

    return ledger_close(actor=users["supervisor"], number=ticket.number, confirmation="监管联络员王某电话确认")


def test_page_actions_and_bad_input(month, client_for):
    client = client_for("supervisor")
    t2 = month["in"][1]
    url = reverse("risk:ledger_act", args=[t2.number])
    response = client.post(url, {"action": "reply", "text": ""}, follow=True)
    assert "请填写答复监管的内容" in response.content.decode()
    client.post(url, {"action": "reply", "text": "已答复"})
    assert RegulatorCase.objects.get(ticket=t2).state == RegulatorCase.State.REPLIED
    assert client_for("station_a").post(url, {"action": "reply", "text": "x"}).status_code == 403
    assert RegulatorCase.objects.get(ticket=t2).reply_to_regulator == "已答复"
    not_12398 = month["out"][0]
    response = client.post(reverse("risk:ledger_act", args=[not_12398.number]), {"action": "reply", "text": "x"},
                           follow=True)
    assert "该工单不是12398转办工单" in response.content.decode()


def test_excel_in_the_regulators_layout(month, client_for):
    response = client_for("supervisor").get(reverse("risk:ledger_xlsx"), {"month": month["key"]})
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert "12398能源监管热线转办投诉台账" in rows[0][0]
    assert rows[1][:3] == ("序号", "转办编号", "收到转办日期")
    assert [r[1] for r in rows[2:]] == ["NEA-2026-001", "NEA-2026-002"]
    assert rows[2][6].startswith("'=HYPERLINK")  # a user text never becomes a formula


def test_per_million_by_unit_and_the_api(month, client_as):
    body = client_as("supervisor").get("/api/v1/ledger/12398/", {"month": month["key"]}).json()
    assert [r["number"] for r in body["rows"]] == [t.number for t in month["in"]]
    assert body["rows"][0]["ledger_state"] == "open"
    root = Unit.objects.get(code=body["unit"])
    customers = sum(u.customer_count for u in Unit.objects.filter(path__startswith=root.path))
    total = body["per_million"][-1]
    assert (total["count"], total["customers"]) == (2, customers)
    assert total["per_million"] == round(2 / customers * 1_000_000, 2)
    # the city of station A holds both; its figure is over its own subtree's customers
    city = Unit.objects.get(code="GS-A1-1").parent.parent
    row = next(r for r in body["per_million"] if r["code"] == city.code)
    city_customers = sum(u.customer_count for u in Unit.objects.filter(path__startswith=city.path))
    assert row["count"] == 2 and row["per_million"] == round(2 / city_customers * 1_000_000, 2)


def test_only_the_supervision_office_reads_the_ledger(client_as, client_for):
    assert client_as("station_a").get("/api/v1/ledger/12398/").status_code == 403
    assert client_for("station_a").get(reverse("risk:ledger")).status_code == 403
    assert client_as("supervisor").get("/api/v1/ledger/12398/?month=2026-13").status_code == 400


def test_reply_and_closing_are_on_the_tickets_timeline(month, users, client_as, client_for):
    from risk.services import ledger_reply

    t1 = month["in"][0]
    ledger_reply(actor=users["supervisor"], number=t1.number, text="已现场核实并书面答复监管")
    s.ticket_withdraw(ticket=t1.number, actor=users["agent"], reason="客户撤诉")
    s_close(users, t1)
    events = client_as("supervisor").get(f"/api/v1/tickets/{t1.number}/").json()["timeline"]
    ledger = [(e["action"], e["note"]) for e in events if e["action"].startswith("ledger_")]
    assert ledger == [("ledger_reply", "已现场核实并书面答复监管"), ("ledger_close", "监管联络员王某电话确认")]
    page = client_for("supervisor").get(f"/tickets/{t1.number}/").content.decode()
    assert "12398台账：答复监管" in page and "12398台账：销号" in page and "监管联络员王某电话确认" in page
