"""The role pages: the lead's dispatch queue, a unit's work orders, the supervision desk, and
the ticket list / search everyone uses. The two work queues also answer their rows alone (the
live refresh polls them) and take bulk actions (complaints.services.bulk)."""
import hashlib
from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import visible_unit_ids
from complaints.actions import ACTIONS
from complaints.filters import CLOCK_FILTERS, is_text_search
from complaints.forms import AssignForm, DispatchForm, SuperviseForm
from complaints.models import Severity, Status, SupervisionOrder
from complaints.selectors import (
    WORK_STATUSES,
    dispatch_queue,
    followups_due,
    my_work,
    open_orders,
    supervision_lists,
    ticket_filter_form,
    ticket_list,
    units_for_dispatch,
)
from complaints.services.bulk import MAX_BULK, tickets_bulk
from complaints.services.customer_search import SearchThrottled
from core.config import setting
from core.errors import ApplicationError
from core.pagination import Page, count_capped, keyset_page
from sla.states import RUNNING, state_as_of

from .common import require_perm, safe_next

PAGE_SIZE = 50
WORK_LIMIT = 200
ORDERS_PAGE_SIZE = 50
FOLLOWUP_LIMIT = 100
MAJOR_PINNED = 50  # major tickets shown above the dispatch queue's first page
POLL_SECONDS = 5
BULK_SESSION_KEY = "queue_bulk_results"
# My-work: the unit's own move (contact, reply, an unanswered supervision order) before what waits on others.
OWN_MOVE_STATUSES = (Status.DISPATCHED, Status.CONTACTED)


def _page_urls(request, page):
    def url(cursor):
        if not cursor:
            return ""
        params = request.GET.copy()
        params["cursor"] = cursor
        return f"?{params.urlencode()}"

    return url(page.prev_cursor), url(page.next_cursor)


def _total(total: int | None, capped: bool) -> str:
    """「共 N 条」 over a list (from core.pagination's capped count)."""
    if total is None:
        return ""
    if capped:
        return gettext("共 %(n)s+ 条") % {"n": f"{total:,}"}
    return gettext("共 %(n)s 条") % {"n": f"{total:,}"}


def _due_state(due, warn, now) -> str:
    return "" if due is None else state_as_of(RUNNING, due_at=due, warn_at=warn, now=now)


class _UnitOptions:
    """The unit <option>s of every row's dispatch select, built once per page: rendered through the
    template for each of 50 rows, 120 units' options were most of the queue's second at 1M tickets.
    A row's suggested unit is marked 「（建议）」 in its own copy."""

    def __init__(self, units):
        self.units = list(units)
        self.plain = [format_html('<option value="{}">{}</option>', u.pk, u.name) for u in self.units]
        self.joined = mark_safe("".join(self.plain))  # each part escaped by format_html
        self.suggested = gettext("（建议）")

    def for_row(self, suggested) -> str:
        if suggested is None:
            return self.joined
        return mark_safe("".join(  # each part escaped by format_html
            format_html('<option value="{}">{}{}</option>', u.pk, u.name, self.suggested) if u.pk == suggested.pk
            else option for u, option in zip(self.units, self.plain, strict=True)))


def _dispatch_rows(request) -> dict:
    """The dispatch queue's rows: major tickets (重大) pinned above the first page, then the rest
    oldest first (keyset pages). The service area's unit is offered as a suggestion, never chosen."""
    user = request.user
    queue = dispatch_queue(user)
    cursor = request.GET.get("cursor")
    pinned = [] if cursor else list(queue.filter(severity=Severity.MAJOR)[:MAJOR_PINNED])
    page = keyset_page(queue.exclude(severity=Severity.MAJOR), cursor, PAGE_SIZE, newest_first=False)
    options = _UnitOptions(units_for_dispatch(user))
    now = timezone.now()
    pinned_ids = {t.pk for t in pinned}
    rows = []
    for ticket in pinned + page.items:
        suggested = ticket.service_area.unit if ticket.service_area_id else None
        if ticket.status == Status.RETURNED and ticket.unit_id and suggested and suggested.pk == ticket.unit_id:
            suggested = None  # the station just returned it: do not suggest it again
        rows.append({"ticket": ticket, "suggested": suggested, "unit_options": options.for_row(suggested),
                     "pinned": ticket.pk in pinned_ids,
                     "clock_state": _due_state(ticket.dispatch_due, ticket.dispatch_warn, now)})
    prev_url, next_url = _page_urls(request, page)
    info = _total(*count_capped(queue))
    return {"rows": rows, "page_prev_url": prev_url, "page_next_url": next_url, "page_info": info,
            "rows_sig": _signature([r["ticket"] for r in rows], info)}


