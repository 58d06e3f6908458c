"""工单详情: everything recorded on one ticket, and the forms for the actions this user may take now."""
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from complaints import forms as f
from complaints.actions import ACTIONS, PAGE_ACTIONS
from complaints.permissions import access_ticket
from complaints.policy import (
    can_reveal_phone,
    can_see_complainant,
    customer_view,
    visible_accountabilities,
    visible_attachments,
    visible_events,
    visible_links,
)
from complaints.selectors import reply_rejection, ticket_detail, units_for_dispatch
from complaints.services import allowed_actions
from complaints.services.investigation import investigation_targets
from complaints.services.reveal import phone_reveal
from core.errors import NotFound, PermissionDenied
from outages.selectors import frequent_outage_warning
from phrases.models import FORM_FIELDS
from phrases.selectors import phrases_by_field


def build_form(action, user, ticket, data=None, files=None):
    form_class = ACTIONS[action].form_class
    kwargs = {"prefix": action}
    if action == "dispatch":
        kwargs["units"] = units_for_dispatch(user)
    elif action == "reply" and data is None and ticket.replied_at:
        # A reply sent back by review: the unit edits its previous answer rather than retyping it.
        kwargs["initial"] = {"substantiated": "yes" if ticket.substantiated else "no", "cause": ticket.cause,
                             "measures": ticket.measures, "reply_text": ticket.reply_text}
    elif action == "responsibility":
        kwargs["units"] = units_for_dispatch(user)
    elif action == "investigate":
        kwargs["units"] = investigation_targets(user)
    elif action in ("order_reply", "order_close"):
        kwargs["orders"] = [o for o in ticket.supervisions.all()
                            if o.closed_at is None and (action == "order_close" or o.replied_at is None)]
    elif action == "assign":
        handlers = get_user_model().objects.none()
        if ticket.unit_id:
            handlers = get_user_model().objects.filter(unit__path__startswith=ticket.unit.path, is_active=True)
        kwargs["handlers"] = handlers.order_by("username")
    return form_class(data, files, **kwargs)  # the dispatch form's suggested unit is said, never chosen


def render_detail(request, ticket, *, bound=None, status=200, revealed_phone=""):
    bound = bound or {}
    user = request.user
    allowed = allowed_actions(user, ticket)
    may = set(allowed)
    action_forms = [{
        "name": a.name, "label": a.label, "button": a.button, "confirm": a.confirm,
        "form": bound.get(a.name) or build_form(a.name, user, ticket),
        "url": reverse("complaints:act", args=[ticket.number, a.name]),
        "primary": a.primary, "open": a.primary or a.name in bound} for a in PAGE_ACTIONS if a.name in may]
    _add_phrases(user, ticket, action_forms)
    context = {
        "ticket": ticket,
        "customer": customer_view(user, ticket),
        "can_reveal": can_reveal_phone(user, ticket) and bool(ticket.customer_phone),
        "revealed_phone": revealed_phone,
        "show_complainant": can_see_complainant(user, ticket),
        "action_forms": action_forms,
        "attachment_form": bound.get("attach") or f.AttachmentForm(),
        "can_attach": "attach" in allowed,
        "clocks": list(ticket.clocks.all()),
        "events": visible_events(user, ticket, ticket.events.all()),
        "links": visible_links(user, ticket, ticket.links.all()),
        "attachments": visible_attachments(user, ticket, ticket.attachments.all()),
        "accountabilities": visible_accountabilities(user, ticket, ticket.accountabilities.all()),
        "rejection": reply_rejection(ticket),
        "outage_warning": frequent_outage_warning(ticket),
    }
    return render(request, "complaints/detail.html", context, status=status)


def _add_phrases(user, ticket, action_forms):
    """Each offered form's 常用语 by field name (one query, none when no form has a free-text field)."""
    wanted = {(a["name"], name): FORM_FIELDS[(a["name"], name)] for a in action_forms
              for name in a["form"].fields if (a["name"], name) in FORM_FIELDS}
    if not wanted:
        return
    phrases = phrases_by_field(user, ticket, set(wanted.values()))
    for a in action_forms:
        a["phrases"] = {name: phrases.get(field, []) for (action, name), field in wanted.items() if action == a["name"]}


def load(user, number):
    """The ticket with everything its page shows."""
    try:
        return ticket_detail(user, number)
    except NotFound:
        raise Http404(gettext("工单不存在或无权查看")) from None


def find(user, number):
    """The ticket alone, checked against the user's scope: what a POST needs before it acts (the
    page's relations are loaded only when the page is shown again)."""
    try:
        return access_ticket(user, number)
    except NotFound:
        raise Http404(gettext("工单不存在或无权查看")) from None


@login_required
@require_GET
def detail(request, number):
    return render_detail(request, load(request.user, number))


@login_required
@require_POST
def reveal_phone(request, number):
    """Show the full phone number once, and record who saw it (SensitiveAccess)."""
    ticket = load(request.user, number)
    try:
        phone = phone_reveal(actor=request.user, ticket=ticket)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from None
    if request.headers.get("HX-Request"):
        response = HttpResponse(format_html('<a class="mono" href="tel:{}" data-revealed-phone>{}</a>', phone, phone))
        response["Cache-Control"] = "no-store"
        return response
    response = render_detail(request, ticket, revealed_phone=phone)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def attachment_download(request, number, attachment_id):
    try:
        ticket = access_ticket(request.user, number)
    except NotFound:
        raise Http404(gettext("工单不存在或无权查看")) from None
    rows = ticket.attachments.filter(pk=attachment_id)
    attachment = next(iter(visible_attachments(request.user, ticket, rows)), None)
    if attachment is None:
        raise Http404(gettext("附件不存在"))
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(gettext("附件文件不存在")) from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
