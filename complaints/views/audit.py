"""敏感信息访问记录: who revealed a full phone number or searched tickets by a customer's number, and
when — for the supervision office and the discipline office; filterable, exported to Excel."""
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from complaints.models import SensitiveAccess
from complaints.policy import holds
from complaints.selectors import access_log, access_log_filter_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 100
HEADERS = ["时间", "用户", "姓名", "操作", "工单编号", "字段", "查询摘要"]


def access_log_row(row: SensitiveAccess) -> list:
    return [timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"), row.user.username,
            row.user.get_full_name(), row.get_action_display(),
            row.ticket.number if row.ticket_id else "", row.field, row.query_digest]


@login_required
@require_GET
def access_log_view(request):
    if not holds(request.user, "complaints.view_access_log"):  # the offices' role, not any administrator
        raise DjangoPermissionDenied(gettext("您的角色无权访问此页面"))
    qs = access_log(request.user, request.GET)
    if request.GET.get("format") == "xlsx":
        book = Workbook(write_only=True)  # constant memory however long the log
        sheet = book.create_sheet(gettext("敏感信息访问记录"))
        sheet.append(HEADERS)
        for row in qs.iterator(chunk_size=2000):
            sheet.append(access_log_row(row))
        buffer = BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.localtime():%Y%m%d%H%M}.xlsx"'
        return response
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "complaints/access_log.html", {
        "page": page, "form": access_log_filter_form(request.GET), "query": params.urlencode()})
