"""Ticket-list exports (CSV and Excel) and the bulletin workbook.

Phones are always masked (`mask_phone`); a report (举报)'s complainant is hidden unless the user
may see it (`customer_view`). Large exports run in reports.tasks.export_tickets_task."""
import csv
import os
import uuid
from collections.abc import Iterable, Iterator
from io import BytesIO

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from complaints.models import Callback, Channel, Kind, Severity, SlaState, Status, Ticket
from complaints.policy import customer_view
from core.choices import labels

CSV_BOM = "\ufeff"
CHUNK = 2000


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value):
    """What every CSV or Excel cell receives: text that a spreadsheet would read as a formula
    (a leading = + - @, tab or carriage return) is prefixed with an apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _document_labels(choices) -> dict[str, str]:
    """Labels in the language of the export files, whose headers are Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        return labels(choices)


_CHANNELS, _KINDS, _STATUSES = _document_labels(Channel), _document_labels(Kind), _document_labels(Status)
_SEVERITIES, _SLA = _document_labels(Severity), _document_labels(SlaState)
_CALLBACK = _document_labels(Callback.Result)


def export_threshold() -> int:
    return int(getattr(settings, "REPORTS_EXPORT_ASYNC_THRESHOLD", 5000))


def local_minute(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes_no(value) -> str:
    return "" if value is None else ("是" if value else "否")


TICKET_HEADERS = ["工单编号", "受理时间", "渠道", "类型", "分类", "级别", "状态", "时限状态", "受理单位", "承办单位",
                  "承办人", "客户姓名", "联系电话", "户号", "地址", "诉求内容", "是否重复投诉", "是否属实", "是否有责",
                  "回访结果", "派发时间", "首次联系时间", "答复时间", "办结时间"]


def ticket_row(user, t: Ticket) -> list:
    customer = customer_view(user, t)  # masks the phone; hides a report's complainant
    return [t.number, local_minute(t.received_at), _CHANNELS.get(t.channel, t.channel), _KINDS.get(t.kind, t.kind),
            str(t.category) if t.category_id else "", _SEVERITIES.get(t.severity, t.severity),
            _STATUSES.get(t.status, t.status), _SLA.get(t.sla_state, t.sla_state),
            t.intake_unit.name if t.intake_unit_id else "", t.unit.name if t.unit_id else "",
            (t.handler.get_full_name() or t.handler.username) if t.handler_id else "",
            customer["name"], customer["phone"], customer["account_no"], customer["address"], t.description,
            _yes_no(t.is_repeat), _yes_no(t.substantiated), _yes_no(t.at_fault),
            _CALLBACK.get(t.callback_result, t.callback_result), local_minute(t.dispatched_at),
            local_minute(t.first_contact_at), local_minute(t.replied_at), local_minute(t.closed_at)]


def ticket_rows(user, qs: QuerySet) -> Iterator[list]:
    for t in qs.iterator(chunk_size=CHUNK):
        yield [cell_value(value) for value in ticket_row(user, t)]


class _Echo:
    def write(self, value):
        return value


def csv_stream(user, qs: QuerySet) -> Iterator[str]:
    """CSV lines for StreamingHttpResponse, starting with a UTF-8 BOM so Excel reads Chinese."""
    writer = csv.writer(_Echo())
    yield CSV_BOM + writer.writerow(TICKET_HEADERS)
    for row in ticket_rows(user, qs):
        yield writer.writerow(row)


def _sheet(wb: Workbook, title: str, headers: list[str], rows: Iterable[list], progress=None):
    ws = wb.create_sheet(title)
    ws.append(headers)
    n = 0
    for row in rows:
        ws.append(row)
        n += 1
        if progress and n % 1000 == 0:
            progress(n)
    return n


def tickets_xlsx(user, qs: QuerySet, target=None, progress=None) -> tuple[bytes | None, int]:
    """The ticket list as a workbook (write-only: constant memory). Writes to `target` (a path)
    or returns the bytes."""
    wb = Workbook(write_only=True)
    n = _sheet(wb, "工单清单", TICKET_HEADERS, ticket_rows(user, qs), progress)
    if target is not None:
        wb.save(target)
        return None, n
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), n


