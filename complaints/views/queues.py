"""The role pages: the lead's dispatch queue, a unit's work orders, the supervision desk, and
the ticket list / search everyone uses."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from complaints.filters import CLOCK_FILTERS
from complaints.forms import DispatchForm
from complaints.models import Status
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
from complaints.services.customer_search import SearchThrottled
from core.pagination import Page, count_capped, keyset_page
from sla.states import RUNNING, state_as_of

from .common import require_perm

PAGE_SIZE = 50
WORK_LIMIT = 200
ORDERS_PAGE_SIZE = 50
FOLLOWUP_LIMIT = 100


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


@login_required
@require_GET
def dispatch_queue_view(request):
    require_perm(request.user, "complaints.dispatch_ticket")
    page = keyset_page(dispatch_queue(request.user), request.GET.get("cursor"), PAGE_SIZE, newest_first=False,
                       count=True)
    units = list(units_for_dispatch(request.user))
    now = timezone.now()
    rows = []
    for ticket in page.items:
        suggested = ticket.service_area.unit if ticket.service_area_id else None
        if ticket.status == Status.RETURNED and ticket.unit_id and suggested and suggested.pk == ticket.unit_id:
            suggested = None  # the station just returned it: do not suggest it again
        rows.append({"ticket": ticket, "suggested": suggested, "units": units,
                     "clock_state": _due_state(ticket.dispatch_due, ticket.dispatch_warn, now)})
    prev_url, next_url = _page_urls(request, page)
    return render(request, "complaints/dispatch_queue.html", {
        "rows": rows, "page_prev_url": prev_url, "page_next_url": next_url,
        "page_info": _total(page.total, page.total_capped), "form": DispatchForm(units=None)})


@login_required
@require_GET
def my_work_view(request):
    require_perm(request.user, "complaints.handle_ticket")
    filters = {k: request.GET.get(k, "") for k in ("status", "clock", "mine")}
    qs = my_work(request.user, filters)
    tickets = list(qs[: WORK_LIMIT + 1])
    # The count only when the list is cut: otherwise it is the rows on screen.
    total = count_capped(qs) if len(tickets) > WORK_LIMIT else (len(tickets), False)
    return render(request, "complaints/my_work.html", {
        "tickets": tickets[:WORK_LIMIT], "truncated": len(tickets) > WORK_LIMIT, "filters": filters,
        "total": _total(*total),
        "status_choices": [(s, Status(s).label) for s in WORK_STATUSES], "clock_choices": CLOCK_FILTERS})


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
        page = keyset_page(ticket_list(request.user, request.GET), request.GET.get("cursor"), PAGE_SIZE, count=True)
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
