"""Admin: in-app notifications (read-only) and the e-mail/SMS outbox with a retry action."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from notifications.models import Notification, OutboxMessage


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "kind", "message", "ticket", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "message", "ticket__number"]
    list_select_related = ["user", "ticket"]
    show_full_result_count = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "recipient", "subject", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "channel"]
    search_fields = ["recipient", "subject"]
    actions = ["retry"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        # Needed for the retry action; the form itself stays read-only (no editable fields).
        return request.user.has_perm("notifications.change_outboxmessage")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description=_("重新发送(失败的消息)"))
    def retry(self, request, queryset):
        count = queryset.filter(state=OutboxMessage.State.FAILED).update(
            state=OutboxMessage.State.PENDING, attempts=0, last_error="")
        self.message_user(request, f"已将 {count} 条失败消息重新放入待发送队列", messages.SUCCESS)
        if count:
            from django.db import transaction

            from notifications.services import _schedule_delivery

            transaction.on_commit(_schedule_delivery)
