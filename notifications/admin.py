"""Admin: in-app notifications (read-only) and the e-mail/SMS outbox with a retry action."""
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from complaints.admin import TicketRowsAdmin
from complaints.policy import mask_phone, may_see_reports
from core.admin import ReadOnlyAdmin
from notifications.models import Notification, OutboxMessage
from notifications.services import schedule_delivery


@admin.register(Notification)
class NotificationAdmin(TicketRowsAdmin):
    list_display = ["last_at", "user", "kind", "message", "count", "ticket", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "message", "ticket__number"]
    list_select_related = ["user", "ticket"]
    show_full_result_count = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Delivery state and retry. A message names its ticket and may be about a misconduct report (举报),
    which has no ticket link here to filter on: its subject and body are shown only to those who may see
    reports; an SMS recipient's number is masked, and only e-mail addresses are searchable."""
    list_display = ["created_at", "channel", "shown_recipient", "subject", "state", "attempts", "sent_at",
                    "last_error"]
    list_filter = ["state", "channel"]
    search_fields = ["recipient"]
    actions = ["retry"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        # Needed for the retry action; the form itself stays read-only (no editable fields).
        return request.user.has_perm("notifications.change_outboxmessage")

    def get_fields(self, request, obj=None):
        shown = ["created_at", "channel", "shown_recipient", "state", "attempts", "claimed_at", "sent_at", "last_error"]
        return shown + (["subject", "body"] if may_see_reports(request.user) else [])

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_search_results(self, request, queryset, search_term):
        if search_term:  # never an oracle for whom a number was texted
            queryset = queryset.filter(channel=OutboxMessage.Channel.EMAIL)
        return super().get_search_results(request, queryset, search_term)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if may_see_reports(request.user) else [f for f in shown if f != "subject"]

    @admin.display(description=_("收件人"))
    def shown_recipient(self, obj):
        return mask_phone(obj.recipient) if obj.channel == OutboxMessage.Channel.SMS else obj.recipient

    @admin.action(description=_("重新发送(失败的消息)"))
    def retry(self, request, queryset):
        count = queryset.filter(state=OutboxMessage.State.FAILED).update(
            state=OutboxMessage.State.PENDING, attempts=0, last_error="")
        self.message_user(request, f"已将 {count} 条失败消息重新放入待发送队列", messages.SUCCESS)
        if count:


            transaction.on_commit(schedule_delivery)
