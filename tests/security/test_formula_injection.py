"""User text that a spreadsheet would run as a formula reaches every export and the bulletin as text."""
import csv
import io
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from complaints.services import (
    ticket_callback,
    ticket_contact,
    ticket_dispatch,
    ticket_reply,
    ticket_responsibility,
    ticket_review,
)
from reports.models import Export
from reports.tasks import run_export

pytestmark = pytest.mark.django_db

PAYLOADS = ["=1+2", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"]


@pytest.fixture
def hostile(make_ticket, users, units):
    def make(payload):
        t = make_ticket(description=payload, customer_name=payload, address=payload)
        t = ticket_dispatch(ticket=t, actor=users["lead"], unit=units["GS-A1-1"])
        t = ticket_contact(ticket=t, actor=users["station_a"], method="phone", note="已联系")
        t = ticket_reply(ticket=t, actor=users["station_a"], substantiated=True, cause=payload, measures=payload,
                         reply_text="已答复")
        t = ticket_review(ticket=t, actor=users["supervisor"], approved=True)
        t = ticket_callback(ticket=t, actor=users["supervisor"], result="satisfied", note="回访")
        return ticket_responsibility(ticket=t, actor=users["supervisor"], at_fault=True, person=payload,
                                     decision="warning", note=payload)
    return make


def _sync(client, fmt):
    response = client.get(f"/reports/exports/tickets.{fmt}")
    return b"".join(response.streaming_content) if response.streaming else response.content


def _background(client, fmt, user):
    job = Export.objects.create(user=user, format=fmt, filters={})
    run_export(job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        return fh.read()


def _hostile(value, payload) -> bool:
    """Is this cell the payload (which intake may have stripped of its leading tab or CR)?"""
    return isinstance(value, str) and value.lstrip("'").strip() == payload.strip()


def _sheet_cells(content, sheet, payload):
    """Every cell that holds the hostile text: (value, data_type)."""
    ws = load_workbook(BytesIO(content))[sheet]
    return [(c.value, c.data_type) for row in ws.iter_rows() for c in row if _hostile(c.value, payload)]


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
@pytest.mark.parametrize("export", ["sync", "background"])
def test_ticket_exports_write_formulas_as_text(hostile, client, users, payload, export):
    hostile(payload)
    client.force_login(users["lead"])
    get = (lambda fmt: _sync(client, fmt)) if export == "sync" else (lambda fmt: _background(client, fmt,
                                                                                             users["lead"]))
    cells = _sheet_cells(get("xlsx"), "工单清单", payload)
    assert len(cells) == 3  # name, address, description
    assert all(value.startswith("'") and kind == "s" for value, kind in cells)

    rows = list(csv.reader(io.StringIO(get("csv").decode("utf-8").lstrip("\ufeff"))))
    texts = [value for row in rows[1:] for value in row if _hostile(value, payload)]
    assert len(texts) == 3 and all(value.startswith("'") for value in texts)


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_bulletin_writes_formulas_as_text(hostile, client, users, payload):
    hostile(payload)
    client.force_login(users["supervisor"])
    response = client.get(f"/reports/bulletin.xlsx?month={timezone.localdate():%Y-%m}")
    assert response.status_code == 200
    cells = _sheet_cells(response.content, "投诉事件通报", payload)
    assert len(cells) == 4  # description, cause, person, measures (the note is joined after the decision)
    assert all(value.startswith("'") and kind == "s" for value, kind in cells)
    ws = load_workbook(BytesIO(response.content))["投诉事件通报"]
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
