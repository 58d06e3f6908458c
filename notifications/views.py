"""The bell: the signed-in user's notifications, newest first, and marking them read."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from notifications.models import Notification

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
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, gettext("已将 %(count)s 条通知标为已读") % {"count": count})
    return redirect("notifications:list")


@login_required
@require_POST
def open_notification(request, pk):
    """Mark one notification read and go to its ticket (or back to the list)."""
    item = get_object_or_404(Notification, pk=pk, user=request.user)
    if item.read_at is None:
        Notification.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=timezone.now())
    if item.ticket_id:
        return redirect("complaints:detail", item.ticket.number)
    return redirect("notifications:list")
