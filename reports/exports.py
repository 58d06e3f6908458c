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
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from complaints.models import Callback, Ticket
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


def export_threshold() -> int:
    return int(getattr(settings, "REPORTS_EXPORT_ASYNC_THRESHOLD", 5000))


def local_minute(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes_no(value) -> str:
    return "" if value is None else (gettext("是") if value else gettext("否"))


# Headers and labels are in the language of whoever asked for the file (a background job runs in the
# language recorded on it, reports.tasks.run_export).
_ = gettext_lazy
TICKET_HEADERS = [_("工单编号"), _("受理时间"), _("渠道"), _("类型"), _("分类"), _("级别"), _("状态"), _("时限状态"),
                  _("受理单位"), _("承办单位"), _("承办人"), _("客户姓名"), _("联系电话"), _("户号"), _("地址"),
                  _("诉求内容"), _("是否重复投诉"), _("是否属实"), _("是否有责"), _("回访结果"), _("派发时间"),
                  _("首次联系时间"), _("答复时间"), _("办结时间")]


def _headers(headers) -> list[str]:
    return [str(h) for h in headers]


def ticket_row(user, t: Ticket) -> list:
    customer = customer_view(user, t)  # masks the phone; hides a report's complainant
    return [t.number, local_minute(t.received_at), t.get_channel_display(), t.get_kind_display(),
            str(t.category) if t.category_id else "", t.get_severity_display(),
            t.get_status_display(), t.get_sla_state_display(),
            t.intake_unit.name if t.intake_unit_id else "", t.unit.name if t.unit_id else "",
            (t.handler.get_full_name() or t.handler.username) if t.handler_id else "",
            customer["name"], customer["phone"], customer["account_no"], customer["address"], t.description,
            _yes_no(t.is_repeat), _yes_no(t.substantiated), _yes_no(t.at_fault),
            labels(Callback.Result).get(t.callback_result, t.callback_result), local_minute(t.dispatched_at),
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
    yield CSV_BOM + writer.writerow(_headers(TICKET_HEADERS))
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
    n = _sheet(wb, gettext("工单清单"), _headers(TICKET_HEADERS), ticket_rows(user, qs), progress)
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
        writer.writerow(_headers(TICKET_HEADERS))
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

BULLETIN_HEADERS = [_("序号"), _("承办单位"), _("工单编号"), _("受理时间"), _("渠道"), _("投诉分类"), _("诉求内容"),
                    _("派发时间"), _("答复时间"), _("归档时间"), _("原因"), _("是否有责"), _("责任单位"), _("责任人"),
                    _("考核意见"), _("处理措施")]


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
    ws = wb.create_sheet(gettext("投诉事件通报"))
    for index, width in enumerate(BULLETIN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append([_styled(ws, cell_value(title), font=Font(bold=True, size=14))])
    bold = Font(bold=True)
    ws.append([_styled(ws, header, font=bold) for header in _headers(BULLETIN_HEADERS)])
    # One style array shared by every wrapped cell: assigning a style per cell costs more than the cell.
    wrap = _styled(ws, None, alignment=Alignment(wrap_text=True, vertical="top"))._style
    for row in bulletin_rows(groups):
        ws.append([None if value == "" else  # an empty cell is not written at all
                   Cell(ws, row=1, column=1, value=value, style_array=wrap) if i in BULLETIN_WRAPPED else value
                   for i, value in enumerate(row)])
    summary = wb.create_sheet(gettext("本月指标"))
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["E"].width = 80
    summary.append([gettext("指标"), gettext("本期"), gettext("上月"), gettext("上年同月"), gettext("口径")])
    for f in figures:
        summary.append([str(f["label"]), _fmt(f, f["value"]), _fmt(f, f["previous"]), _fmt(f, f["last_year"]),
                        str(f["definition"])])
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
