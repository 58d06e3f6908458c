"""Pages of the risk app: the supervision office's risk list (with bulk follow-up)."""
from datetime import datetime, timedelta
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone as tz
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from complaints.permissions import access_ticket
from complaints.views.common import require_perm, safe_next
from core.choices import labels
from core.config import setting
from core.downloads import xlsx_response
from core.errors import ApplicationError, NotFound, PermissionDenied
from reports.exports import cell_value
from reports.figures import Period, home_unit, scope_and_period

from . import ledger, selectors, services
from .calibration import calibrate
from .interviews import interview_rows
from .models import InterviewList, Level, SensitiveCustomer
from .scoring import BY_CODE, explain, weights

PAGE_SIZE = 50
LIST_PERMS = ("complaints.supervise_ticket", "complaints.handle_ticket", "complaints.review_ticket")


def parse_levels(value: str) -> list[str]:
    return [v for v in (value or "").split(",") if v in (Level.YELLOW, Level.ORANGE, Level.RED)]


@login_required
@require_GET
def risk_list_view(request):
    require_perm(request.user, *LIST_PERMS)
    levels = parse_levels(request.GET.get("level", ""))
    page = Paginator(selectors.risk_list(request.user, levels=levels), PAGE_SIZE).get_page(request.GET.get("page"))
    names = labels(Level)
    for t in page.object_list:
        t.risk_factors = explain(t.risk.factors)
        t.risk_label = names.get(t.risk.level, t.risk.level)
    return render(request, "risk/list.html", {
        "page": page, "level": ",".join(levels),
        "level_choices": [(v, names[v]) for v in (Level.RED, Level.ORANGE, Level.YELLOW)],
        "can_follow_up": request.user.has_perm("complaints.supervise_ticket")})


