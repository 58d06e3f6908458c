"""Hostile query strings, cursors and bodies answer 400 (API: the error shape; pages: a Chinese
message), never 500: the inputs of issue 14 one by one, then a fuzzed set over every list and report."""
import base64
import random

import pytest

from .pages import urls_for

pytestmark = pytest.mark.django_db


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BAD_OFFSET = _cursor("n|2026-01-01T10:00:00+99:00|1")  # a time-zone offset out of range
BAD_YEAR = _cursor("n|9999-12-31T23:59:59-23:00|1")   # past the last representable instant in UTC

PAGES = [
    "/sla/calculator/?unit=%00&start=2026-03-02&days=3",
    "/reports/?unit=%00",
    "/reports/bulletin/?unit=%00",
    "/reports/bulletin.xlsx?unit=%00",
    "/intake/earlier/?customer_phone=%00",
    f"/tickets/?cursor={BAD_OFFSET}",
    f"/tickets/?cursor={BAD_YEAR}",
    f"/queue/dispatch/?cursor={BAD_OFFSET}",
    f"/queue/dispatch/?cursor={BAD_YEAR}",
    "/tickets/?received_to=9999-12-31",
    "/tickets/?received_from=0001-01-01",
    "/reports/exports/tickets.csv?received_to=9999-12-31",
]
API = [
    "/api/v1/reports/summary/?unit=%00",
    "/api/v1/reports/bulletin/?unit=%00",
    "/api/v1/tickets/?cursor=cD1nYXJiYWdl",
    "/api/v1/tickets/?received_to=9999-12-31",
    "/api/v1/calendar/add-working-days/?unit=%00&start=2026-03-02&days=3",
]
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("url", PAGES)
def test_pages_refuse_hostile_queries_with_a_chinese_400(client_for, make_ticket, url):
    make_ticket()
    response = client_for("admin").get(url)
    assert response.status_code == 400, (url, response.status_code)
    html = response.content.decode()
    assert "请求参数有误" in html or "日期须在 2000 年至 2100 年之间" in html  # error page or the form's error


@pytest.mark.parametrize("url", API)
def test_api_refuses_hostile_queries_with_the_error_shape(client_as, make_ticket, url):
    make_ticket()
    response = client_as("admin").get(url)
    assert response.status_code == 400, (url, response.status_code)
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"]


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/tickets/", "/api/v1/tickets/batch/"])
def test_deeply_nested_json_is_refused_before_parsing(client, client_as, reference, path):
    api = client if path.endswith("token/") else client_as("agent")  # the token endpoint is unauthenticated
    response = api.generic("POST", path, DEEP, content_type="application/json")
    assert response.status_code == 400, response.status_code
    assert response.json()["error"]["code"] in ("invalid", "parse_error")


HOSTILE_VALUES = ["%00", "a%00b", "9999-12-31", "0000-00-00", "-1", "99999999999999999999", "%FF%FE",
                  "%E2%80%AE", "' OR 1=1 --", "长" * 300, "1e309", "NaN", "..%2F..%2F", "%0D%0ASet-Cookie:x=1"]
PARAMS = ["unit", "cursor", "status", "kind", "channel", "category", "received_from", "received_to", "q",
          "customer_phone", "account_no", "month", "start", "days", "page", "page_size", "sla_state", "handler"]


def _fuzzed(seed: int, n: int = 12) -> list[str]:
    rnd = random.Random(seed)
    return ["&".join(f"{p}={rnd.choice(HOSTILE_VALUES)}" for p in rnd.sample(PARAMS, rnd.randint(1, 4)))
            for _ in range(n)]


def test_fuzzed_queries_over_every_list_and_report_never_500(client_for, client_as, make_ticket):
    make_ticket()
    pages = urls_for(kinds=("page", "file"), sample={"fmt": "csv"})
    api = urls_for(kinds=("api",), sample={})
    assert len(pages) > 10 and len(api) > 5
    web, token = client_for("admin"), client_as("admin")
    failures = []
    for i, (name, url) in enumerate(pages + api):
        client = token if url.startswith("/api/") else web
        for query in _fuzzed(i):
            status = client.get(f"{url}?{query}").status_code
            if status >= 500:
                failures.append((name, query, status))
    assert not failures
