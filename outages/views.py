"""Pages: the responsible unit's outage board (phone-friendly), entry and restoration, the frequent
outage list, and at intake the events covering the caller with one click to log the call."""
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import visible_unit_ids
from complaints.services.routing import route_ticket
from complaints.views.common import require_perm
from complaints.views.intake import intake_answered
from core.config import setting
from core.errors import ApplicationError, ValidationFailed

from . import selectors, services
from .forms import OutageForm
from .models import OutageEvent
from .permissions import may_manage_outages


def _require_manager(user):
    if not may_manage_outages(user):
        raise DjangoPermissionDenied(gettext("您的角色无权维护停电信息"))


def _event_or_404(user, pk: str) -> OutageEvent:
    ids = visible_unit_ids(user)
    qs = selectors.outage_list() if ids is None else selectors.outage_list().filter(unit_id__in=ids)
    event = qs.filter(pk=int(pk)).first() if pk.isdigit() and len(pk) < 10 else None
    if event is None:
        raise Http404(gettext("停电事件不存在"))
    return event


@login_required
@require_GET
def board(request):
    """The unit's events: current and upcoming first, then those restored in the last 7 days."""
    ids = visible_unit_ids(request.user)
    now = timezone.now()
    qs = selectors.outage_list().annotate(call_count=Count("calls"))
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    open_events = list(qs.filter(restored_at__isnull=True).order_by("start_at", "id")[:100])
    restored = list(qs.filter(restored_at__gte=now - timedelta(days=7)).order_by("-restored_at")[:50])
    return render(request, "outages/board.html", {
        "open_events": open_events, "restored": restored, "now": now,
        "may_manage": may_manage_outages(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: str | None = None):
    _require_manager(request.user)
    event = _event_or_404(request.user, pk) if pk else None
    initial = {}
    if event is not None:
        initial = {f: getattr(event, f) for f in ("kind", "cause", "unit", "keywords", "start_at",
                                                     "expected_restore_at", "notice_sent_at")}
        initial["service_areas"] = list(event.service_areas.all())
    form = OutageForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if event is None:
                    event = services.outage_create(actor=request.user, data=form.outage_data())
                else:
                    services.outage_update(actor=request.user, event=event, data=form.outage_data())
            except ValidationFailed as exc:
                form.apply_errors(exc.fields)
                messages.error(request, exc.message)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(request, gettext("停电信息已保存"))
                if event.short_notice:
                    messages.warning(request, gettext("计划检修停电未提前%(days)s天录入公告，存在投诉风险")
                                     % {"days": setting("outage_notice_days")})
                return redirect("outages:board")
        else:
            messages.error(request, gettext("请检查标红的项目"))
    return render(request, "outages/edit.html", {"form": form, "event": event}, status=status)


@login_required
@require_POST
def restore(request, pk: str):
    _require_manager(request.user)
    event = _event_or_404(request.user, pk)
    try:
        event = services.outage_restore(actor=request.user, event=event)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已标记恢复供电，已办结关联咨询并短信告知来电客户"))
    return redirect("outages:board")


@login_required
@require_GET
def frequent(request):
    """频繁停电: the areas of the user's subtree with ≥ N outages in M days."""
    rows = selectors.frequent_outage_areas(user=request.user)
    return render(request, "outages/frequent.html", {
        "rows": rows, "count": setting("frequent_outage_count"),
        "days": setting("frequent_outage_days")})


# --- at intake -----------------------------------------------------------------------------------

@login_required
@require_GET
def intake_match(request):
    """htmx: the active and upcoming events covering the caller on the intake form (by account,
    address or routed service area), each with a button that logs the call as an outage enquiry."""
    require_perm(request.user, "complaints.intake_ticket")
    address = request.GET.get("address", "")[:200]
    route = route_ticket(account_no=request.GET.get("account_no", "")[:32], address=address)
    events = selectors.active_events_for(service_area=route.area, address=address, include_upcoming=True)
    return render(request, "outages/_intake_match.html", {"events": events, "area": route.area,
                                                          "searched": bool(address.strip() or route.area)})


@login_required
@require_POST
def intake_call(request):
    """The intake form submitted with `outage_event`: registered as an outage enquiry linked to the
    event and closed with the event's answer (no dispatch)."""
    require_perm(request.user, "complaints.intake_ticket")
    event_id = request.POST.get("outage_event", "")
    event = OutageEvent.objects.filter(pk=int(event_id)).first() if event_id.isdigit() and len(event_id) < 10 \
        else None
    if event is None:
        messages.error(request, gettext("停电事件不存在"))
        return redirect("complaints:intake")
    return intake_answered(
        request, done=gettext("停电咨询已登记") + gettext("（已直接办结）"),
        description=gettext("咨询停电：%(text)s") % {"text": services.outage_text("outage_enquiry_reply", event)},
        register=lambda **kw: services.outage_call_log(actor=request.user, event=event, **kw))
