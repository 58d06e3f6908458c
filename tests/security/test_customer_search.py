"""Searching tickets by a customer's phone or account number is no oracle: only roles that must find a
caller may (agents also by the last four digits), every search is throttled per user and every search
by a right holder is recorded; the records are a page and an API for the supervision and discipline
offices."""
import hashlib
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints.models import SensitiveAccess
from core.models import Setting

pytestmark = pytest.mark.django_db

PHONE = "13112341068"  # the number an attacker knows as 131****1068


@pytest.fixture
def target(dispatched):
    return dispatched(customer_phone=PHONE, account_no="3100055555")  # at station A


def test_a_thousand_phone_candidates_by_a_role_without_the_right_find_nothing_and_are_throttled(
        target, client_as, client_for):
    client = client_as("manager_a")  # station A's manager: sees the ticket, may not search by number
    candidates = [f"131{n:04d}1068" for n in range(1000, 2000)]
    assert PHONE in candidates
    answered, throttled = [], []
    with time_machine.travel(timezone.now().replace(second=0), tick=False):  # all within one minute
        for candidate in candidates:
            response = client.get(reverse("api-tickets"), {"q": candidate})
            if response.status_code == 200:
                answered.append(response.json()["results"])
            else:
                throttled.append(response)
    # The default limit, 60 a minute; every answer is empty, the true number included.
    assert len(answered) == 60 and all(results == [] for results in answered)
    assert len(throttled) == 940 and {r.status_code for r in throttled} == {429}
    error = throttled[0].json()["error"]
    assert error["code"] == "throttled" and "每分钟最多 60 次" in error["message"]
    assert not SensitiveAccess.objects.exists()  # nothing was revealed to them
    # The ticket is theirs all along: their list without a number search shows it.
    assert f'data-ticket="{target.number}"' in client_for("manager_a").get(reverse("complaints:list")).content.decode()


def test_the_page_search_is_throttled_with_a_chinese_message(target, client_for):
    Setting.objects.create(key="customer_search_per_minute", value=2)
    page = client_for("agent")
    for _ in range(2):
        assert target.number in page.get(reverse("complaints:list"), {"q": PHONE}).content.decode()
    response = page.get(reverse("complaints:list"), {"q": PHONE})
    assert response.status_code == 429
    body = response.content.decode()
    assert "查询过于频繁" in body and "每分钟最多 2 次" in body and f'data-ticket="{target.number}"' not in body
    earlier = page.get(reverse("complaints:earlier"), {"customer_phone": PHONE})
    assert earlier.status_code == 429 and "查询过于频繁" in earlier.content.decode()


def test_right_holders_searches_are_recorded_and_only_agents_search_by_the_last_four(target, client_as):
    def found(username, query):
        return [t["number"] for t in client_as(username).get(reverse("api-tickets"), {"q": query}).json()["results"]]

    assert found("agent", "1068") == [target.number]  # the last four digits, on the phone
    assert found("agent", "1234106") == [target.number]  # a part of the number
    assert found("lead", "1068") == []  # the intake lead needs the whole number
    assert found("lead", PHONE) == [target.number]
    assert found("supervisor", "3100055555") == [target.number]  # by account number
    assert found("station_a", PHONE) == []  # the handling unit has no number search
    rows = list(SensitiveAccess.objects.filter(action="search").order_by("id")
                .values_list("user__username", "query_digest"))
    digest = {q: hashlib.sha256(q.encode()).hexdigest()[:32] for q in ("1068", "1234106", PHONE, "3100055555")}
    assert rows == [("agent", digest["1068"]), ("agent", digest["1234106"]), ("lead", digest["1068"]),
                    ("lead", digest[PHONE]), ("supervisor", digest["3100055555"])]


def test_access_log_page_filters_and_exports_for_the_offices_only(target, client_for, client_as):
    client_as("agent").get(reverse("api-tickets"), {"q": PHONE})
    client_for("lead").post(reverse("complaints:reveal_phone", args=[target.number]))
    url = reverse("complaints:access_log")
    for username in ("supervisor", "discipline"):
        body = client_for(username).get(url).content.decode()
        assert "按号码查询" in body and "查看完整号码" in body and target.number in body
    only_reveals = client_for("supervisor").get(url, {"action": "reveal"}).content.decode()
    assert target.number in only_reveals and "按号码查询</td>" not in only_reveals
    assert "lead" not in client_for("supervisor").get(url, {"user": "agent"}).content.decode().split("<tbody>")[1]
    workbook = client_for("supervisor").get(url, {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(workbook.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "用户", "姓名", "操作") and len(rows) == 3
    assert {r[3] for r in rows[1:]} == {"按号码查询", "查看完整号码"} and PHONE not in str(rows)
    for username in ("station_a", "viewer", "admin", "agent"):
        assert client_for(username).get(url).status_code == 403, username


def test_access_log_api_for_audit_systems(target, client_as):
    client_as("agent").get(reverse("api-tickets"), {"q": PHONE})
    body = client_as("discipline").get(reverse("api-access-log")).json()
    assert [(r["user"]["username"], r["action"], r["ticket"]) for r in body["results"]] == [("agent", "search", None)]
    assert client_as("discipline").get(reverse("api-access-log"), {"user": "lead"}).json()["results"] == []
    refused = client_as("viewer").get(reverse("api-access-log"))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
