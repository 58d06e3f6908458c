"""Bad input never gives a 500: the API answers a clear 400 (or 413/415) in its error shape, the
pages a Chinese form error. Emoji and mixed scripts in names are accepted and round-trip."""
import json

import pytest
from django.db import connection
from django.urls import reverse

from complaints.models import Ticket

pytestmark = pytest.mark.django_db

LONG = "长" * 10_000


def intake_body(**changes):
    body = {"channel": "95598_phone", "kind": "complaint", "category": "FW01",
            "customer": {"name": "张三", "phone": "13800138000", "account_no": "3100012345", "address": "幸福村"},
            "description": "抄表员态度恶劣"}
    for key, value in changes.items():
        if key.startswith("customer."):
            body["customer"][key.split(".", 1)[1]] = value
        else:
            body[key] = value
    return body


def _assert_error(response, status=400, field=None):
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if field:
        assert field in json.dumps(body["error"]["fields"], ensure_ascii=False), body
    return body


BAD_INTAKE = {
    # wrong types
    "customer-not-object": ({"customer": "张三"}, "customer"),
    "description-list": ({"description": ["a", "b"]}, "description"),
    "kind-number": ({"kind": 3}, "kind"),
    "received-number": ({"received_at": 1234567890123}, "received_at"),
    "category-object": ({"category": {"code": "FW01"}}, "category"),
    "severity-bool": ({"severity": True}, "severity"),
    "phone-letters": ({"customer.phone": "call-me-maybe"}, "phone"),
    # unknown enums
    "channel-unknown": ({"channel": "fax"}, "channel"),
    "kind-unknown": ({"kind": "bogus"}, "kind"),
    "severity-unknown": ({"severity": "extreme"}, "severity"),
    "mood-unknown": ({"mood": "furious"}, "mood"),
    "service-type-unknown": ({"service_type": "teleport"}, "service_type"),
    "category-unknown": ({"category": "NOPE"}, "category"),
    "category-class-not-item": ({"category": "FW"}, "category"),
    # impossible, future and ancient dates
    "date-feb-30": ({"received_at": "2026-02-30T10:00:00+08:00"}, "received_at"),
    "date-month-13": ({"received_at": "2026-13-01T10:00:00+08:00"}, "received_at"),
    "date-garbage": ({"received_at": "yesterday"}, "received_at"),
    "date-future": ({"received_at": "2099-01-01T10:00:00+08:00"}, "received_at"),
    "date-ancient": ({"received_at": "1900-01-01T10:00:00+08:00"}, "received_at"),
    "date-year-0": ({"received_at": "0000-01-01T00:00:00Z"}, "received_at"),
    "regulator-due-past": ({"regulator_due_at": "2001-01-01T00:00:00+08:00"}, "regulator_due_at"),
    "paid-at-feb-30": ({"paid_at": "2026-02-30T00:00:00+08:00"}, "paid_at"),
    # 10,000-character fields
    "description-10k": ({"description": LONG}, "description"),
    "name-10k": ({"customer.name": LONG}, "name"),
    "address-10k": ({"customer.address": LONG}, "address"),
    "phone-10k": ({"customer.phone": "1" * 10_000}, "phone"),
    "regulator-ref-10k": ({"regulator_ref": LONG}, "regulator_ref"),
    # blanks and control characters
    "name-blank": ({"customer.name": "   "}, "name"),
    "name-nul": ({"customer.name": "张\x00三"}, "name"),
    "description-nul": ({"description": "a\x00b"}, "description"),
}


@pytest.mark.parametrize("changes,field", BAD_INTAKE.values(), ids=BAD_INTAKE.keys())
def test_api_intake_refuses_bad_input_with_400(client_as, reference, users, changes, field):
    response = client_as("agent").post(reverse("api-tickets"), intake_body(**changes), format="json")
    _assert_error(response, 400, field)
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("name", [
    "张三😀", "Иван Петров", "محمد", "山田太郎 (やまだ)", "李𠀋明", "Zoë 🇨🇳 王", "👨‍👩‍👧 家庭", "ঝুমা",
])
def test_api_accepts_emoji_and_mixed_scripts_and_round_trips(client_as, reference, users, name):
    client = client_as("agent")
    response = client.post(reverse("api-tickets"), intake_body(**{"customer.name": name,
                                                                  "description": f"{name} 说：停电了⚡"}),
                           format="json")
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    detail = client.get(reverse("api-ticket-detail", args=[number])).json()
    assert detail["customer"]["name"] == name
    assert detail["description"] == f"{name} 说：停电了⚡"
    assert Ticket.objects.get(number=number).customer_name == name


def test_api_name_at_the_limit_is_accepted_one_more_is_refused(client_as, reference, users):
    client = client_as("agent")
    assert client.post(reverse("api-tickets"), intake_body(**{"customer.name": "😀" * 60}),
                       format="json").status_code == 201
    _assert_error(client.post(reverse("api-tickets"), intake_body(**{"customer.name": "😀" * 61}), format="json"),
                  400, "name")


