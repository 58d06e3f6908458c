"""CSRF on every form, a strict Content Security Policy, and no inline script or inline event
handler on any page any demo user can reach (so the CSP never has to allow 'unsafe-inline')."""
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from complaints import services as s
from complaints.models import Ticket

from .pages import urls_for

pytestmark = pytest.mark.django_db

DEMO_NAMES = [u[0] for u in DEMO_USERS]


# --- CSRF ------------------------------------------------------------------------------------------

def test_login_post_without_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "agent", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def _csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_page_forms_without_csrf_token_are_refused(users, units, make_ticket, category):
    ticket = make_ticket()
    lead = _csrf_client(users["lead"])
    response = lead.post(reverse("complaints:act", args=[ticket.number, "dispatch"]),
                         {"version": ticket.version, "dispatch-unit": units["GS-A1-1"].pk})
    assert response.status_code == 403
    agent = _csrf_client(users["agent"])
    before = Ticket.objects.count()
    response = agent.post(reverse("complaints:intake"), {"channel": "95598_phone", "kind": "complaint",
                                                         "customer_name": "张三", "customer_phone": "13800138000",
                                                         "description": "x", "category": category.pk})
    assert response.status_code == 403
    assert Ticket.objects.count() == before
    assert agent.post(reverse("logout")).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "registered"


def test_page_form_with_the_token_works(users, units, make_ticket):
    ticket = make_ticket()
    lead = _csrf_client(users["lead"])
    page = lead.get(reverse("complaints:detail", args=[ticket.number]))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else lead.cookies["csrftoken"].value
    response = lead.post(reverse("complaints:act", args=[ticket.number, "dispatch"]),
                         {"csrfmiddlewaretoken": token, "version": ticket.version,
                          "dispatch-unit": units["GS-A1-1"].pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "dispatched"


def test_api_with_session_needs_csrf_but_token_clients_do_not(users, units, make_ticket):
    from rest_framework.test import APIClient

    from accounts.tokens import issue

    ticket = make_ticket()
    url = reverse("api-ticket-dispatch", args=[ticket.number])
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(users["lead"])
    assert browser.post(url, {"unit": "GS-A1-1"}, format="json").status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "registered"
    integration = APIClient(enforce_csrf_checks=True)
    integration.credentials(HTTP_AUTHORIZATION=f"Token {issue(users['lead'])[1]}")
    assert integration.post(url, {"unit": "GS-A1-1"}, format="json").status_code == 200


# --- Content Security Policy -----------------------------------------------------------------------

def _csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _assert_strict(response):
    csp = _csp(response)
    script = csp.get("script-src", csp.get("default-src"))
    assert script and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, script
    assert csp.get("object-src") == ["'none'"]
    assert csp.get("frame-ancestors") == ["'none'"]
    assert "'unsafe-inline'" not in csp.get("default-src", [])
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("X-Frame-Options") == "DENY"


def test_csp_on_the_login_page(db):
    _assert_strict(Client().get(reverse("login")))


def test_csp_on_signed_in_pages(client_for, make_ticket):
    ticket = make_ticket()
    _assert_strict(client_for("agent").get(reverse("complaints:list")))
    _assert_strict(client_for("agent").get(reverse("complaints:detail", args=[ticket.number])))
    _assert_strict(client_for("admin").get(reverse("admin:index")))


# --- no inline script anywhere ---------------------------------------------------------------------

class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline event handler")
            if name.lower() in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and not attrs.get("src") and (attrs.get("type") or "").lower() != "application/json":
            self.problems.append(f"inline <script {attrs}>")
        if tag == "style" or "style" in attrs:
            pass  # style-src 'self' blocks inline styles in the browser; not a script risk

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def inline_problems(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


def test_the_finder_finds_what_it_should():
    assert inline_problems("<script>alert(1)</script>")
    assert inline_problems('<a href="#" onclick="x()">x</a>')
    assert inline_problems('<a href="javascript:void(0)">x</a>')
    assert not inline_problems('<script src="/static/app.js"></script><script type="application/json">{}</script>')


@pytest.fixture
def sample(users, units, make_ticket):
    """A ticket in every state a page shows differently, with an attachment, an export and a
    notification, so detail pages render their fullest."""
    ticket = make_ticket()
    ticket = s.ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])
    s.attachment_add(ticket=ticket, actor=users["station_a"], upload=SimpleUploadedFile("a.txt", b"evidence"))
    ticket = s.ticket_contact(ticket=ticket, actor=users["station_a"], method="phone")
    s.ticket_extension_request(ticket=ticket, actor=users["station_a"], days=2, reason="勘查")
    s.ticket_supervise(ticket=ticket, actor=users["supervisor"], kind="supervision", content="请尽快")
    ticket = s.ticket_reply(ticket=ticket, actor=users["station_a"], substantiated=True, cause="c", measures="m",
                            reply_text="r")
    make_ticket(kind="report", customer_name="举报人")
    return ticket


def _page_sample(ticket, user):
    from notifications.models import Notification

    sample = {"number": ticket.number, "attachment_id": ticket.attachments.first().pk, "fmt": "csv"}
    note = Notification.objects.filter(user=user).first()
    if note:
        sample["pk"] = note.pk
    return sample


@pytest.mark.parametrize("username", DEMO_NAMES)
def test_no_inline_script_on_any_page(sample, users, client_for, username):
    user = users[username]
    client = client_for(username)
    checked = 0
    for name, url in urls_for(("page", "public"), "GET", _page_sample(sample, user)):
        if name in ("reports:export_detail", "notifications:open"):
            continue  # redirects / own objects, covered by the matrix
        response = client.get(url, follow=True)
        assert response.status_code < 500, (name, url, response.status_code)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        problems = inline_problems(response.content.decode())
        assert not problems, (username, name, url, problems)
        checked += 1
    assert checked >= 8


def test_no_inline_script_on_admin_pages(sample, client_for, users):
    from django.contrib import admin

    client = client_for("admin")
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    urls += [reverse("admin:complaints_ticket_change", args=[sample.pk]),
             reverse("admin:complaints_ticket_history", args=[sample.pk]),
             reverse("admin:accounts_user_change", args=[users["agent"].pk]),
             reverse("admin:accounts_user_add"),
             reverse("admin:accounts_unit_add"),
             reverse("admin:core_setting_add")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not inline_problems(response.content.decode()), (url, inline_problems(response.content.decode()))


def test_no_inline_script_on_api_docs(client_for):
    response = client_for("agent").get(reverse("api-docs"))
    assert response.status_code == 200
    assert not inline_problems(response.content.decode())
    script = client_for("agent").get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