def tickets_csv_file(user, qs: QuerySet, target, progress=None) -> int:
    n = 0
    with open(target, "w", encoding="utf-8", newline="") as fh:
        fh.write(CSV_BOM)
        writer = csv.writer(fh)
        writer.writerow(TICKET_HEADERS)
        for row in ticket_rows(user, qs):
            writer.writerow(row)
            n += 1
            if progress and n % 1000 == 0:
                progress(n)
    return n


def export_path(extension: str) -> tuple[str, str]:
    """(storage name, absolute path) for a new export file under MEDIA_ROOT/exports/."""
    name = f"exports/{timezone.localdate():%Y%m}/{uuid.uuid4().hex}.{extension}"
    path = os.path.join(settings.MEDIA_ROOT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return name, path


# --- the bulletin workbook ------------------------------------------------------------------

BULLETIN_HEADERS = ["序号", "承办单位", "工单编号", "受理时间", "渠道", "投诉分类", "诉求内容", "派发时间", "答复时间",
                    "归档时间", "原因", "是否有责", "责任单位", "责任人", "考核意见", "处理措施"]


def bulletin_rows(groups) -> Iterator[list]:
    """One row per case of reports.bulletin.bulletin_groups."""
    n = 0
    for group in groups:
        for c in group["cases"]:
            n += 1
            acc = c["accountabilities"]
            row = [n, group["name"], c["number"], c["received_at_text"], c["channel_label"], c["category"],
                   c["description"], c["dispatched_at_text"], c["replied_at_text"], c["closed_at_text"], c["cause"],
                   _yes_no(c["at_fault"]),
                   "；".join(a["unit__name"] for a in acc), "；".join(a["person"] for a in acc if a["person"]),
                   "；".join(a["decision_label"] + (f"：{a['note']}" if a["note"] else "") for a in acc),
                   c["measures"]]
            yield [cell_value(value) for value in row]


BULLETIN_WIDTHS = (6, 18, 18, 17, 12, 18, 40, 17, 17, 17, 30, 8, 18, 10, 20, 30)
BULLETIN_WRAPPED = frozenset((6, 10, 14, 15))  # 诉求内容, 原因, 考核意见, 处理措施 (0-based columns)


def bulletin_xlsx(title: str, figures: list[dict], groups) -> bytes:
    """The bulletin as a workbook. Write-only mode streams the rows, and the long-text columns share
    one wrap style: per-cell styling of a normal workbook was most of the time at thousands of rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("投诉事件通报")
    for index, width in enumerate(BULLETIN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append([_styled(ws, cell_value(title), font=Font(bold=True, size=14))])
    bold = Font(bold=True)
    ws.append([_styled(ws, header, font=bold) for header in BULLETIN_HEADERS])
    # One style array shared by every wrapped cell: assigning a style per cell costs more than the cell.
    wrap = _styled(ws, None, alignment=Alignment(wrap_text=True, vertical="top"))._style
    for row in bulletin_rows(groups):
        ws.append([None if value == "" else  # an empty cell is not written at all
                   Cell(ws, row=1, column=1, value=value, style_array=wrap) if i in BULLETIN_WRAPPED else value
                   for i, value in enumerate(row)])
    summary = wb.create_sheet("本月指标")
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["E"].width = 80
    summary.append(["指标", "本期", "上月", "上年同月", "口径"])
    for f in figures:
        summary.append([f["label"], _fmt(f, f["value"]), _fmt(f, f["previous"]), _fmt(f, f["last_year"]),
                        f["definition"]])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _styled(ws, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for name, spec in style.items():
        setattr(cell, name, spec)
    return cell


def _fmt(figure: dict, value):
    if value is None:
        return "—"
    if figure["unit"] == "%":
        return f"{value * 100:.1f}%"
    return value
