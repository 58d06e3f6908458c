"""Reads of tickets: every list the pages (and the API) show is shaped here.

Each selector scopes with `ticket_scope(user)`, owns its `select_related` / `prefetch_related` /
annotations, and never runs a query per row. The ticket list's filters are `complaints.filters`;
long lists are paged by `core.pagination` (keyset on (received_at, id), no OFFSET)."""
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, prefetch_related_objects
from django.utils import timezone

from accounts.models import Unit
from accounts.scoping import visible_unit_ids
from complaints.filters import CLOCK_FILTERS, TicketFilter, clock_state_q, day_start
from complaints.models import (
    ExtensionRequest,
    FollowUp,
    InvestigationTask,
    Kind,
    OnsiteInvestigation,
    SensitiveAccess,
    Status,
    SupervisionOrder,
    Ticket,
    TicketEvent,
)
from complaints.permissions import access_ticket, ticket_scope
from complaints.policy import may_see_reports
from complaints.services import earlier_tickets
from complaints.services.customer_search import customer_search_allowed
from complaints.services.routing import route_ticket
from core.badinput import BadQuery
from sla.models import ACTIVE_CLOCK_STATES, Clock, ClockName, ClockState
from sla.services import clocks_for_new_ticket

LIST_RELATED = ("category", "category__parent", "unit", "handler")
WORK_STATUSES = (Status.DISPATCHED, Status.CONTACTED, Status.REPLIED, Status.REVIEWED)


def _active_clocks_prefetch() -> Prefetch:
    return Prefetch("clocks", to_attr="active_clocks",
                    queryset=Clock.objects.filter(completed_at__isnull=True).exclude(state=ClockState.CANCELLED)
                    .order_by("due_at"))


def ticket_list_base(user) -> QuerySet:
    """The tickets this user may see, with what a list row shows; `TicketFilter` narrows it (here for
    pages and exports, through DjangoFilterBackend for the API)."""
    return ticket_scope(user).select_related(*LIST_RELATED)


def ticket_list(user, filters=None, *, strict: bool = False) -> QuerySet:
    """The tickets this user may see matching `filters` (a query string or a dict), newest first,
    ready for keyset pagination. A value that does not validate is dropped (the page shows it
    refused), or with `strict` raises BadQuery (an export must not silently widen)."""
    base = ticket_list_base(user)
    fs = TicketFilter(filters or {}, queryset=base, user=user)
    if fs.is_valid():
        qs = fs.qs
    elif strict:
        field, errors = next(iter(fs.errors.items()))
        raise BadQuery(f"{fs.form.fields[field].label}：{errors[0]}", field=field)
    else:
        qs = _valid_part(fs, base)
    return qs.order_by("-received_at", "-id")


def _valid_part(fs: TicketFilter, base: QuerySet) -> QuerySet:
    # Keep the filters that validated; drop the ones that did not.
    data = fs.data.copy() if hasattr(fs.data, "copy") else dict(fs.data)
    for field in fs.errors:
        data.pop(field, None)
    retry = TicketFilter(data, queryset=base, user=fs.user)
    return retry.qs if retry.is_valid() else base


def ticket_filter_form(user, filters):
    """The list page's filter form (bound, so it shows what was refused); the unit select offers
    the units the user works with, though any unit code or id is accepted."""
    form = TicketFilter(filters or None, queryset=Ticket.objects.none(), user=user).form
    unit = form.fields["unit"]
    unit.widget.choices = [("", unit.empty_label)] + [(u.pk, str(u)) for u in units_for_dispatch(user)]
    for field in form.fields.values():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs["class"] = css
    return form


# --- queues -------------------------------------------------------------------------------

def _clock_due(name: str, field: str = "due_at") -> Subquery:
    return Subquery(Clock.objects.filter(ticket=OuterRef("pk"), name=name, completed_at__isnull=True,
                                         state__in=ACTIVE_CLOCK_STATES + [ClockState.BREACHED])
                    .order_by("-started_at").values(field)[:1])


