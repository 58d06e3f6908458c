"""The bell and the signed-in user's notifications: "needs my action" and "for information" apart,
latest first, and marking them read."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.context_processors import bell_context
from notifications.models import Notification
from notifications.selectors import bell_counts
from notifications.selectors import notification_list as select_notifications
from notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 100
HTMX_STOP_POLLING = 286  # htmx stops an `every` trigger on this status


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    sections = [(needs_action, select_notifications(request.user, needs_action=needs_action,
                                                    unread_only=unread_only, limit=PAGE_SIZE))
                for needs_action in (True, False)]
    return render(request, "notifications/list.html", {
        "sections": sections, "unread_only": unread_only, "counts": bell_counts(request.user)})


@never_cache
@require_GET
def bell(request):
    """The bell alone, polled by htmx every few seconds: one query. Signed out (the session ended
    meanwhile), htmx's poll gets an empty answer that stops the polling rather than a login page
    swapped into the navigation bar; a plain request goes to the login page as everywhere."""
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request"):
            return HttpResponse(status=HTMX_STOP_POLLING)
        return redirect_to_login(request.get_full_path())
    return render(request, "notifications/_bell.html", bell_context(request.user))


@login_required
@require_POST
def mark_all_read(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, gettext("已将 %(count)s 条通知标为已读") % {"count": count})
    return redirect("notifications:list")


@login_required
@require_POST
def open_notification(request, pk):
    """Mark one notification read and go to its ticket (or back to the list)."""
    item = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_mark_read(user=request.user, notification_id=item.pk)
    if item.ticket_id:
        return redirect("complaints:detail", item.ticket.number)
    return redirect("notifications:list")
