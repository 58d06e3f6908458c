"""A misconduct report (举报) is confidential by construction.

The complainant of the report below also has ordinary complaints on record at the reported station
(one before the report, one after). Every catalogued surface — each URL route (pages, API, files),
the admin, notifications and the outbox — is asked as every demo role and as the reported unit's
users: only the discipline office and the supervision office ever see the report, its number, its
text, its attachment names or a link from the complainant's other tickets to it. Routes and
serializers are introspected; an unclassified one fails the test (tests/security/catalog.py)."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from accounts.demo import DEMO_USERS
from complaints import services as s
from complaints.models import InvestigationTask, Ticket, TicketLink
from notifications.models import Notification, OutboxMessage

from .catalog import CATALOG, PERSONAL_FIELDS, SERIALIZERS, project_patterns, project_serializers
from .pages import route_kwargs
from .test_access_matrix import _body, _ticket_urls, api, browser, content_of

pytestmark = pytest.mark.django_db

PERSON = {"customer_name": "举报人甲乙", "customer_phone": "13912345678", "account_no": "3100099999",
          "address": "东州市城关镇秘密村十二号"}
REPORT_TEXT = "举报城关供电所抄表员收受好处费"
ATTACHMENT = "举报人甲乙13912345678.txt"
MATTER = "请核查城关供电所抄表员近三个月的收费记录"  # the discipline office's task: the matter, not the report
FINDINGS = "经核查收费记录，未发现违规收费"
READERS = {"discipline", "supervisor"}  # the discipline office and the supervision office
REPORTED_UNIT = {"station_a", "manager_a"}  # GS-A1-1, the unit the report names
OTHERS = sorted({u[0] for u in DEMO_USERS} - READERS)


@pytest.fixture
def world(users, units, make_ticket):
    earlier = s.ticket_dispatch(ticket=make_ticket(**PERSON), actor=users["lead"], unit=units["GS-A1-1"])
    s.attachment_add(ticket=earlier, actor=users["station_a"], upload=SimpleUploadedFile("现场.txt", b"evidence"))
    # A 12398 report on the matter already filed at 95598: escalated, linked to the earlier complaint.
    report = make_ticket(kind="report", channel="12398", regulator_ref="12398-JB-0001", description=REPORT_TEXT,
                         **PERSON)
    report = s.ticket_dispatch(ticket=report, actor=users["discipline"], unit=units["JJ"])
    s.attachment_add(ticket=report, actor=users["discipline"], upload=SimpleUploadedFile(ATTACHMENT, b"letter"))
    report = s.ticket_contact(ticket=report, actor=users["discipline"], method="phone")
    s.ticket_supervise(ticket=report, actor=users["supervisor"], kind="supervision", content="请纪检监察室核查")
    # The station is asked to look into the matter, and answers with a file of its own.
    s.investigation_issue(ticket=report.number, actor=users["discipline"], unit=units["GS-A1-1"], matter=MATTER,
                          due_at=timezone.now() + timedelta(days=5))
    task = InvestigationTask.objects.get(ticket=report)
    s.investigation_answer(task_id=task.pk, actor=users["station_a"], findings=FINDINGS,
                           files=[SimpleUploadedFile("收费记录.txt", b"records")])
    later = s.ticket_dispatch(ticket=make_ticket(**PERSON), actor=users["lead"], unit=units["GS-A1-1"])
    return {"earlier": earlier, "report": Ticket.objects.get(pk=report.pk), "later": later, "task": task}


def _secrets(report) -> list[str]:
    """What would tell someone of the report, and so of who reported whom."""
    return [report.number, REPORT_TEXT, ATTACHMENT, report.regulator_ref]


def _assert_clean(text: str, report, where):
    for secret in _secrets(report):
        assert secret not in text, (where, secret)


# --- 1. every route and serializer is classified -------------------------------------------------

def test_every_serializer_is_classified():
    found = project_serializers()
    unclassified = sorted(set(found) - set(SERIALIZERS))
    stale = sorted(set(SERIALIZERS) - set(found))
    assert not unclassified, (f"New serializers {unclassified}: classify them in tests/security/catalog.py "
                              f"SERIALIZERS (input / plain / policy) so the confidentiality matrix covers them")
    assert not stale, f"SERIALIZERS lists serializers that no longer exist: {stale}"
    for name, cls in found.items():
        declared = set(getattr(cls, "_declared_fields", {})) | set(getattr(getattr(cls, "Meta", None), "fields", ())
                                                                 or ())
        personal = declared & PERSONAL_FIELDS
        if SERIALIZERS[name] == "plain" and name.endswith(("AttachmentSerializer", "EventSerializer",
                                                           "LinkSerializer", "CustomerOutSerializer")):
            continue  # nested shapes rendered only by a policy serializer, after the policy filtered the rows
        if SERIALIZERS[name] == "plain":
            assert not personal, f"{name} shows {personal}: it must be a 'policy' serializer"
        if SERIALIZERS[name] == "policy":
            for field in personal:
                assert isinstance(cls._declared_fields[field], serializers.SerializerMethodField), (
                    f"{name}.{field} must be rendered through complaints.policy (a method field)")


def test_every_route_is_classified():
    names = {name for _route, name in project_patterns()}
    assert not sorted(n for n in names if n not in CATALOG), "classify new routes in tests/security/catalog.py"


# --- 2. the matrix --------------------------------------------------------------------------------

def _list_queries(report) -> list[str]:
    phone, account = PERSON["customer_phone"], PERSON["account_no"]
    return ["", f"?q={phone}", f"?q={account}", f"?q={PERSON['customer_name']}", f"?q={report.number}",
            f"?q={report.regulator_ref}", "?q=好处费", "?kind=report", "?status=open",
            f"?customer_phone={phone}&account_no={account}", f"?unit={report.unit.code}"]


def _strip_echo(text: str, query: str) -> str:
    """The search box echoes the query; that is not a leak (the results are what is checked)."""
    for part in query.lstrip("?").split("&"):
        if "=" in part:
            key, value = part.split("=", 1)
            text = text.replace(f"{key}={value}", "").replace(f'value="{value}"', "").replace(f'"{value}"', "")
    return text


@pytest.mark.parametrize("username", OTHERS)
def test_nobody_but_the_discipline_and_supervision_offices_learns_of_the_report(world, users, username):
    report = world["report"]
    page, token = browser(users, username), api(users, username)
    before = report.version
    # The report itself: 404 on every ticket route, page and API, read or write — as if it did not exist.
    for name, method, url in _ticket_urls(report):
        client = token if url.startswith("/api/") else page
        if method == "POST" and "attach" in name:
            response = client.post(url, {"file": SimpleUploadedFile("x.txt", b"x")})
        elif method == "POST" and url.startswith("/api/"):
            response = client.post(url, _body(name, users[username].unit.code), format="json")
        elif method == "POST":
            response = client.post(url, {"version": before})
        else:
            response = client.get(url)
        assert response.status_code == 404, (username, name, method, response.status_code)
        _assert_clean(content_of(response), report, (username, name))
    assert Ticket.objects.get(pk=report.pk).version == before
    checked = 0
    # The complainant's ordinary tickets: no link, note or attachment pointing at the report.
    for key in ("earlier", "later"):
        for name, method, url in _ticket_urls(world[key]):
            if method != "GET":
                continue
            response = (token if url.startswith("/api/") else page).get(url)
            if response.status_code == 200:
                _assert_clean(content_of(response), report, (username, key, name))
                checked += 1
    # Every list, export, figure, own-object, unit-object and plain page, with searches for the complainant
    # (the reported station reads its investigation task: the matter, never the report).
    sample = {"fmt": "csv", "pk": 0, "notification_id": "0", "task_id": world["task"].pk}
    for route, name in project_patterns():
        entry = CATALOG[name]
        if entry.scope == "ticket" or "GET" not in entry.methods or entry.kind == "public":
            continue
        fmts = ("csv", "xlsx") if "<str:fmt>" in route else (None,)
        for fmt in fmts:
            try:
                url = reverse(name, kwargs=route_kwargs(route, {**sample, "fmt": fmt}))
            except KeyError:
                continue
            client = token if url.startswith("/api/") else page
            for query in _list_queries(report) if entry.scope == "list" else ("",):
                response = client.get(url + query)
                assert response.status_code < 500, (username, name, query)
                if response.status_code == 200:
                    _assert_clean(_strip_echo(content_of(response), query), report, (username, name, query))
                    checked += 1
    assert checked >= 40, checked
    # Notifications and the outbox.
    user = users[username]
    for note in Notification.objects.filter(user=user):
        _assert_clean(note.message, report, (username, "notification"))
        assert note.ticket_id != report.pk, (username, "notification about the report")
    for message in OutboxMessage.objects.filter(recipient__in=[user.email, user.phone] if user.phone else [user.email]):
        _assert_clean(message.subject + message.body, report, (username, "outbox"))


def test_reported_unit_sees_its_own_complaints_but_no_link_to_the_report(world, client_as):
    for key in ("earlier", "later"):
        detail = client_as("station_a").get(reverse("api-ticket-detail", args=[world[key].number])).json()
        assert detail["customer"]["name"] == PERSON["customer_name"]  # their own complaint: they call the customer
        assert world["report"].number not in [link["number"] for link in detail["links"]]
    assert not TicketLink.objects.filter(other=world["report"]).exists()  # no ordinary ticket points at a report


def test_admin_without_the_discipline_role_finds_no_report(world, client_for):
    report = world["report"]
    admin = client_for("admin")
    for url in (reverse("admin:complaints_ticket_changelist"),
                reverse("admin:complaints_ticket_changelist") + f"?q={report.number}",
                reverse("admin:complaints_ticket_changelist") + "?kind__exact=report",
                reverse("admin:complaints_sensitiveaccess_changelist")):
        response = admin.get(url)
        assert response.status_code == 200, url
        _assert_clean(_strip_echo(content_of(response), url.partition("?")[2]), report, url)
    version = report.history.earliest("history_date").history_id
    for name, args in (("admin:complaints_ticket_change", [report.pk]),
                       ("admin:complaints_ticket_history", [report.pk]),
                       ("admin:complaints_ticket_simple_history", [report.pk, version])):
        response = admin.get(reverse(name, args=args))
        assert response.status_code in (302, 404), name
        _assert_clean(content_of(response), report, name)


def test_no_admin_page_shows_the_report_to_an_administrator_without_the_role(world, client_for):
    """Every registered admin model — found from the URLconf, so a new one is covered at once: its list,
    searched for the report, and the change page of each of its rows that belongs to the report."""
    from django.apps import apps

    from .catalog import all_patterns

    report = world["report"]
    admin = client_for("admin")
    names = {name for _route, name in all_patterns() if name and name.startswith("admin:")}
    checked = 0
    for model in apps.get_models():
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if f"{base}_changelist" not in names:
            continue
        for query in ("", f"?q={report.number}", f"?q={report.regulator_ref}", f"?q={PERSON['customer_phone']}"):
            response = admin.get(reverse(f"{base}_changelist") + query)
            assert response.status_code == 200, (base, query)
            # The search box and the "add" link's preserved filters echo the query: not a leak.
            text = _strip_echo(content_of(response), query).replace(f"q%3D{query[3:]}", "")
            _assert_clean(text, report, (base, query))
            assert PERSON["customer_phone"] not in text, (base, query)
            checked += 1
        field = next((f.name for f in model._meta.get_fields()
                      if getattr(f, "related_model", None) is Ticket and f.many_to_one), None)
        if field is None or f"{base}_change" not in names:
            continue
        for pk in model.objects.filter(**{field: report}).values_list("pk", flat=True):
            response = admin.get(reverse(f"{base}_change", args=[pk]))
            assert response.status_code in (302, 404), (base, pk, response.status_code)
            _assert_clean(content_of(response), report, (base, pk))
    assert checked >= 60, checked
    outbox = client_for("admin").get(reverse("admin:notifications_outboxmessage_changelist")).content.decode()
    assert "发送中" in outbox or "待发送" in outbox or "已发送" in outbox  # the rows are there, their content is not


# --- the investigation task on the reported unit's side --------------------------------------------

def _task_surfaces(task) -> list[tuple[str, str]]:
    return [("page", reverse("complaints:investigations")),
            ("page", reverse("complaints:investigation", args=[task.pk])),
            ("api", reverse("api-investigations")), ("api", reverse("api-investigation", args=[task.pk]))]


def _identifying(report) -> list[str]:
    phone = PERSON["customer_phone"]
    return [*_secrets(report), *PERSON.values(), f"{phone[:3]}****{phone[-4:]}", REPORT_TEXT]


@pytest.mark.parametrize("username", sorted(REPORTED_UNIT))
def test_reported_unit_reads_the_task_matter_and_nothing_that_identifies_the_report(world, users, username):
    report, task = world["report"], world["task"]
    clients = {"page": browser(users, username), "api": api(users, username)}
    for kind, url in _task_surfaces(task):
        response = clients[kind].get(url)
        assert response.status_code == 200, (username, url)
        text = content_of(response)
        assert MATTER in text, (username, url)
        assert FINDINGS in text or url == reverse("complaints:investigations"), (username, url)  # the list: matters
        for secret in _identifying(report):
            assert secret not in text, (username, url, secret)
    # The report itself stays 404 — the task gives no way to it.
    assert clients["page"].get(reverse("complaints:detail", args=[report.number])).status_code == 404
    assert clients["api"].get(reverse("api-ticket-detail", args=[report.number])).status_code == 404
    for note in Notification.objects.filter(user=users[username]):
        assert note.ticket_id != report.pk
        assert not any(secret in note.message for secret in _identifying(report)), note.message


@pytest.mark.parametrize("username", sorted(set(OTHERS) - REPORTED_UNIT))
def test_nobody_else_reads_the_task(world, users, username):
    task = world["task"]
    page, token = browser(users, username), api(users, username)
    assert page.get(reverse("complaints:investigation", args=[task.pk])).status_code in (403, 404)
    assert token.get(reverse("api-investigation", args=[task.pk])).status_code in (403, 404)
    answer = token.post(reverse("api-investigation-answer", args=[task.pk]), {"findings": "x"}, format="json")
    assert answer.status_code in (403, 404)
    for kind, url in _task_surfaces(task)[::2]:  # the lists
        response = (page if kind == "page" else token).get(url)
        assert response.status_code in (200, 403)
        assert MATTER not in content_of(response), (username, url)


def test_the_office_reads_the_answer_on_the_report(world, client_as):
    detail = client_as("discipline").get(reverse("api-ticket-detail", args=[world["report"].number])).json()
    [task] = detail["investigation_tasks"]
    assert (task["matter"], task["findings"], task["state"]) == (MATTER, FINDINGS, "answered")
    assert {"收费记录.txt", ATTACHMENT} == {a["name"] for a in detail["attachments"]}


# --- 3. the offices that may see it -------------------------------------------------------------------

@pytest.mark.parametrize("username", sorted(READERS))
def test_discipline_and_supervision_offices_see_the_report_whole(world, client_as, username):
    report = world["report"]
    detail = client_as(username).get(reverse("api-ticket-detail", args=[report.number])).json()
    assert detail["customer"]["name"] == PERSON["customer_name"]
    assert {link["number"] for link in detail["links"]} == {world["earlier"].number}  # repeat and escalated
    assert ATTACHMENT in [a["name"] for a in detail["attachments"]]
    listed = client_as(username).get(reverse("api-tickets"), {"kind": "report"}).json()["results"]
    assert [t["number"] for t in listed] == [report.number]


def test_a_report_is_owned_by_the_discipline_office_and_cannot_go_to_a_station(world, users, units):
    report = world["report"]
    assert report.unit == units["JJ"] and report.owner_unit == units["JJ"]
    fresh = s.ticket_register(actor=users["agent"], data=s.IntakeData(
        channel="95598_phone", kind="report", customer_name="某", customer_phone="13700000000",
        description="举报", category=report.category))[0]
    assert fresh.owner_unit == units["JJ"]  # from registration on, not the intake unit's
    from core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        s.ticket_dispatch(ticket=fresh.number, actor=users["supervisor"], unit=units["GS-A1-1"])
    assert "纪检监察" in refused.value.message


# --- 4. leaders -----------------------------------------------------------------------------------

def test_leader_gets_404_for_the_report_and_sees_it_only_as_a_count(world, users, client_as, client_for):
    report = world["report"]
    assert client_as("viewer").get(reverse("api-ticket-detail", args=[report.number])).status_code == 404
    assert client_for("viewer").get(reverse("complaints:detail", args=[report.number])).status_code == 404
    summary = client_as("viewer").get(reverse("reports-summary")).json()
    by_kind = {row["code"]: row["count"] for row in summary["by_kind"]}
    # Counted: one report received this month, like every other ticket of the month.
    assert by_kind.get("report") == Ticket.objects.filter(kind="report").count() == 1
    assert report.number not in content_of(client_for("viewer").get(reverse("reports:dashboard")))


def test_a_leader_who_holds_the_discipline_role_reads_the_report(world, users, client_as, client_for):
    from django.contrib.auth.models import Group

    report = world["report"]
    users["viewer"].groups.add(Group.objects.get(name="discipline"))
    detail = client_as("viewer").get(reverse("api-ticket-detail", args=[report.number]))
    assert detail.status_code == 200 and detail.json()["customer"]["name"] == PERSON["customer_name"]
    assert client_for("viewer").get(reverse("complaints:detail", args=[report.number])).status_code == 200


def test_the_discipline_office_takes_a_new_report_from_its_own_queue(make_ticket, client_for):
    report = make_ticket(kind="report", description=REPORT_TEXT, **PERSON)
    page = client_for("discipline")
    home = page.get(reverse("home"))
    assert home.status_code == 302 and home.url == reverse("complaints:dispatch_queue")
    assert report.number in page.get(home.url).content.decode()
    assert report.number not in client_for("lead").get(reverse("complaints:dispatch_queue")).content.decode()
    assert "访问记录" in page.get(reverse("complaints:list")).content.decode()  # the access log in the menu