def _signature(tickets, total: str) -> str:
    """What the live refresh compares: the rows (number and version, in order) and the total."""
    raw = "|".join(f"{t.number}:{t.version}" for t in tickets) + "#" + total
    return hashlib.blake2s(raw.encode(), digest_size=8).hexdigest()


def _rows_response(request, template: str, context: dict):
    """The rows for the live refresh; 204 (htmx leaves the page alone) when they are what the page shows."""
    if request.GET.get("sig") == context["rows_sig"]:
        return HttpResponse(status=204)
    return render(request, template, context)


@login_required
@require_GET
def dispatch_queue_view(request):
    require_perm(request.user, "complaints.dispatch_ticket")
    return render(request, "complaints/dispatch_queue.html", {
        **_dispatch_rows(request), **_bulk_context(request, "dispatch"),
        **_live(request, "complaints:dispatch_rows")})


@login_required
@require_GET
def dispatch_rows_view(request):
    """The rows alone, for the live refresh (queues.js merges them, keeping what the user touched)."""
    require_perm(request.user, "complaints.dispatch_ticket")
    return _rows_response(request, "complaints/_queue_dispatch_rows.html", _dispatch_rows(request))


def _next_step_first(qs, user):
    """Order my-work by whose move it is: the unit's own (to contact, to reply, an unanswered
    supervision order) first, then what waits on the supervision office (review, callback); each
    part by the nearest deadline."""
    unanswered = SupervisionOrder.objects.filter(ticket=OuterRef("pk"), closed_at__isnull=True,
                                                 replied_at__isnull=True)
    return qs.annotate(waiting_on_others=Case(
        When(Q(status__in=OWN_MOVE_STATUSES) | Q(Exists(unanswered)), then=Value(0)),
        default=Value(1), output_field=IntegerField())).order_by(
        "waiting_on_others", F("next_due_at").asc(nulls_last=True), "received_at", "id")


def _work_rows(request) -> dict:
    filters = {k: request.GET.get(k, "") for k in ("status", "clock", "mine")}
    qs = _next_step_first(my_work(request.user, filters), request.user)
    tickets = list(qs[: WORK_LIMIT + 1])
    # The count only when the list is cut: otherwise it is the rows on screen.
    total = count_capped(qs) if len(tickets) > WORK_LIMIT else (len(tickets), False)
    info = _total(*total)
    return {"tickets": tickets[:WORK_LIMIT], "truncated": len(tickets) > WORK_LIMIT, "filters": filters,
            "total": info, "rows_sig": _signature(tickets[:WORK_LIMIT], info)}


@login_required
@require_GET
def my_work_view(request):
    require_perm(request.user, "complaints.handle_ticket")
    return render(request, "complaints/my_work.html", {
        **_work_rows(request), **_bulk_context(request, "my_work"),
        **_live(request, "complaints:my_work_rows"),
        "status_choices": [(s, Status(s).label) for s in WORK_STATUSES], "clock_choices": CLOCK_FILTERS})


@login_required
@require_GET
def my_work_rows_view(request):
    require_perm(request.user, "complaints.handle_ticket")
    return _rows_response(request, "complaints/_queue_work_rows.html", _work_rows(request))


def _live(request, name: str) -> dict:
    """What the page polls and how often; no poll_url when the administrator turned the refresh off."""
    seconds = int(setting("queue_refresh_seconds"))
    if seconds <= 0:
        return {"poll_url": ""}
    query = request.GET.urlencode()
    return {"poll_url": reverse(name) + (f"?{query}" if query else ""), "poll_seconds": seconds}


# --- bulk actions ---------------------------------------------------------------------------

def _handlers(user):
    """Whom a unit may assign: active staff of the user's subtree (the service checks each ticket's unit)."""
    ids = visible_unit_ids(user)
    qs = get_user_model().objects.filter(is_active=True, unit__isnull=False)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    return qs.select_related("unit").order_by("unit__path", "username")


