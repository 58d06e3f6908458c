"""受理登记: the agent's intake form and the caller's earlier tickets as the number is typed."""
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from complaints.forms import IntakeForm
from complaints.policy import customer_view
from complaints.selectors import clocks_preview, earlier_for_caller
from complaints.services import ticket_register, ticket_register_closed
from complaints.services.customer_search import SearchThrottled
from core.errors import ApplicationError, PermissionDenied, ValidationFailed

from .common import require_perm


def errors_banner(form) -> str:
    """The top banner names every field in error, not only the first."""
    labels = [str(form.fields[name].label) if name in form.fields else gettext("其他") for name in form.errors]
    return gettext("请检查标红的 %(count)d 项：%(fields)s") % {"count": len(labels), "fields": "、".join(labels)}


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    require_perm(request.user, "complaints.intake_ticket")
    if request.method == "GET":
        form = IntakeForm(initial={"idempotency_key": uuid.uuid4().hex})
        return render(request, "complaints/intake.html", {"form": form})

    form = IntakeForm(request.POST)
    status = 400
    if form.is_valid():
        close = form.cleaned_data.get("close_now")
        try:
            if close:
                ticket, created = ticket_register_closed(
                    actor=request.user, data=form.intake_data(), reply_text=form.cleaned_data["close_reply"],
                    idempotency_key=form.cleaned_data.get("idempotency_key") or "")
            else:
                ticket, created = ticket_register(actor=request.user, data=form.intake_data(),
                                                  idempotency_key=form.cleaned_data.get("idempotency_key") or "")
        except PermissionDenied as exc:
            messages.error(request, exc.message)
            status = 403
        except ValidationFailed as exc:
            form.apply_errors(exc.fields)
            messages.error(request, exc.message)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            closed = bool(close) and created
            if created:
                messages.success(request, format_html(
                    '{} <span class="intake-number">{} <strong class="ticket-no" data-ticket-number>{}'
                    '</strong></span>{}', gettext("受理成功"), gettext("工单号"), ticket.number,
                    gettext("（已直接办结）") if closed else ""))
            else:
                messages.info(request, format_html("{} <strong class=\"ticket-no\">{}</strong>",
                                                   gettext("该登记已提交过，工单号"), ticket.number))
            return redirect(reverse("complaints:detail", args=[ticket.number]))
    else:
        messages.error(request, errors_banner(form))
    return render(request, "complaints/intake.html", {"form": form}, status=status)


def intake_answered(request, *, description: str, register, done: str):
    """The intake form submitted to answer the call at once (an outage enquiry, a knowledge-base
    answer): logged as an enquiry by `register(data=, idempotency_key=)` -> (ticket, created), with
    `description` when the agent typed none; errors come back on the intake form, as for any intake."""
    data = request.POST.copy()
    data["kind"], data["close_now"] = "enquiry", ""
    if not data.get("description", "").strip():
        data["description"] = description
    form = IntakeForm(data)
    status = 400
    if form.is_valid():
        try:
            ticket, created = register(data=form.intake_data(),
                                       idempotency_key=form.cleaned_data.get("idempotency_key") or "")
        except ValidationFailed as exc:
            form.apply_errors(exc.fields)
            messages.error(request, exc.message)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            if created:
                messages.success(request, format_html(
                    '{} <span class="intake-number">{} <strong class="ticket-no" data-ticket-number>{}</strong></span>',
                    done, gettext("工单号"), ticket.number))
            else:
                messages.info(request, format_html("{} <strong class=\"ticket-no\">{}</strong>",
                                                   gettext("该登记已提交过，工单号"), ticket.number))
            return redirect(reverse("complaints:detail", args=[ticket.number]))
    else:
        messages.error(request, errors_banner(form))
    return render(request, "complaints/intake.html", {"form": form}, status=status)


@login_required
@require_GET
def clocks(request):
    """htmx: the clocks the ticket on the form would start with, and which are already late or in
    warning — shown before saving (a letter logged days after it arrived)."""
    require_perm(request.user, "complaints.intake_ticket")
    preview = clocks_preview(request.user, IntakeForm(request.GET))
    return render(request, "complaints/_intake_clocks.html", preview)


@login_required
@require_GET
def earlier(request):
    """htmx: the caller's earlier tickets, phone masked, only those this user may see."""
    require_perm(request.user, "complaints.intake_ticket", "complaints.view_ticket")
    try:
        tickets = earlier_for_caller(request.user, phone=request.GET.get("customer_phone", ""),
                                     account_no=request.GET.get("account_no", ""))
    except SearchThrottled as exc:
        return render(request, "complaints/_earlier.html", {"throttled": exc.message}, status=exc.status)
    searched = bool(request.GET.get("customer_phone", "").strip() or request.GET.get("account_no", "").strip())
    # "Use these details": name, address and account of the newest ticket whose caller this user may
    # see, rendered by the server (never read back from masked text); the phone is not copied.
    caller = next((view for view in (customer_view(request.user, t) for t in tickets) if not view["hidden"]), None)
    return render(request, "complaints/_earlier.html", {"tickets": tickets, "searched": searched, "caller": caller})