def test_api_oversized_body_is_refused_cleanly(client_as, reference, users, settings):
    big = intake_body(description="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024))
    response = client_as("agent").post(reverse("api-tickets"), big, format="json")
    assert response.status_code in (400, 413)
    assert response.json()["error"]["code"] in ("invalid", "parse_error", "too_large")
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("content_type,payload,status", [
    ("application/json", b"{not json", 400),
    ("application/json", b"[1, 2, 3]", 400),
    ("application/json", b'"just a string"', 400),
    ("application/json", b"", 400),
    ("application/json", b"\xff\xfe\x00garbage", 400),
    ("text/plain", b"channel=fax", 415),
    ("application/xml", b"<ticket/>", 415),
])
def test_api_malformed_bodies(client_as, reference, users, content_type, payload, status):
    response = client_as("agent").generic("POST", reverse("api-tickets"), payload, content_type=content_type)
    _assert_error(response, status)


ACTION_BAD = [
    ("dispatch", {"unit": "NOPE"}, "unit"),
    ("dispatch", {"unit": ["GS-A1-1"]}, "unit"),
    ("dispatch", {"unit": "GS-A1-1", "version": "abc"}, "version"),
    ("dispatch", {"unit": "GS-A1-1", "version": 10**20}, "version"),
    ("dispatch", {"unit": "GS-A1-1", "note": LONG}, "note"),
    ("supervise", {"kind": "supervision", "content": "x", "due_at": "2026-02-30T10:00:00+08:00"}, "due_at"),
    ("supervise", {"kind": "shout", "content": "x"}, "kind"),
    ("supervise", {"kind": "supervision", "content": LONG}, "content"),
    ("chase", {"note": LONG}, "note"),
    ("add-info", {"text": LONG}, "text"),
    ("add-info", {"text": ""}, "text"),
    ("withdraw", {"reason": 42.5}, None),
]


@pytest.mark.parametrize("slug,body,field", ACTION_BAD, ids=[f"{a}-{i}" for i, (a, _b, _f) in enumerate(ACTION_BAD)])
def test_api_actions_refuse_bad_input(client_as, make_ticket, slug, body, field):
    ticket = make_ticket()
    response = client_as("supervisor").post(reverse(f"api-ticket-{slug}", args=[ticket.number]), body, format="json")
    if slug == "withdraw":  # a number where text is expected is coerced by DRF: fine, but never a 500
        assert response.status_code in (200, 400)
        return
    _assert_error(response, 400, field)
    ticket.refresh_from_db()
    assert ticket.version == 1 and ticket.status == "registered"


@pytest.mark.parametrize("slug,body,field", [
    ("contact", {"method": "telepathy"}, "method"),
    ("contact", {"method": "phone", "reached": "perhaps"}, "reached"),
    ("reply", {"substantiated": "maybe", "cause": "c", "measures": "m", "reply_text": "r"}, "substantiated"),
    ("reply", {"substantiated": True, "cause": LONG, "measures": "m", "reply_text": "r"}, "cause"),
    ("extend", {"days": "abc", "reason": "r"}, "days"),
    ("extend", {"days": 9999, "reason": "r"}, "days"),
    ("extend", {"days": 0, "reason": "r"}, "days"),
    ("extend", {"days": -5, "reason": "r"}, "days"),
    ("assign", {"handler": "nobody"}, "handler"),
    ("assign", {"handler": "station_b"}, "handler"),
])
def test_api_handler_actions_refuse_bad_input(client_as, make_ticket, users, units, slug, body, field):
    from complaints.services import ticket_dispatch

    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    response = client_as("station_a").post(reverse(f"api-ticket-{slug}", args=[ticket.number]), body, format="json")
    _assert_error(response, 400, field)


@pytest.mark.parametrize("number", ["x" * 10_000, "../../etc/passwd", "%00", "202601010000001%27--", "😀"])
def test_api_strange_ticket_numbers_are_404(client_as, reference, users, number):
    response = client_as("agent").get(f"/api/v1/tickets/{number}/")
    assert response.status_code == 404


@pytest.mark.parametrize("attachment_id", ["abc", "9" * 30, "-1", "1.5"])
def test_api_strange_attachment_ids_are_404(client_as, make_ticket, attachment_id):
    ticket = make_ticket()
    response = client_as("agent").get(f"/api/v1/tickets/{ticket.number}/attachments/{attachment_id}/")
    assert response.status_code == 404


@pytest.mark.parametrize("query", [
    "status=bogus", "status=" + "open," * 500, "kind=bogus", "channel=fax", "received_from=2026-02-30",
    "received_to=99999-01-01", "received_from=0001-01-01", "q=" + "长" * 10_000, "cursor=garbage%%%",
    "unit=NOPE", "page_size=-1", "page_size=abc", "page_size=100000", "severity=extreme", "q=%00", "status=%00",
    "unit=%00", "category=%00",
])
def test_api_list_filters_refuse_bad_values(client_as, make_ticket, query):
    make_ticket()
    response = client_as("agent").get(f"{reverse('api-tickets')}?{query}")
    assert response.status_code in (200, 400, 404), (query, response.status_code)
    if response.status_code != 200:
        assert "error" in response.json()


# --- pages --------------------------------------------------------------------------------------

def page_intake(**changes):
    data = {"channel": "95598_phone", "kind": "complaint", "severity": "ordinary", "customer_name": "张三",
            "customer_phone": "13800138000", "account_no": "", "address": "", "description": "抄表员态度恶劣",
            "mood": "calm", "idempotency_key": ""}
    data.update(changes)
    return data


PAGE_BAD = {
    "name-10k": {"customer_name": LONG},
    "description-10k": {"description": LONG},
    "address-10k": {"address": LONG},
    "channel-unknown": {"channel": "fax"},
    "kind-unknown": {"kind": "bogus"},
    "received-feb-30": {"received_at": "2026-02-30T10:00"},
    "received-future": {"received_at": "2099-01-01T10:00"},
    "category-text": {"category": "abc"},
    "category-missing-id": {"category": "999999"},
    "phone-letters": {"customer_phone": "call-me"},
    "name-nul": {"customer_name": "张\x00三"},
    "idempotency-10k": {"idempotency_key": LONG},
}


@pytest.mark.parametrize("changes", PAGE_BAD.values(), ids=PAGE_BAD.keys())
def test_page_intake_shows_a_chinese_form_error(client_for, category, changes):
    data = page_intake(category=category.pk)
    data.update(changes)
    response = client_for("agent").post(reverse("complaints:intake"), data)
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert "is-invalid" in html or "invalid-feedback" in html or "alert-danger" in html
    assert any(word in html for word in ("请", "无效", "不能", "最多", "有效", "须", "选择"))
    assert not Ticket.objects.exists()


def test_page_intake_accepts_emoji_names(client_for, category):
    response = client_for("agent").post(reverse("complaints:intake"),
                                        page_intake(category=category.pk, customer_name="王😀 Иван"))
    assert response.status_code == 302
    assert Ticket.objects.get().customer_name == "王😀 Иван"


@pytest.mark.parametrize("query", [
    "status=bogus", "received_from=2026-02-30", "received_to=abc", "q=" + "长" * 10_000, "page=-1", "page=abc",
    "page=99999999999999999999", "unit=NOPE", "sort=;drop table", "category=abc", "q=%00", "q=13800%00138000",
    "status=%00", "unit=%00", "kind=%00", "customer_phone=%00",
])
def test_page_ticket_list_survives_bad_filters(client_for, make_ticket, query):
    make_ticket()
    response = client_for("agent").get(f"{reverse('complaints:list')}?{query}")
    assert response.status_code in (200, 400, 404), (query, response.status_code)


@pytest.mark.parametrize("action,data", [
    ("dispatch", {"version": "abc", "dispatch-unit": "abc"}),
    ("dispatch", {"version": "1", "dispatch-unit": "999999"}),
    ("dispatch", {"version": "9" * 40, "dispatch-unit": "1"}),
    ("supervise", {"version": "1", "supervise-kind": "shout", "supervise-content": LONG}),
    ("chase", {"version": "1", "chase-note": LONG}),
    ("not-an-action", {"version": "1"}),
])
def test_page_actions_survive_bad_input(client_for, make_ticket, action, data):
    ticket = make_ticket()
    response = client_for("supervisor").post(f"/tickets/{ticket.number}/act/{action}/", data)
    assert response.status_code in (302, 400, 404), response.status_code
    ticket.refresh_from_db()
    assert ticket.version == 1


@pytest.mark.parametrize("path", ["/tickets/" + "x" * 5000 + "/", "/tickets/%00/", "/tickets/😀/",
                                  "/tickets/1/attachments/99999999999999999999/", "/tickets/%00/attachments/1/",
                                  "/api/v1/tickets/%00/", "/intake/earlier/?customer_phone=%00&account_no=%00"])
def test_page_strange_paths_are_404(client_for, reference, path):
    assert client_for("agent").get(path).status_code in ((200, 400) if "earlier" in path else (404,))


def test_page_oversized_post_is_refused_not_500(client_for, category, settings):
    data = page_intake(category=category.pk, description="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10))
    response = client_for("agent").post(reverse("complaints:intake"), data)
    assert response.status_code in (400, 413)
    assert not Ticket.objects.exists()


def test_database_is_utf8(db):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_encoding")
            assert cursor.fetchone()[0].upper() == "UTF8"
