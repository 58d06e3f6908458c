"""Ticket-list exports: CSV and Excel with the list's filters, masking, and the background job."""
import csv
import io
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from complaints.models import Channel, Status
from complaints.services import ticket_dispatch
from reports.exports import TICKET_HEADERS
from reports.models import Export

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    # An English request leaves English active in this thread; later tests expect Chinese.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def tickets(make_ticket, users, units):
    a = ticket_dispatch(ticket=make_ticket(customer_phone="13812345678"), actor=users["lead"], unit=units["GS-A1-1"])
    b = ticket_dispatch(ticket=make_ticket(customer_phone="13987654321", kind="report", customer_name="李四"),
                        actor=users["discipline"], unit=units["JJ"])  # a report (举报): the discipline office's
    c = ticket_dispatch(ticket=make_ticket(customer_phone="13700000000", channel="12398"), actor=users["lead"],
                        unit=units["GS-B1-1"])
    d = make_ticket(kind="enquiry", category=None, customer_phone="13600000000")
    return {"a": a, "b": b, "c": c, "d": d}


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_export_masks_phones_and_follows_filters(tickets, client, users):
    client.force_login(users["lead"])
    response = client.get("/reports/exports/tickets.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:3] == ["工单编号", "受理时间", "渠道"]
    # The report (b) is not the intake team's: it belongs to the discipline office.
    assert {r[0] for r in rows[1:]} == {t.number for key, t in tickets.items() if key != "b"}
    phones = {r[0]: r[12] for r in rows[1:]}
    assert phones[tickets["a"].number] == "138****5678"
    assert "13812345678" not in str(rows)
    only_12398 = csv_rows(client.get("/reports/exports/tickets.csv?channel=12398"))
    assert [r[0] for r in only_12398[1:]] == [tickets["c"].number]
    for query in ("status=registered,dispatched", "status=registered&status=dispatched", "status=open"):
        assert len(csv_rows(client.get(f"/reports/exports/tickets.csv?{query}"))) == 4
    assert len(csv_rows(client.get("/reports/exports/tickets.csv?status=registered"))) == 2


def test_ticket_list_offers_the_export_of_what_it_shows(tickets, client, users):
    import re
    from html import unescape

    client.force_login(users["lead"])
    html = client.get("/tickets/?channel=12398").content.decode()
    links = {fmt: unescape(url) for url, fmt in re.findall(r'href="(/reports/exports/tickets\.(\w+)\?[^"]*)"', html)}
    assert set(links) == {"xlsx", "csv"}
    rows = csv_rows(client.get(links["csv"]))
    assert [r[0] for r in rows[1:]] == [tickets["c"].number]


def test_excel_export_scoped_and_never_holds_a_report_for_the_unit(tickets, client, users):
    client.force_login(users["manager_a"])  # GS-A1-1 only
    response = client.get("/reports/exports/tickets.xlsx")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content))["工单清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][11:13] == ("客户姓名", "联系电话")
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == {tickets["a"].number}  # station B's, the KF intake and the report not here
    assert by_number[tickets["a"].number][12] == "138****5678"
    client.force_login(users["discipline"])
    rows = list(load_workbook(BytesIO(client.get("/reports/exports/tickets.xlsx").content))["工单清单"]
                .iter_rows(values_only=True))
    assert [(r[0], r[11], r[12]) for r in rows[1:]] == [(tickets["b"].number, "李四", "139****4321")]


def test_large_export_runs_as_a_job_nothing_lost_when_broker_down(tickets, client, users, settings, monkeypatch):
    from reports import tasks

    settings.REPORTS_EXPORT_ASYNC_THRESHOLD = 1
    sent = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: sent.append(args) or False)  # broker down
    client.force_login(users["lead"])
    confirm = client.get("/reports/exports/tickets.xlsx?kind=complaint")  # a GET starts nothing
    assert confirm.status_code == 200 and "开始后台导出" in confirm.content.decode()
    assert not Export.objects.exists()
    response = client.post("/reports/exports/tickets.xlsx?kind=complaint")
    job = Export.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/exports/{job.pk}/"
    assert sent == [(job.pk,)] and job.state == "pending" and job.filters == {"kind": ["complaint"]}
    page = client.get(response.url)
    assert "hx-get" in page.content.decode() and "排队中" in page.content.decode()

    assert tasks.export_pickup_task() == 0  # too fresh: its own message may still come
    Export.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(minutes=5))
    assert tasks.export_pickup_task() == 1
    job.refresh_from_db()
    assert job.state == "done" and job.row_count == 2 and job.progress == 2
    assert tasks.run_export(job.pk) is False  # a duplicate delivery changes nothing

    status = client.get(f"/reports/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in status and "下载文件" in status
    download = client.get(f"/reports/exports/{job.pk}/download/")
    assert download.status_code == 200
    ws = load_workbook(BytesIO(b"".join(download.streaming_content)))["工单清单"]
    numbers = {r[0] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert numbers == {tickets[k].number for k in ("a", "c")}  # kind=complaint: the report is left out

    client.force_login(users["viewer"])  # only the owner downloads
    assert client.get(f"/reports/exports/{job.pk}/download/").status_code == 404
    assert client.get(f"/reports/exports/{job.pk}/").status_code == 404


def test_export_task_end_to_end_csv(tickets, users):
    from reports.tasks import export_tickets_task

    job = Export.objects.create(user=users["manager_a"], format="csv", filters={})
    export_tickets_task(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert job.state == "done" and job.file.name.startswith("exports/")
    with job.file.open("rb") as fh:
        text = fh.read().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r[0] for r in rows[1:]} == {tickets["a"].number}  # the report on GS-A1-1 is not the unit's to see
    assert "13987654321" not in text and "李四" not in text


HAN = re.compile(r"[\u4e00-\u9fff]")


def _in_english(text) -> str:
    with translation.override("en"):
        return gettext(str(text))


def test_excel_export_in_the_users_language(tickets, client, users):
    """Headers, sheet name and labels follow the language the user reads the site in; customer data does not."""
    client.force_login(users["lead"])
    response = client.get("/reports/exports/tickets.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content))[_in_english("工单清单")]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [_in_english(h) for h in TICKET_HEADERS]
    assert not any(HAN.search(h) for h in rows[0])
    by_number = {r[0]: r for r in rows[1:]}
    a = by_number[tickets["a"].number]
    assert a[2] == _in_english(Channel.PHONE_95598.label) and a[6] == _in_english(Status.DISPATCHED.label)
    assert a[11] == "张三"  # the customer's name is data
    assert rows[0][0] != "工单编号" and a[2] != "95598电话"  # and Chinese by default (test above)


def test_background_export_keeps_the_language_it_was_asked_in(tickets, users):
    from reports.tasks import export_start, export_tickets_task

    with translation.override("en"):
        job = export_start(user=users["manager_a"], format="csv", filters={})
    export_tickets_task(job.pk)  # the worker, in the default language
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        header = next(csv.reader(io.StringIO(fh.read().decode("utf-8").lstrip("\ufeff"))))
    assert header == [_in_english(h) for h in TICKET_HEADERS]
