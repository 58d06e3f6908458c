"""The bell: the signed-in user's notifications, newest first, and marking them read."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from notifications.models import Notification
from notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 100


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    qs = Notification.objects.filter(user=request.user).select_related("ticket")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    items = list(qs.order_by("-created_at", "-id")[:PAGE_SIZE])
    return render(request, "notifications/list.html", {"items": items, "unread_only": unread_only})


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
