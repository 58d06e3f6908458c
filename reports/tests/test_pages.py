"""Dashboard, bulletin and API: rendering, scoping, query counts, Excel contents."""
import json
import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def chart_json(response, chart_id):
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    return json.loads(match.group(1))


def test_dashboard_page(world, client, users, django_assert_max_num_queries):
    login(client, users["viewer"])
    with django_assert_max_num_queries(25):
        response = client.get("/reports/?month=2025-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert "统计看板" in html and 'data-chart="chart-trend"' in html
    assert world["T7"].number in html and "口径" in html
    unit_chart = chart_json(response, "chart-unit")
    assert unit_chart["xAxis"]["data"] == ["东州供电公司", "西州供电公司", "未派发"]
    assert unit_chart["series"][0]["data"] == [3, 1, 2]
    first_link = unit_chart["links"][0][0]
    assert "unit=" in first_link and "received_from=2025-03-01" in first_link and "received_to=2025-03-31" in first_link
    channel = chart_json(response, "chart-channel")
    assert any("channel=95598_phone" in link for link in channel["links"])
    assert "<script>" not in html.replace('<script type="application/json"', "")  # CSP: no inline code


def test_dashboard_scoped_for_a_station_manager(world, client, users, django_assert_max_num_queries):
    login(client, users["manager_a"])
    with django_assert_max_num_queries(25):
        response = client.get("/reports/?month=2025-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert world["T4"].number not in html  # station B
    kpi = response.context["data"]["headline"]["current"]
    assert kpi["volume"] == 2
    assert client.get("/reports/?month=2025-03&unit=GS-B1-1").status_code == 404
    assert client.get("/reports/?month=2025-3x").status_code == 400


def test_roles_without_reports_are_refused(client, users):
    login(client, users["station_a"])
    assert client.get("/reports/").status_code == 403
    assert client.get("/api/v1/reports/summary/").status_code == 403
    login(client, users["lead"])
    assert client.get("/reports/").status_code == 200
    assert client.get("/reports/bulletin/").status_code == 403


def test_bulletin_page_and_excel(world, client, users, django_assert_max_num_queries):
    login(client, users["supervisor"])
    with django_assert_max_num_queries(20):
        response = client.get("/reports/bulletin/?month=2025-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert world["T1"].number in html and world["T3"].number in html
    assert world["T6"].number not in html and world["T2"].number not in html  # not substantiated / February
    assert "张三" in html and "通报批评" in html and "@media print" not in html
    groups = response.context["groups"]
    assert [g["name"] for g in groups] == ["东州一县城关供电所"]

    with django_assert_max_num_queries(20):
        response = client.get("/reports/bulletin.xlsx?month=2025-03")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    ws = wb["投诉事件通报"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:3] == ("序号", "承办单位", "工单编号")
    numbers = [r[2] for r in rows[2:]]
    assert numbers == [world["T1"].number, world["T3"].number]
    t1 = rows[2]
    assert t1[11] == "是" and t1[13] == "张三" and t1[14].startswith("通报批评")
    assert ws.cell(3, 7).alignment.wrap_text and ws.column_dimensions["G"].width == 40  # 诉求内容 readable
    summary = {r[0]: r[1] for r in wb["本月指标"].iter_rows(min_row=2, values_only=True)}
    assert summary["属实投诉"] == 2 and summary["回访满意率"] == "66.7%"


def test_bulletin_for_other_station_refused(world, client, users):
    login(client, users["manager_a"])
    assert client.get("/reports/bulletin/?month=2025-03&unit=GS-B1-1").status_code == 404
    response = client.get("/api/v1/reports/bulletin/?month=2025-03&unit=GS-B1-1")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_summary_api(world, client, users, django_assert_max_num_queries):
    login(client, users["viewer"])
    with django_assert_max_num_queries(25):
        response = client.get("/api/v1/reports/summary/?month=2025-03&unit=DS-A")
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["month"] == "2025-03" and body["unit"]["code"] == "DS-A"
    figures = {f["key"]: f for f in body["headline"]["figures"]}
    assert figures["volume"]["value"] == 3 and figures["substantiated"]["value"] == 2
    assert figures["first_contact_rate"]["value"] == 0.75
    assert {"by_channel", "by_kind", "by_category", "by_unit", "ranking", "daily", "trend", "open",
            "breaches_by_unit", "breach_list", "definitions"} <= set(body)
    assert body["breach_list"][0]["number"] == world["T7"].number
    bad = client.get("/api/v1/reports/summary/?month=2025-99")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["month"]


def test_bulletin_api(world, client, users):
    login(client, users["viewer"])
    body = client.get("/api/v1/reports/bulletin/?month=2025-03").json()
    assert [g["unit"]["code"] for g in body["groups"]] == ["GS-A1-1"]
    tickets = body["groups"][0]["tickets"]
    assert [t["number"] for t in tickets] == [world["T1"].number, world["T3"].number]
    assert tickets[0]["accountabilities"][0]["person"] == "张三"
    assert tickets[1]["course"]["redispatch_count"] == 1
    assert "受理" in tickets[0]["course"]["text"]
    assert "customer_phone" not in json.dumps(body)
    english = client.get("/api/v1/reports/bulletin/?month=2025-03&lang=en").json()
    assert "registered" in english["groups"][0]["tickets"][0]["course"]["text"]


def test_schema_documents_the_report_endpoints(client, users):
    login(client, users["admin"])
    response = client.get("/api/v1/schema/?format=json")
    schema = json.loads(response.content)
    assert "/api/v1/reports/summary/" in schema["paths"]
    assert "统计" in schema["paths"]["/api/v1/reports/summary/"]["get"]["description"]
