"""Reference data (categories, service areas) is edited here; tickets are only looked at.

Every change to a ticket goes through complaints.services, so the ticket admin has no add, change
or delete, its history is read-only, and customer details are shown masked (revealing a number is a
logged action of the ticket page, not of the admin)."""
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from complaints.models import (
    AccountRegistration,
    Attachment,
    Category,
    SensitiveAccess,
    ServiceArea,
    Ticket,
    TicketEvent,
)
from complaints.permissions import ticket_rows, ticket_scope
from complaints.policy import mask_name, mask_phone
from core.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyMixin
from sla.models import Clock


@admin.register(Category)
class CategoryAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "parent", "sort", "active"]
    list_filter = ["active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    ordering = ["parent__sort", "sort", "code"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":  # two levels: a class and its items
            kwargs["queryset"] = Category.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ServiceArea)
class ServiceAreaAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "unit", "contact", "keywords"]
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "keywords", "unit__name"]
    autocomplete_fields = ["unit", "contact"]
    list_select_related = ["unit", "contact"]


@admin.register(AccountRegistration)
class AccountRegistrationAdmin(admin.ModelAdmin):
    list_display = ["account_no", "service_area"]
    search_fields = ["account_no", "service_area__name"]
    autocomplete_fields = ["service_area"]
    list_select_related = ["service_area"]


class _ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    show_change_link = False


class TicketEventInline(_ReadOnlyInline):
    model = TicketEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    ordering = ["at", "id"]


class AttachmentInline(_ReadOnlyInline):
    model = Attachment
    fields = ["name", "content_type", "size", "uploaded_at", "uploaded_by"]  # no file link: served by the app
    readonly_fields = fields


TICKET_FIELDS = [
    "number", "channel", "kind", "service_type", "category", "severity", "status", "sla_state", "next_due_at",
    "received_at", "logged_at", "customer", "phone", "service_area", "description", "mood", "regulator_ref",
    "regulator_due_at", "intake_unit", "unit", "handler", "created_by", "is_repeat", "is_escalated",
    "onsite_required", "redispatch_count", "chase_count", "callback_attempts", "substantiated", "at_fault",
    "cause", "measures", "reply_text", "callback_result", "dispatched_at", "first_contact_at", "replied_at",
    "reviewed_at", "closed_at", "version",
]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyMixin, ReadOnlyHistoryAdmin):
    """Read-only: a list with filters and a view page. No add, change or delete."""

    list_display = ["number", "kind", "channel", "severity", "status", "sla_state", "unit", "received_at"]
    list_filter = ["status", "kind", "channel", "severity", "sla_state", "is_repeat", "is_escalated",
                   ("unit", admin.RelatedOnlyFieldListFilter), "received_at"]
    search_fields = ["=number", "=regulator_ref"]
    list_select_related = ["unit"]
    date_hierarchy = "received_at"
    fields = TICKET_FIELDS
    readonly_fields = TICKET_FIELDS
    inlines = [TicketEventInline, AttachmentInline]
    show_full_result_count = False
    # Masked in the history list too: only these columns are shown there.
    history_list_display = ["status", "unit", "version"]

    def get_actions(self, request):
        return {}

    def get_queryset(self, request):
        # The same scope as the pages: a report (举报) is not there for an administrator without the role.
        return ticket_scope(request.user, super().get_queryset(request))

    # simple-history loads the object and its versions itself; the scope must hold there too.
    def _require_in_scope(self, request, object_id):
        if not str(object_id).isdigit() or not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404(_("工单不存在或无权查看"))

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("客户"))
    def customer(self, obj):
        return mask_name(obj.customer_name)

    @admin.display(description=_("联系电话"))
    def phone(self, obj):
        return mask_phone(obj.customer_phone)


class TicketRowsAdmin(ReadOnlyAdmin):
    """Read-only rows that belong to a ticket (clocks, notifications, outage calls, access records): only
    those of tickets the administrator may see, so a report (举报) is not there without the role."""

    ticket_field = "ticket"

    def get_queryset(self, request):
        return ticket_rows(request.user, super().get_queryset(request), self.ticket_field)


@admin.register(Clock)
class ClockAdmin(TicketRowsAdmin):
    list_display = ["ticket", "name", "state", "started_at", "warn_at", "due_at", "completed_at", "calendar_known"]
    list_filter = ["state", "name", "calendar_known"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket"]
    raw_id_fields = ["ticket", "policy"]
    show_full_result_count = False


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(TicketRowsAdmin):
    list_display = ["at", "user", "ticket", "field"]
    list_filter = ["field", "at"]
    search_fields = ["ticket__number", "user__username"]
    list_select_related = ["user", "ticket"]
    date_hierarchy = "at"

    def get_actions(self, request):
        return {}
