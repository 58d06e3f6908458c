"""Dashboard, monthly bulletin and ticket exports (pages)."""
from datetime import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from core.downloads import XLSX, attachment, xlsx_response
from core.errors import NotFound, PermissionDenied, ValidationFailed

from . import figures
from .access import BULLETIN_ROLES, DASHBOARD_ROLES, require_roles, require_ticket_view
from .bulletin import bulletin_groups
from .charts import dashboard_charts
from .exports import bulletin_xlsx, csv_stream, export_threshold, tickets_xlsx
from .models import Export
from .selectors import export_filters, export_queryset
from .tasks import export_start


def _application_errors(view):
    """Turn the application's errors into the web's answers (404 for not yours, 403, 400)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except PermissionDenied as exc:
            return render(request, "reports/error.html", {"message": exc.message}, status=403)
        except ValidationFailed as exc:
            return render(request, "reports/error.html", {"message": exc.message}, status=400)
    return wrapper


def _filters_query(scope, period) -> str:
    params = {"month": period.key}
    if not scope.is_home:
        params["unit"] = scope.unit.code
    return urlencode(params)


@require_GET
@login_required
@_application_errors
def dashboard(request):
    require_roles(request.user, DASHBOARD_ROLES)
    scope, period = figures.scope_and_period(request.user, request.GET)
    data = figures.dashboard(scope, period)
    charts = dashboard_charts(scope, period, data)
    for chart in charts:
        chart["definition_text"] = figures.DEFINITIONS[chart["definition"]]
    links = {
        "volume": figures.ticket_list_url(scope, period),
        "complaint_requests": figures.ticket_list_url(scope, period, kind="complaint"),
        "regulator_12398": figures.ticket_list_url(scope, period, channel="12398"),
    }
    for figure in data["headline"]["figures"]:
        figure["link"] = links.get(figure["key"], "")
    breaches = [{"ticket": t, "url": figures.ticket_url(t.number)} for t in data["breach_list"]]
    as_of = _as_of(datetime.fromisoformat(data["computed_at"]), figures.shared_as_of("headline", scope, period))
    return render(request, "reports/dashboard.html", {
        "data": data, "scope": scope, "period": period, "charts": charts, "breaches": breaches, "as_of": as_of,
        "units": figures.units_for_picker(request.user), "definitions": figures.DEFINITIONS,
        "query": _filters_query(scope, period),
        "breach_all_url": figures.ticket_list_url(scope, clock="breached"),
    })


def _as_of(*instants) -> datetime:
    """The figures shown are as of the oldest of their cached parts (now if none is known)."""
    known = [t for t in instants if t is not None]
    return min(known) if known else timezone.now()


def _bulletin(request):
    require_roles(request.user, BULLETIN_ROLES)
    scope, period = figures.scope_and_period(request.user, request.GET)
    groups = bulletin_groups(scope, period)
    summary = figures.shared_headline(scope, period)
    return scope, period, summary, groups, sum(len(g["cases"]) for g in groups)


@require_GET
@login_required
@_application_errors
def bulletin(request):
    scope, period, summary, groups, count = _bulletin(request)
    url = figures.ticket_url_maker()
    for group in groups:
        for case in group["cases"]:
            case["url"] = url(case["number"])
    return render(request, "reports/bulletin.html", {
        "scope": scope, "period": period, "figures": summary["figures"], "groups": groups, "count": count,
        "units": figures.units_for_picker(request.user), "definition": figures.DEFINITIONS["bulletin"],
        "query": _filters_query(scope, period),
        "uncategorised": gettext("未分类"),
        "as_of": _as_of(figures.shared_as_of("headline", scope, period)),
    })


@require_GET
@login_required
@_application_errors
def bulletin_download(request):
    scope, period, summary, groups, _count = _bulletin(request)
    title = gettext("%(unit)s%(period)s投诉事件通报") % {"unit": scope.unit.name, "period": period.label}
    return xlsx_response(bulletin_xlsx(title, summary["figures"], groups),
                         gettext("投诉事件通报_%(unit)s_%(month)s.xlsx")
                         % {"unit": scope.unit.code, "month": period.key})


# --- ticket-list exports ------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
@_application_errors
def export_tickets(request, fmt: str):
    """A small export answers the GET with the file; a large one runs as a background job, which
    only a POST (from the confirmation page, with its CSRF token) starts."""
    require_ticket_view(request.user)
    if fmt not in Export.Format.values:
        return HttpResponseBadRequest("unknown format")
    filters = export_filters(request.GET)
    qs = export_queryset(request.user, filters)
    threshold = export_threshold()
    if qs[threshold:].exists():  # more rows than a request should write: a background job
        if request.method != "POST":
            return render(request, "reports/export_confirm.html", {"threshold": threshold})
        job = export_start(user=request.user, format=fmt, filters=filters)
        return redirect("reports:export_detail", pk=job.pk)
    stamp = f"{timezone.localtime():%Y%m%d%H%M}"
    if fmt == Export.Format.CSV:
        response = StreamingHttpResponse(csv_stream(request.user, qs), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = attachment(gettext("工单导出_%(stamp)s.csv") % {"stamp": stamp})
        return response
    content, _rows = tickets_xlsx(request.user, qs)
    return xlsx_response(content, gettext("工单导出_%(stamp)s.xlsx") % {"stamp": stamp})


def _own_export(request, pk: int) -> Export:
    job = Export.objects.filter(pk=pk, user=request.user).first()
    if job is None:  # the same answer for "missing" and "not yours"
        raise Http404(gettext("导出任务不存在"))
    return job


@require_GET
@login_required
def export_list(request):
    jobs = Export.objects.filter(user=request.user)[:50]
    return render(request, "reports/export_list.html", {"jobs": jobs})


@require_GET
@login_required
def export_detail(request, pk: int):
    job = _own_export(request, pk)
    template = "reports/_export_status.html" if request.headers.get("HX-Request") else "reports/export_detail.html"
    return render(request, template, {"job": job})


@require_GET
@login_required
def export_download(request, pk: int):
    job = _own_export(request, pk)
    if job.state != Export.State.DONE or not job.file:
        raise Http404(gettext("文件尚未生成"))
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404(gettext("文件已清理，请重新导出")) from None
    return FileResponse(handle, as_attachment=True, filename=job.filename,
                        content_type=XLSX if job.format == Export.Format.XLSX else "text/csv; charset=utf-8")