def dispatch_queue(user) -> QuerySet:
    """Registered and returned tickets waiting for the team lead, oldest first, with the
    dispatch clock's due and (for returned ones) the unit's reason."""
    last_return = TicketEvent.objects.filter(ticket=OuterRef("pk"), action="return").order_by("-at", "-id")
    return (ticket_scope(user).filter(status__in=(Status.REGISTERED, Status.RETURNED))
            .select_related("category", "category__parent", "unit", "service_area", "service_area__unit")
            .annotate(dispatch_due=_clock_due(ClockName.DISPATCH),
                      dispatch_warn=_clock_due(ClockName.DISPATCH, "warn_at"),
                      return_reason=Subquery(last_return.values("note")[:1]))
            .order_by("received_at", "id"))


def my_work(user, filters: dict | None = None) -> QuerySet:
    """Open tickets of the user's unit subtree with their running clocks, nearest due first."""
    filters = filters or {}
    qs = ticket_scope(user).filter(unit__isnull=False, status__in=WORK_STATUSES)
    ids = visible_unit_ids(user)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    status = filters.get("status")
    if status in WORK_STATUSES:
        qs = qs.filter(status=status)
    clock = filters.get("clock")
    if clock in dict(CLOCK_FILTERS):
        qs = qs.filter(clock_state_q(clock))
    if filters.get("mine"):
        qs = qs.filter(handler=user)
    return (qs.select_related(*LIST_RELATED).prefetch_related(_active_clocks_prefetch())
            .order_by("next_due_at", "received_at", "id"))


def supervision_lists(user, limit: int = 100) -> dict:
    """What the supervision office works through: replies to review, callbacks due, pending
    extension requests and open supervision orders."""
    scope = ticket_scope(user)
    replied = (scope.filter(status=Status.REPLIED).select_related(*LIST_RELATED)
               .order_by("replied_at", "id"))
    callbacks = (scope.filter(status=Status.REVIEWED).select_related(*LIST_RELATED)
                 .annotate(callback_due=_clock_due(ClockName.CALLBACK)).order_by("reviewed_at", "id"))
    extensions = (ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING, ticket__in=scope)
                  .select_related("ticket", "ticket__unit", "requested_by").order_by("requested_at", "id"))
    return {"replied": list(replied[:limit]), "callbacks": list(callbacks[:limit]),
            "extensions": list(extensions[:limit])}


def followups_due(user, now=None):
    """Half-year follow-up calls whose date has come and that are not yet made, oldest first."""
    return (FollowUp.objects.filter(done_at__isnull=True, due_at__lte=now or timezone.now(),
                                    ticket__in=ticket_scope(user))
            .select_related("ticket", "ticket__unit").order_by("due_at", "id"))


def open_orders(user):
    """Open supervision orders on tickets the user may see, the nearest deadline first (paginated
    by the caller, which also shows their total)."""
    return (SupervisionOrder.objects.filter(closed_at__isnull=True, ticket__in=ticket_scope(user))
            .select_related("ticket", "ticket__unit").order_by("due_at", "issued_at", "id"))


def ticket_detail(user, number: str) -> Ticket:
    """One ticket with everything its page shows, in a fixed number of queries."""
    qs = (Ticket.objects.select_related("category", "category__parent", "unit", "intake_unit", "handler",
                                        "created_by", "service_area", "service_area__unit", "followup",
                                        "followup__by", "risk")
          .prefetch_related(
              Prefetch("events", queryset=TicketEvent.objects.select_related("actor").order_by("at", "id")),
              Prefetch("clocks", queryset=Clock.objects.order_by("started_at", "id")),
              "contacts__by", "callbacks__by",
              Prefetch("extensions", queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by")
                       .order_by("requested_at")),
              Prefetch("supervisions", queryset=SupervisionOrder.objects.select_related("issued_by", "replied_by")
                       .order_by("issued_at")),
              "links__other", "attachments__uploaded_by", "accountabilities__unit",
              Prefetch("onsite_investigations", queryset=OnsiteInvestigation.objects.select_related("recorded_by")
                       .prefetch_related("photos__ticket", "photos__uploaded_by"))))
    ticket = access_ticket(user, number, queryset=qs)
    # Records only some tickets can have (Ticket.takes_*): read for those alone.
    if ticket.takes_major_reports:
        prefetch_related_objects([ticket], "major_reports__sent_to", "major_reports__by")
    if ticket.takes_investigation_tasks:
        tasks = (InvestigationTask.objects.select_related("unit", "issued_by", "answered_by")
                 .prefetch_related("files").order_by("issued_at", "id"))
        prefetch_related_objects([ticket], Prefetch("investigation_tasks", queryset=tasks))
    return ticket