def _bulk_form(action: str, user, data=None):
    prefix = f"bulk-{action}"
    if action == "dispatch":
        form = DispatchForm(data, prefix=prefix, units=units_for_dispatch(user))
    elif action == "assign":
        form = AssignForm(data, prefix=prefix, handlers=_handlers(user))
        form.fields["handler"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} · {u.unit.name}"
    else:
        form = SuperviseForm(data, prefix=prefix)
    form.use_required_attribute = False  # only the chosen action's fields count
    return form


# The bulk actions each queue offers, for the roles that may take them.
QUEUE_BULK = {"dispatch": ("dispatch", "supervise"), "my_work": ("assign", "supervise")}


def _bulk_context(request, queue: str) -> dict:
    user = request.user
    actions = [a for a in QUEUE_BULK[queue] if user.has_perm(ACTIONS[a].permission)]
    return {"bulk_queue": queue, "bulk_max": MAX_BULK,
            "bulk_actions": [{"name": a, "label": ACTIONS[a].label, "form": _bulk_form(a, user)} for a in actions],
            "bulk": request.session.pop(BULK_SESSION_KEY, None)}


@login_required
@require_POST
def bulk_view(request):
    """One action on the checked tickets, each through its service; answers the per-ticket results
    (htmx: the results panel, and the queue refreshes its rows; otherwise back to the same page)."""
    user = request.user
    queue = request.POST.get("queue") if request.POST.get("queue") in QUEUE_BULK else "dispatch"
    back = safe_next(request, reverse("complaints:dispatch_queue" if queue == "dispatch" else "complaints:my_work"))
    action = request.POST.get("action", "")
    bulk = {"label": str(ACTIONS[action].label) if action in ACTIONS else "", "results": [], "error": ""}
    numbers = request.POST.getlist("pick")
    if action not in QUEUE_BULK[queue] or not user.has_perm(ACTIONS[action].permission):
        bulk["error"] = gettext("请选择批量操作")
    else:
        form = _bulk_form(action, user, data=request.POST)
        versions = {}
        for number in numbers[: MAX_BULK + 1]:
            raw = request.POST.get(f"version-{number}", "")
            if raw.isdigit() and len(raw) < 10:
                versions[number] = int(raw)
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            bulk["error"] = gettext("未执行：%(why)s") % {"why": "；".join(errors)}
        else:
            try:
                results = tickets_bulk(actor=user, action=action, numbers=numbers, data=form.cleaned_data,
                                       versions=versions)
            except ApplicationError as exc:
                bulk["error"] = gettext("未执行：%(why)s") % {"why": exc.message}
            else:
                bulk["results"] = [asdict(r) for r in results]
                bulk["done"] = sum(1 for r in results if r.done)
                bulk["refused"] = len(results) - bulk["done"]
    if request.headers.get("HX-Request"):
        response = render(request, "complaints/_queue_bulk_results.html", {"bulk": bulk})
        response["HX-Trigger"] = "queue-changed"  # queues.js refreshes the rows at once
        return response
    request.session[BULK_SESSION_KEY] = bulk
    return redirect(back + "#bulk-results")


@login_required
@require_GET
def supervision_view(request):
    require_perm(request.user, "complaints.review_ticket", "complaints.callback_ticket",
                 "complaints.supervise_ticket")
    orders = Paginator(open_orders(request.user), ORDERS_PAGE_SIZE).get_page(request.GET.get("orders_page"))
    followups = followups_due(request.user)
    return render(request, "complaints/supervision.html", {
        **supervision_lists(request.user), "orders": orders,
        "followups": list(followups[:FOLLOWUP_LIMIT]), "followups_count": followups.count()})


@login_required
@require_GET
def ticket_list_view(request):
    status = 200
    try:
        page = keyset_page(ticket_list(request.user, request.GET), request.GET.get("cursor"), PAGE_SIZE, count=True,
                           sparse=is_text_search(request.GET.get("q", "")))
    except SearchThrottled as exc:
        messages.error(request, exc.message)
        page, status = Page([], None, None), exc.status
    prev_url, next_url = _page_urls(request, page)
    filtered = any(v for k, v in request.GET.items() if k != "cursor")
    form = ticket_filter_form(request.user, request.GET)
    return render(request, "complaints/list.html", {
        "tickets": page.items, "filter_form": form,
        "page_prev_url": prev_url, "page_next_url": next_url, "filtered": filtered,
        "page_info": _total(page.total, page.total_capped)},
        status=400 if form.errors else status)  # the form shows what was refused
