"""Role × endpoint × unit: nobody reads or changes a ticket, attachment, figure or export outside
their unit subtree (404, the same answer as "does not exist"), nobody takes an action their role
does not allow (403), a misconduct report's complainant never reaches the reported unit, and
phone numbers stay masked for roles that do not call customers.

Every URL pattern must be classified in catalog.py: a new endpoint fails
test_every_url_pattern_is_classified until it is added there (and so covered here)."""
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_USERS
from complaints import services as s
from complaints.actions import ACTIONS
from complaints.models import Ticket
from notifications.models import Notification

from .catalog import API_ACTIONS, CATALOG, all_patterns, project_patterns
from .pages import route_kwargs

pytestmark = pytest.mark.django_db

DEMO_NAMES = [u[0] for u in DEMO_USERS]
# Who is outside whose subtree (agent, lead, supervisor work for the whole company; viewer and admin
# sit at the root).
FOREIGN = {"station_a": "b", "manager_a": "b", "station_b": "a"}
HOME = {"station_a": "a", "manager_a": "a", "station_b": "b", "discipline": "report"}

REPORTER = {"name": "举报人甲乙", "phone": "13912345678", "account_no": "3100099999", "address": "秘密村十二号"}


# --- the world ---------------------------------------------------------------------------------

@pytest.fixture
def world(users, units, make_ticket):
    def worked(unit_code, handler, dispatcher="lead", **overrides):
        t = make_ticket(**overrides)
        t = s.ticket_dispatch(ticket=t, actor=users[dispatcher], unit=units[unit_code])
        s.attachment_add(ticket=t, actor=users[handler], upload=SimpleUploadedFile("proof.txt", b"evidence"))
        return s.ticket_contact(ticket=t, actor=users[handler], method="phone")

    a = worked("GS-A1-1", "station_a", customer_phone="13800000001", account_no="3100000001")
    b = worked("GS-B1-1", "station_b", customer_phone="13800000002", account_no="3100000002")
    new = make_ticket(customer_phone="13800000003", account_no="3100000003")
    # A report (举报) on station A's staff: handled by the discipline office, never by station A.
    report = worked("JJ", "discipline", "discipline", kind="report", customer_name=REPORTER["name"],
                    customer_phone=REPORTER["phone"], account_no=REPORTER["account_no"],
                    address=REPORTER["address"], description="举报供电所工作人员收受好处")
    s.ticket_supervise(ticket=report, actor=users["supervisor"], kind="supervision", content="请核查")
    return {"a": a, "b": b, "new": new, "report": report}


def browser(users, name):
    client = Client()
    client.force_login(users[name])
    return client


def api(users, name):
    from rest_framework.test import APIClient

    from accounts.models import ApiToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.create(user=users[name])[1]}")
    return client