def clocks_preview(user, form) -> dict:
    """What the intake form's ticket would start with: each clock's due and whether it is already
    past its warning or due now. Reads the fields that parse (the rest of the form may be unfinished);
    nothing is saved."""
    form.is_valid()
    d, now = form.cleaned_data, timezone.now()
    received = d.get("received_at") or now
    ticket = Ticket(channel=d.get("channel") or "", kind=d.get("kind") or "", service_type=d.get("service_type") or "",
                    severity=d.get("severity") or "ordinary", received_at=min(received, now),
                    regulator_due_at=d.get("regulator_due_at"), paid_at=d.get("paid_at"),
                    service_area=route_ticket(account_no=d.get("account_no") or "",
                                              address=d.get("address") or "").area,
                    intake_unit=user.unit)
    rows = [{"clock": c, "late": c.due_at <= now, "warning": c.warn_at <= now < c.due_at}
            for c in sorted(clocks_for_new_ticket(ticket, now), key=lambda c: c.due_at)]
    return {"clocks": rows, "late": [r for r in rows if r["late"]], "warning": [r for r in rows if r["warning"]]}


def reply_rejection(ticket: Ticket) -> TicketEvent | None:
    """The review that sent the reply back, while the unit has not replied again (from the
    prefetched timeline when the page loaded it)."""
    if ticket.status != Status.CONTACTED:
        return None
    last = None
    for event in ticket.events.all():
        if event.action == "review" or event.action == "reply":
            last = event
    return last if last is not None and last.action == "review" and not last.data.get("approved") else None


def earlier_for_caller(user, *, phone: str = "", account_no: str = "", limit: int = 10) -> list[Ticket]:
    """The caller's earlier tickets (complaints.services.earlier_tickets) that this user may see."""
    phone, account_no = phone.strip(), account_no.strip()
    if len(phone) < 7:
        phone = ""
    if len(account_no) < 4:
        account_no = ""
    if not phone and not account_no:
        return []
    if not customer_search_allowed(user=user, value=f"{phone}|{account_no}", field="earlier"):
        return []
    qs = ticket_scope(user, earlier_tickets(phone=phone, account_no=account_no))
    return list(qs.select_related("category")[:limit])


def units_for_dispatch(user) -> QuerySet:
    """Units the user may dispatch to (their visible subtree), in tree order."""
    ids = visible_unit_ids(user)
    qs = Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=ids)
    return qs.filter(parent__isnull=False).order_by("path")


# --- who saw or searched personal data ----------------------------------------------------------

class AccessLogFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(field_name="user__username", label="用户名")
    ticket = django_filters.CharFilter(field_name="ticket__number", label="工单编号")
    action = django_filters.ChoiceFilter(choices=SensitiveAccess.Action.choices, label="操作", empty_label="全部")
    at_from = django_filters.DateFilter(method="filter_from", label="日期自",
                                        widget=forms.DateInput(attrs={"type": "date"}))
    at_to = django_filters.DateFilter(method="filter_to", label="至", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = SensitiveAccess
        fields: list[str] = []

    def filter_from(self, qs, name, value):
        return qs.filter(at__gte=day_start(value)) if value else qs

    def filter_to(self, qs, name, value):
        return qs.filter(at__lt=day_start(value + timedelta(days=1))) if value else qs


def access_log(user, filters: dict | None = None) -> QuerySet:
    """Reveals and customer-number searches, newest first, for the offices that audit them (whoever
    holds `view_access_log`; the discipline office investigates leaks anywhere). Records on reports only
    for those who may see reports. Invalid filter values are ignored."""
    base = SensitiveAccess.objects.select_related("user", "ticket").order_by("-at", "-id")
    if not may_see_reports(user):
        base = base.exclude(ticket__kind=Kind.REPORT)
    fs = AccessLogFilter(filters or {}, queryset=base)
    return fs.qs if fs.is_valid() else base


def access_log_filter_form(filters):
    form = AccessLogFilter(filters or None, queryset=SensitiveAccess.objects.none()).form
    for field in form.fields.values():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs["class"] = css
    return form
