"""A misconduct report's investigation: the discipline office asks the reported station (or a unit
above it) to look into the matter, the station answers on its own side without ever seeing the
report, and the office concludes the report, which leaves every open queue with its tasks."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints import services as s
from complaints.models import InvestigationTask, Status, Ticket
from core.errors import Conflict, NotFound, ValidationFailed
from notifications.models import Notification, OutboxMessage
from sla.models import ClockName, ClockState

pytestmark = pytest.mark.django_db

MATTER = "请核查城关供电所抄表员十一月在秘密村收取费用的情况"
PERSON = {"customer_name": "举报人丙丁", "customer_phone": "13912340000", "account_no": "3100088888",
          "address": "东州市城关镇某村八号"}


@pytest.fixture
def report(make_ticket, users, units):
    ticket = make_ticket(kind="report", channel="12398", regulator_ref="12398-JB-0042",
                         description="举报抄表员收受好处费", **PERSON)
    return s.ticket_dispatch(ticket=ticket, actor=users["discipline"], unit=units["JJ"])


def _issue(report, users, units, unit="GS-A1-1", matter=MATTER, days=5):
    return s.investigation_issue(ticket=report.number, actor=users["discipline"], unit=units[unit], matter=matter,
                                 due_at=timezone.now() + timedelta(days=days))


def test_the_office_issues_a_task_the_station_is_told_of_without_the_report(report, users, units):
    _issue(report, users, units)
    task = InvestigationTask.objects.get(ticket=report)
    assert (task.unit, task.matter, task.state) == (units["GS-A1-1"], MATTER, "open")
    event = report.events.get(action="investigate")
    assert event.note == MATTER and event.data["task"] == task.pk
    told = Notification.objects.get(user=users["manager_a"], kind="investigation_task")
    assert told.ticket_id is None  # the report's number is what the station must not learn
    assert str(task.pk) in told.message and report.number not in told.message
    for message in OutboxMessage.objects.filter(recipient=users["manager_a"].email):
        assert report.number not in message.subject + message.body
        assert PERSON["customer_name"] not in message.subject + message.body


@pytest.mark.parametrize("field", ["customer_name", "customer_phone", "account_no", "address"])
def test_a_matter_that_names_the_complainant_is_refused(report, users, units, field):
    with pytest.raises(ValidationFailed) as refused:
        _issue(report, users, units, matter=f"请约谈{PERSON[field]}核实")
    assert "matter" in refused.value.fields
    assert not InvestigationTask.objects.exists()


def test_a_matter_that_names_the_report_is_refused(report, users, units):
    for secret in (report.number, report.regulator_ref, "139****0000"):
        with pytest.raises(ValidationFailed):
            _issue(report, users, units, matter=f"关于 {secret} 的核查")


def test_only_reports_get_tasks_and_only_the_discipline_office_issues_them(report, dispatched, users, units):
    from core.errors import PermissionDenied

    with pytest.raises(NotFound):  # a station's complaint is not the discipline office's
        _issue(dispatched, users, units)
    with pytest.raises(NotFound):  # the report does not exist for the station
        s.investigation_issue(ticket=report.number, actor=users["station_a"], unit=units["GS-A1-1"], matter=MATTER,
                              due_at=timezone.now() + timedelta(days=1))
    with pytest.raises(PermissionDenied):  # the supervision office sees the report; investigating is not its role
        s.investigation_issue(ticket=report.number, actor=users["supervisor"], unit=units["GS-A1-1"],
                              matter=MATTER, due_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationFailed) as late:
        _issue(report, users, units, days=-1)
    assert "due_at" in late.value.fields
    with pytest.raises(ValidationFailed) as office:
        _issue(report, users, units, unit="JJ")
    assert "unit" in office.value.fields


def test_the_station_answers_and_the_office_reads_the_answer_on_the_report(report, users, units, client_as):
    _issue(report, users, units)
    task = InvestigationTask.objects.get()
    s.investigation_answer(task_id=task.pk, actor=users["station_a"], findings="经查，抄表员未收取费用",
                           files=[SimpleUploadedFile("询问笔录.txt", b"notes")])
    task.refresh_from_db()
    assert task.state == "answered" and task.answered_by == users["station_a"]
    assert [f.name for f in task.files.all()] == ["询问笔录.txt"]
    detail = client_as("discipline").get(reverse("api-ticket-detail", args=[report.number])).json()
    [shown] = detail["investigation_tasks"]
    assert shown["findings"] == "经查，抄表员未收取费用" and shown["files"][0]["name"] == "询问笔录.txt"
    assert "询问笔录.txt" in [a["name"] for a in detail["attachments"]]  # downloadable by the office
    assert any(e["action"] == "investigation_answered" for e in detail["timeline"])
    told = Notification.objects.get(user=users["discipline"], kind="investigation_answered")
    assert told.ticket_id == report.pk and PERSON["customer_name"] not in told.message
    with pytest.raises(Conflict):
        s.investigation_answer(task_id=task.pk, actor=users["station_a"], findings="再答复")


def test_a_task_is_answered_only_by_its_unit_and_with_checked_files(report, users, units):
    _issue(report, users, units)
    task = InvestigationTask.objects.get()
    for outsider in ("station_b", "viewer", "admin", "agent", "supervisor"):
        with pytest.raises(NotFound):
            s.investigation_answer(task_id=task.pk, actor=users[outsider], findings="x")
    with pytest.raises(ValidationFailed) as bad:
        s.investigation_answer(task_id=task.pk, actor=users["station_a"], findings="x",
                               files=[SimpleUploadedFile("evil.html", b"<script>")])
    assert "files" in bad.value.fields
    with pytest.raises(ValidationFailed):
        s.investigation_answer(task_id=task.pk, actor=users["station_a"], findings="  ")
    assert InvestigationTask.objects.get().state == "open"


def test_concluding_archives_the_report_closes_its_tasks_and_empties_the_queues(report, users, units, client_for):
    _issue(report, users, units)
    _issue(report, users, units, unit="XG-A1")  # the county above the station
    s.ticket_contact(ticket=report.number, actor=users["discipline"], method="phone")
    assert report.number in client_for("discipline").get(reverse("complaints:my_work")).content.decode()
    conclusion = "经查属实，已给予当事人通报批评"
    done = s.report_conclude(ticket=report.number, actor=users["discipline"], substantiated=True,
                             conclusion=conclusion)
    assert (done.status, done.substantiated, done.reply_text) == (Status.ARCHIVED, True, conclusion)
    assert done.closed_at is not None
    assert not InvestigationTask.objects.filter(closed_at__isnull=True).exists()
    assert done.events.filter(action="investigation_closed").count() == 1
    assert report.number not in client_for("discipline").get(reverse("complaints:my_work")).content.decode()
    assert not Ticket.objects.filter(pk=report.pk, status__in=[Status.REGISTERED, Status.DISPATCHED,
                                                               Status.CONTACTED]).exists()
    resolution = done.clocks.get(name=ClockName.RESOLUTION)
    assert resolution.completed_at is not None and resolution.state != ClockState.CANCELLED
    assert not done.clocks.filter(completed_at__isnull=True).exclude(state=ClockState.CANCELLED).exists()
    closed = Notification.objects.filter(user=users["manager_a"], kind="investigation_closed")
    assert closed.count() == 1 and closed.get().ticket_id is None
    with pytest.raises(Conflict):
        s.investigation_answer(task_id=InvestigationTask.objects.filter(unit=units["GS-A1-1"]).get().pk,
                               actor=users["station_a"], findings="迟到的答复")
    with pytest.raises(Conflict):
        s.report_conclude(ticket=report.number, actor=users["discipline"], substantiated=False, conclusion="再次")


def test_conclude_needs_a_finding_and_a_text_and_only_applies_to_reports(report, dispatched, users):
    with pytest.raises(ValidationFailed) as missing:
        s.report_conclude(ticket=report.number, actor=users["discipline"], substantiated=None, conclusion="x")
    assert "substantiated" in missing.value.fields
    with pytest.raises(ValidationFailed) as empty:
        s.report_conclude(ticket=report.number, actor=users["discipline"], substantiated=False, conclusion=" ")
    assert "conclusion" in empty.value.fields
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        s.report_conclude(ticket=dispatched.number, actor=users["station_a"], substantiated=False, conclusion="x")


def test_pages_issue_answer_and_conclude(report, users, units, client_for):
    office = client_for("discipline")
    page = office.get(reverse("complaints:detail", args=[report.number])).content.decode()
    assert 'data-action="investigate"' in page and 'data-action="conclude"' in page
    due = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = office.post(reverse("complaints:act", args=[report.number, "investigate"]),
                           {"version": report.version, "investigate-unit": units["GS-A1-1"].pk,
                            "investigate-matter": MATTER, "investigate-due_at": due})
    assert response.status_code == 302
    task = InvestigationTask.objects.get()
    station = client_for("station_a")
    listed = station.get(reverse("complaints:investigations")).content.decode()
    assert MATTER in listed and report.number not in listed
    shown = station.get(reverse("complaints:investigation", args=[task.pk]))
    assert shown.status_code == 200 and MATTER in shown.content.decode()
    refused = station.post(reverse("complaints:investigation", args=[task.pk]), {"findings": ""})
    assert refused.status_code == 400
    answered = station.post(reverse("complaints:investigation", args=[task.pk]),
                            {"findings": "已核查", "files": [SimpleUploadedFile("笔录.txt", b"notes")]})
    assert answered.status_code == 302
    assert "已核查" in office.get(reverse("complaints:detail", args=[report.number])).content.decode()
    assert client_for("station_b").get(reverse("complaints:investigation", args=[task.pk])).status_code == 404
    assert client_for("viewer").get(reverse("complaints:investigations")).status_code == 403
    current = Ticket.objects.get(pk=report.pk).version
    concluded = office.post(reverse("complaints:act", args=[report.number, "conclude"]),
                            {"version": current, "conclude-substantiated": "no", "conclude-conclusion": "经查不属实"})
    assert concluded.status_code == 302
    assert Ticket.objects.get(pk=report.pk).status == Status.ARCHIVED


def test_api_issue_list_answer_and_conclude(report, users, units, client_as):
    office = client_as("discipline")
    response = office.post(reverse("api-ticket-investigate", args=[report.number]),
                           {"unit": "GS-A1-1", "matter": MATTER,
                            "due_at": (timezone.now() + timedelta(days=2)).isoformat()}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["investigation_tasks"][0]["matter"] == MATTER
    leak = office.post(reverse("api-ticket-investigate", args=[report.number]),
                       {"unit": "GS-A1-1", "matter": f"约谈{PERSON['customer_name']}",
                        "due_at": (timezone.now() + timedelta(days=2)).isoformat()}, format="json")
    assert leak.status_code == 400 and "matter" in leak.json()["error"]["fields"]
    station = client_as("station_a")
    listed = station.get(reverse("api-investigations")).json()["results"]
    [task] = listed
    assert task["matter"] == MATTER and task["state"] == "open"
    assert report.number not in str(listed)
    assert station.get(reverse("api-investigations"), {"state": "bogus"}).status_code == 400
    assert client_as("station_b").get(reverse("api-investigation", args=[task["id"]])).status_code == 404
    assert client_as("viewer").get(reverse("api-investigations")).status_code == 403
    answer = station.post(reverse("api-investigation-answer", args=[task["id"]]),
                          {"findings": "经查无此事", "files": [SimpleUploadedFile("说明.txt", b"x")]})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "answered" and answer.json()["files"][0]["name"] == "说明.txt"
    again = station.post(reverse("api-investigation-answer", args=[task["id"]]), {"findings": "again"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "task_answered"
    done = office.post(reverse("api-ticket-conclude", args=[report.number]),
                       {"substantiated": False, "conclusion": "经查不属实"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "archived"
    assert done.json()["investigation_tasks"][0]["state"] == "closed"


def test_the_task_list_costs_the_same_however_many_tasks(report, users, units, client_as,
                                                         django_assert_max_num_queries):
    for _ in range(3):
        _issue(report, users, units)
    station = client_as("station_a")
    with django_assert_max_num_queries(12) as few:
        station.get(reverse("api-investigations"))
    for _ in range(5):
        _issue(report, users, units)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(station.get(reverse("api-investigations")).json()["results"]) == 8


def test_the_unit_sees_tasks_awaiting_an_answer_first_nearest_due_first(report, users, units, client_for):
    _issue(report, users, units, matter="甲事项", days=9)
    answered = InvestigationTask.objects.get()
    s.investigation_answer(task_id=answered.pk, actor=users["station_a"], findings="已查")
    _issue(report, users, units, matter="乙事项", days=6)
    _issue(report, users, units, matter="丙事项", days=3)
    page = client_for("station_a").get(reverse("complaints:investigations")).content.decode()
    assert page.index("丙事项") < page.index("乙事项") < page.index("甲事项")


def test_an_overdue_task_is_reported_once_to_the_unit_without_the_report_and_to_the_office(report, users, units,
                                                                                           settings):
    from complaints.services.investigation import investigation_overdue_sweep

    _issue(report, users, units, days=1)
    _issue(report, users, units, matter="另一事项", days=1)
    answered = InvestigationTask.objects.order_by("id").last()
    s.investigation_answer(task_id=answered.pk, actor=users["station_a"], findings="已查")
    _issue(report, users, units, matter="未到期事项", days=5)
    later = timezone.now() + timedelta(days=2)
    assert investigation_overdue_sweep(now=later) == 1  # the unanswered one past its due only
    assert investigation_overdue_sweep(now=later) == 0  # told once
    unit_note = Notification.objects.get(user=users["manager_a"], kind="investigation_overdue")
    assert unit_note.ticket_id is None and report.number not in unit_note.message
    office_note = Notification.objects.get(user=users["discipline"], kind="investigation_overdue")
    assert office_note.ticket_id == report.pk and report.number in office_note.message
    assert "investigation-overdue" in settings.CELERY_BEAT_SCHEDULE