def content_of(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw[:2] == b"PK":  # xlsx: every cell's text
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    return raw.decode("utf-8", errors="replace")


# --- 1. everything is classified ---------------------------------------------------------------------

def test_every_url_pattern_is_classified():
    names = [name for _route, name in project_patterns()]
    unnamed = [route for route, name in project_patterns() if not name]
    unclassified = sorted(n for n in names if n and n not in CATALOG)
    stale = sorted(set(CATALOG) - set(names))
    assert not unnamed, f"URL patterns without a name cannot be classified: {unnamed}"
    assert not unclassified, (
        f"New URL patterns {unclassified}: classify them in tests/security/catalog.py so the access matrix "
        f"covers them")
    assert not stale, f"catalog.py lists routes that no longer exist: {stale}"
    assert all(route.startswith("admin/") for route, _ in all_patterns() if (route, _) not in project_patterns())


def test_every_ticket_action_has_a_page_and_an_api_route():
    routed = {r.action for r in CATALOG.values() if r.kind == "api" and r.action}
    assert routed == set(ACTIONS)
    own_pages = {r.action for r in CATALOG.values() if r.kind == "page" and r.action}
    pages = {a.name for a in ACTIONS.values() if a.form} | own_pages
    assert pages == set(ACTIONS)


# --- 2. anonymous -----------------------------------------------------------------------------------

def _sample(world, user=None):
    sample = {"number": world["a"].number, "attachment_id": world["a"].attachments.first().pk, "fmt": "csv",
              "action": "note", "pk": 1, "notification_id": "1", "task_id": 1}
    return sample


def test_anonymous_gets_login_or_401_everywhere(world):
    client = Client()
    for route, name in project_patterns():
        entry = CATALOG[name]
        if entry.kind == "public" or name == "api-token":
            continue
        url = reverse(name, kwargs=route_kwargs(route, _sample(world)))
        for method in entry.methods:
            response = getattr(client, method.lower())(url)
            if entry.kind == "api":
                assert response.status_code == 401, (name, method, response.status_code)
            else:
                assert response.status_code == 302 and reverse("login") in response.url, (name, method)


def test_admin_is_staff_only(world, users):
    admin_urls = []
    for route, name in all_patterns():
        if route.startswith("admin/") and "<" not in route and "(" not in route and name and name != "admin:login" \
                and name != "admin:logout" and "jsi18n" not in name:
            admin_urls.append(reverse(name))
    assert len(admin_urls) > 15
    for username in DEMO_NAMES:
        if users[username].is_staff:
            continue
        client = browser(users, username)
        for url in admin_urls:
            response = client.get(url)
            assert response.status_code == 302 and reverse("admin:login") in response.url, (username, url)


# --- 3. outside the subtree: 404 everywhere --------------------------------------------------------------

def _body(name, unit_code):
    for slug, _action in API_ACTIONS.items():
        if name == f"api-ticket-{slug}" and slug in API_BODIES:  # multipart ones are checked without a body
            return API_BODIES[slug](unit_code)
    return {}


def _ticket_urls(ticket):
    """Every ticket-scoped route for this ticket: (name, method, url)."""
    out = []
    attachment = ticket.attachments.first()
    for route, name in project_patterns():
        entry = CATALOG[name]
        if entry.scope != "ticket":
            continue
        sample = {"number": ticket.number, "attachment_id": attachment.pk if attachment else 1}
        actions = list(ACTIONS) if "<str:action>" in route else [None]
        for action in actions:
            if action:
                sample["action"] = action
            url = reverse(name, kwargs=route_kwargs(route, sample))
            for method in entry.methods:
                out.append((f"{name}[{action}]" if action else name, method, url))
    return out


@pytest.mark.parametrize("username", sorted(FOREIGN))
def test_ticket_of_another_subtree_is_404_on_every_ticket_route(world, users, username):
    page, token = browser(users, username), api(users, username)
    own_unit = "GS-B1-1" if username == "station_b" else "GS-A1-1"
    for key in (FOREIGN[username], "new"):
        ticket = world[key]
        before = Ticket.objects.get(pk=ticket.pk).version
        for name, method, url in _ticket_urls(ticket):
            client = token if url.startswith("/api/") else page
            if method == "POST" and "attach" in name:
                response = client.post(url, {"file": SimpleUploadedFile("x.txt", b"x")})
            elif method == "POST" and url.startswith("/api/"):
                # A valid body, so the answer comes from the ticket lookup, not from validation.
                response = client.post(url, _body(name, own_unit), format="json")
            elif method == "POST":
                response = client.post(url, {"version": before})
            else:
                response = client.get(url)
            assert response.status_code == 404, (username, key, name, method, response.status_code)
            body = content_of(response)
            for secret in (ticket.customer_name, ticket.description):
                assert secret not in body, (username, name)
        assert Ticket.objects.get(pk=ticket.pk).version == before  # nothing changed


@pytest.mark.parametrize("username", sorted(FOREIGN))
def test_lists_and_exports_never_include_another_subtree(world, users, username):
    page, token = browser(users, username), api(users, username)
    mine, foreign = world[HOME[username]], world[FOREIGN[username]]
    hidden = [foreign.number, world["new"].number]
    checked = []
    for route, name in project_patterns():
        entry = CATALOG[name]
        if entry.scope != "list" or "GET" not in entry.methods:
            continue
        for fmt in ("csv", "xlsx") if "<str:fmt>" in route else (None,):
            url = reverse(name, kwargs={"fmt": fmt} if fmt else {})
            client = token if url.startswith("/api/") else page
            for query in ("", f"?q={foreign.number}", "?customer_phone=13800000002&account_no=3100000002",
                          "?status=open", f"?unit={foreign.unit.code}"):
                response = client.get(url + query)
                assert response.status_code in (200, 302, 400, 403, 404), (name, query, response.status_code)
                text = content_of(response) if response.status_code == 200 else ""
                for number in hidden:  # the search box echoing the query is not a leak
                    text = text.replace(f"q={number}", "").replace(f'value="{number}"', "")
                for number in hidden:
                    assert number not in text, (username, name, query)
                checked.append((name, query))
    # The user's own tickets do show up (the test is not passing because lists are empty).
    assert mine.number in content_of(token.get(reverse("api-tickets")))
    assert mine.number in content_of(page.get(reverse("complaints:list")))
    assert mine.number in content_of(page.get(reverse("reports:export_tickets", args=["csv"])))
    assert len(checked) >= 20


def test_reports_are_scoped_to_the_subtree(world, users):
    manager = api(users, "manager_a")
    summary = manager.get(reverse("reports-summary"))
    assert summary.status_code == 200
    data = summary.json()
    assert data["unit"]["code"] == "GS-A1-1"
    text = json.dumps(data, ensure_ascii=False)
    assert world["b"].number not in text and "GS-B1-1" not in text
    for name in ("reports-summary", "reports-bulletin"):
        assert manager.get(reverse(name), {"unit": "GS-B1-1"}).status_code == 404
        assert manager.get(reverse(name), {"unit": "DS-A"}).status_code == 404  # above the user: not theirs
    page = browser(users, "manager_a")
    for name in ("reports:dashboard", "reports:bulletin", "reports:bulletin_xlsx"):
        assert page.get(reverse(name), {"unit": "GS-B1-1"}).status_code == 404, name
        own = page.get(reverse(name))
        assert own.status_code == 200, name
        assert "GS-B1-1" not in content_of(own) and world["b"].number not in content_of(own)
    # Roles without the reports: refused, not empty.
    for username in ("station_a", "station_b"):
        assert api(users, username).get(reverse("reports-summary")).status_code == 403
        assert browser(users, username).get(reverse("reports:dashboard")).status_code == 403


def test_own_objects_of_another_user_are_404(world, users):
    from reports.models import Export

    note = Notification.objects.filter(user=users["station_b"]).first()
    assert note is not None
    job = Export.objects.create(user=users["station_b"], format="csv", filters={})
    intruder_page, intruder_api = browser(users, "station_a"), api(users, "station_a")
    assert intruder_page.post(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert intruder_api.post(reverse("api-notification-read", args=[note.pk])).status_code == 404
    for name in ("reports:export_detail", "reports:export_download"):
        assert intruder_page.get(reverse(name, args=[job.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert note.pk not in [n["id"] for n in intruder_api.get(reverse("api-notifications")).json()["results"]]


# --- 4. role × action: 403 -----------------------------------------------------------------------------

API_BODIES = {
    "dispatch": lambda unit: {"unit": unit}, "return": lambda unit: {"reason": "不属本所"},
    "contact": lambda unit: {"method": "phone"},
    "reply": lambda unit: {"substantiated": True, "cause": "c", "measures": "m", "reply_text": "r"},
    "review": lambda unit: {"approved": True}, "callback": lambda unit: {"result": "satisfied"},
    "extend": lambda unit: {"days": 2, "reason": "勘查"}, "extension-decision": lambda unit: {"approved": True},
    "supervise": lambda unit: {"kind": "supervision", "content": "督办"}, "chase": lambda unit: {"note": "催"},
    "add-info": lambda unit: {"text": "补充"}, "note": lambda unit: {"text": "备注"},
    "withdraw": lambda unit: {"reason": "撤诉"}, "request-onsite": lambda unit: {"reason": "影响面较大"},
    "responsibility": lambda unit: {"at_fault": False},
    "close": lambda unit: {"reply_text": "已答复"}, "assign": lambda unit: {"handler": "station_a"},
    "change-finding": lambda unit: {"substantiated": True, "reason": "复核属实"},
    "order-reply": lambda unit: {"order_id": 1, "text": "已处理"}, "order-close": lambda unit: {"order_id": 1},
    "major-report": lambda unit: {"what": "w", "place": "p", "impact": "i", "measures": "m"},
    "major-summary": lambda unit: {"what": "w"}, "followup": lambda unit: {"result": "satisfied"},
    "investigate": lambda unit: {"unit": unit, "matter": "请核查抄表收费情况", "due_at": "2099-01-01T00:00:00+08:00"},
    "conclude": lambda unit: {"substantiated": False, "conclusion": "经查不属实"},
    "mark-duplicate": lambda unit: {"original": "209901010000001", "reason": "同一来电重复登记"},
    "unmark-duplicate": lambda unit: {"reason": "误标"},
}


@pytest.mark.parametrize("username", DEMO_NAMES)
def test_actions_the_role_does_not_allow_are_403(world, users, units, username):
    user = users[username]
    ticket = world[HOME.get(username, "a")]
    home_unit = units["GS-B1-1" if username == "station_b" else "GS-A1-1"].code
    token, page = api(users, username), browser(users, username)
    refused, allowed = [], []
    for slug, action in API_ACTIONS.items():
        if slug not in API_BODIES:
            continue  # a multipart body (on-site investigation): test_case_rules covers its route
        may = user.has_perm(ACTIONS[action].permission)
        before = Ticket.objects.get(pk=ticket.pk).version
        response = token.post(reverse(f"api-ticket-{slug}", args=[ticket.number]), API_BODIES[slug](home_unit),
                              format="json")
        page_response = page.post(reverse("complaints:act", args=[ticket.number, action]), {"version": before})
        if may:
            allowed.append(action)
            assert response.status_code != 403, (username, slug, response.json())
            assert response.status_code < 500 and page_response.status_code < 500
        else:
            refused.append(action)
            assert response.status_code == 403, (username, slug, response.status_code, response.content[:300])
            assert response.json()["error"]["code"] == "forbidden"
            assert "无权" in response.json()["error"]["message"]
            assert page_response.status_code == 403, (username, action, page_response.status_code)
            assert "无权" in page_response.content.decode()
            assert Ticket.objects.get(pk=ticket.pk).version == before
    if username in ("viewer", "station_a"):
        assert refused  # the read-only leader and a handler are refused most actions
    if username == "viewer":
        assert not allowed


def test_intake_needs_the_intake_role(world, users, category):
    body = {"channel": "95598_phone", "kind": "complaint", "category": category.code, "description": "x",
            "customer": {"name": "张三", "phone": "13800138000"}}
    for username in DEMO_NAMES:
        response = api(users, username).post(reverse("api-tickets"), body, format="json")
        if users[username].has_perm("complaints.intake_ticket"):
            assert response.status_code == 201, username
        else:
            assert response.status_code == 403, username
            page = browser(users, username).get(reverse("complaints:intake"))
            assert page.status_code == 403, username


def test_deactivated_user_is_shut_out_of_the_real_api_and_pages_at_once(world, users):
    token, page = api(users, "station_a"), browser(users, "station_a")
    assert token.get(reverse("api-me")).status_code == 200
    assert page.get(reverse("complaints:list")).status_code == 200
    user = users["station_a"]
    user.is_active = False
    user.save()
    assert token.get(reverse("api-me")).status_code == 401
    assert token.get(reverse("api-ticket-detail", args=[world["a"].number])).status_code == 401
    response = page.get(reverse("complaints:list"))
    assert response.status_code == 302 and reverse("login") in response.url


# --- 5. the misconduct report's complainant ------------------------------------------------------------

def _secrets():
    phone = REPORTER["phone"]
    return [REPORTER["name"], phone, f"{phone[:3]}****{phone[-4:]}", REPORTER["account_no"], REPORTER["address"]]


@pytest.mark.parametrize("username", ["station_a", "manager_a"])
def test_reported_unit_never_sees_the_complainant(world, users, username):
    report = world["report"]
    page, token = browser(users, username), api(users, username)
    urls = [
        (page, reverse("complaints:detail", args=[report.number])),
        (page, reverse("complaints:list")),
        (page, reverse("complaints:list") + f"?q={REPORTER['phone']}"),
        (page, reverse("complaints:my_work")),
        (page, reverse("complaints:earlier") + f"?customer_phone={REPORTER['phone']}"),
        (page, reverse("notifications:list")),
        (page, reverse("reports:export_tickets", args=["csv"])),
        (page, reverse("reports:export_tickets", args=["xlsx"])),
        (page, reverse("reports:bulletin")),
        (page, reverse("reports:bulletin_xlsx")),
        (token, reverse("api-ticket-detail", args=[report.number])),
        (token, reverse("api-tickets")),
        (token, reverse("api-tickets") + f"?q={REPORTER['phone']}"),
        (token, reverse("api-notifications")),
        (token, reverse("reports-bulletin")),
    ]
    seen = 0
    for client, url in urls:
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code in (302, 403, 404), (url, response.status_code)
            continue
        text = content_of(response)
        if "?q=" in url:  # the search box echoes the query; the results must not match the report
            text = text.replace(f"q={REPORTER['phone']}", "").replace(f'value="{REPORTER["phone"]}"', "")
            assert report.number not in text, (username, url, "search by the complainant's phone finds the report")
        for secret in _secrets():
            assert secret not in text, (username, url, secret)
        seen += 1
    assert seen >= 8
    # The report itself does not exist for them (tests/security/test_confidentiality.py has every surface).
    assert report.number not in content_of(token.get(reverse("api-tickets")))
    reveal = page.post(reverse("complaints:reveal_phone", args=[report.number]))
    assert reveal.status_code == 404 and REPORTER["phone"] not in reveal.content.decode()
    for note in Notification.objects.filter(user=users[username]):
        assert not any(secret in note.message for secret in _secrets())
    from notifications.models import OutboxMessage

    for message in OutboxMessage.objects.filter(recipient=users[username].email):
        assert not any(secret in message.subject + message.body for secret in _secrets())


def test_complainant_is_visible_to_the_supervision_office(world, users):
    detail = api(users, "supervisor").get(reverse("api-ticket-detail", args=[world["report"].number])).json()
    assert detail["customer"]["name"] == REPORTER["name"]
    assert REPORTER["phone"] not in json.dumps(detail)  # still masked until revealed


# --- 6. phones masked for roles that do not call customers ---------------------------------------------

@pytest.mark.parametrize("username", DEMO_NAMES)
def test_phone_numbers_are_masked_everywhere_until_revealed(world, users, username):
    ticket = world["a"]
    phone = ticket.customer_phone
    page, token = browser(users, username), api(users, username)
    for client, url in [
        (page, reverse("complaints:detail", args=[ticket.number])),
        (page, reverse("complaints:list")),
        (page, reverse("reports:export_tickets", args=["csv"])),
        (page, reverse("reports:export_tickets", args=["xlsx"])),
        (page, reverse("complaints:earlier") + f"?customer_phone={phone}"),
        (token, reverse("api-ticket-detail", args=[ticket.number])),
        (token, reverse("api-tickets")),
    ]:
        response = client.get(url)
        if response.status_code == 200:
            assert phone not in content_of(response), (username, url)
    reveal = page.post(reverse("complaints:reveal_phone", args=[ticket.number]))
    if users[username].has_perm("complaints.view_phone") and users[username].has_perm("complaints.view_ticket"):
        assert reveal.status_code in (200, 404), username  # 404: station_b cannot see station A's ticket
    else:
        assert reveal.status_code in (403, 404), username
        assert phone not in reveal.content.decode()