@login_required
@require_POST
def risk_follow_up_view(request):
    try:
        results = services.risk_follow_up(actor=request.user, numbers=request.POST.getlist("numbers"),
                                          content=request.POST.get("content", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        done = sum(1 for r in results.values() if r == "ok")
        messages.success(request, gettext("已对 %(n)s 张工单发出督办单") % {"n": done})
        if done < len(results):
            messages.warning(request, gettext("%(n)s 张工单未能督办(已办结或无权查看)") % {"n": len(results) - done})
    return redirect(safe_next(request, "/risk/"))


@login_required
@require_GET
def sensitive_list_view(request):
    require_perm(request.user, "complaints.supervise_ticket")

    removed = SensitiveCustomer.objects.filter(removed_at__isnull=False).select_related(
        "marked_by", "removed_by").order_by("-removed_at")[:50]
    return render(request, "risk/sensitive.html", {"customers": selectors.sensitive_customers(request.user),
                                                   "removed": removed})


@login_required
@require_POST
def sensitive_mark_view(request):
    try:
        services.sensitive_mark(actor=request.user, account_no=request.POST.get("account_no", ""),
                                phone=request.POST.get("phone", ""), reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已标记为敏感客户"))
    return redirect("risk:sensitive")


@login_required
@require_POST
def sensitive_remove_view(request, pk: int):
    try:
        services.sensitive_remove(actor=request.user, mark_id=pk, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已撤销敏感客户标记"))
    return redirect("risk:sensitive")


def _ledger_context(request):
    try:
        scope, period = scope_and_period(request.user, request.GET)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return scope, period, ledger.ledger_rows(request.user, period, scope)


@login_required
@require_GET
def ledger_view(request):
    require_perm(request.user, "complaints.supervise_ticket")

    try:
        scope, period, rows = _ledger_context(request)
    except ApplicationError as exc:
        return render(request, "reports/error.html", {"message": exc.message}, status=exc.status)
    return render(request, "risk/ledger.html", {
        "rows": rows, "period": period, "scope": scope, "figures": ledger.per_million(period, scope),
        "previous": period.shift(-1).key, "next": period.shift(1).key, "query": request.GET.urlencode()})


@login_required
@require_GET
def ledger_xlsx_view(request):
    require_perm(request.user, "complaints.supervise_ticket")


    try:
        scope, period, rows = _ledger_context(request)
    except ApplicationError as exc:
        return render(request, "reports/error.html", {"message": exc.message}, status=exc.status)
    return xlsx_response(ledger.ledger_xlsx(rows, period, scope.unit.name),
                         f"12398台账_{scope.unit.code}_{period.key}.xlsx")


@login_required
@require_POST
def ledger_act_view(request, number: str):
    action = request.POST.get("action")
    try:
        access_ticket(request.user, number)  # a ticket outside the scope: 404, whatever the body
        if action == "reply":
            services.ledger_reply(actor=request.user, number=number, text=request.POST.get("text", ""))
            messages.success(request, gettext("已登记答复监管情况"))
        elif action == "close":
            services.ledger_close(actor=request.user, number=number,
                                  confirmation=request.POST.get("confirmation", ""))
            messages.success(request, gettext("已销号"))
        else:
            messages.error(request, gettext("未知操作"))
    except NotFound as exc:
        raise Http404(exc.message) from None
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(safe_next(request, "/risk/ledger/12398/"))


def _interviews(request):
    month = request.GET.get("month")
    period = Period.parse(month) if month else Period.parse(None).shift(-1)  # default: last month
    stored = InterviewList.objects.filter(month=period.key).first()
    rows = stored.rows if stored else interview_rows(period)
    home = home_unit(request.user)
    return period, stored, [r for r in rows if r["path"].startswith(home.path)]


@login_required
@require_GET
def interviews_view(request):
    require_perm(request.user, "complaints.supervise_ticket")
    try:
        period, stored, rows = _interviews(request)
    except ApplicationError as exc:
        return render(request, "reports/error.html", {"message": exc.message}, status=exc.status)

    return render(request, "risk/interviews.html", {
        "period": period, "stored": stored, "rows": rows, "previous": period.shift(-1).key,
        "next": period.shift(1).key, "count_threshold": stored.count_threshold if stored else setting(
            "interview_count_threshold"),
        "rate_threshold": stored.rate_threshold if stored else setting("interview_rate_threshold")})


@login_required
@require_GET
def interviews_xlsx_view(request):
    require_perm(request.user, "complaints.supervise_ticket")


    try:
        period, _stored, rows = _interviews(request)
    except ApplicationError as exc:
        return render(request, "reports/error.html", {"message": exc.message}, status=exc.status)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=f"约谈名单{period.key}")
    ws.append([f"{period.label} 月度约谈名单(有责投诉件数与百万客户投诉率双超)"])
    ws.append(["序号", "单位编码", "单位", "有责投诉件数", "客户数", "百万客户投诉率", "投诉工单"])
    for i, r in enumerate(rows, 1):
        ws.append([i, r["code"], cell_value(r["name"]), r["complaints"], r["customers"], r["per_million"],
                   "、".join(r["tickets"])])
    out = BytesIO()
    wb.save(out)
    return xlsx_response(out.getvalue(), f"约谈名单_{period.key}.xlsx")


@login_required
@require_GET
def calibration_view(request):
    """The calibration report for administrators and the supervision office (weights only shown)."""
    require_perm(request.user, "complaints.supervise_ticket", "core.change_setting")


    today = tz.localdate()
    since_text = request.GET.get("since") or (today - timedelta(days=180)).isoformat()
    until_text = request.GET.get("until") or (today - timedelta(days=90)).isoformat()
    try:
        since, until = (tz.make_aware(datetime.strptime(v, "%Y-%m-%d")) for v in (since_text, until_text))
        if not since < until or until - since > timedelta(days=366):
            raise ValueError
    except ValueError:
        return render(request, "reports/error.html",
                      {"message": gettext("请输入有效的起止日期(YYYY-MM-DD，起日早于止日，最长一年)")}, status=400)
    report = calibrate(since, until)
    current = weights()
    factors = [{"code": code, "label": BY_CODE[code].label, "weight": current[code], **f}
               for code, f in report["factors"].items()]
    return render(request, "risk/calibration.html", {"report": report, "factors": factors, "since": since_text,
                                                     "until": until_text})
