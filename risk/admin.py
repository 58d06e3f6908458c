"""The risk app's rows are only looked at here: scores are written by risk.services (each event,
the sweep), marks, ledger replies and 销号 by the services behind the risk pages and API, the 约谈
list by its monthly task — so nothing is added, changed or deleted from the admin."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from complaints.admin import TicketRowsAdmin
from complaints.policy import mask_phone
from core.admin import ReadOnlyAdmin

from .models import InterviewList, RegulatorCase, SensitiveCustomer, TicketRisk


@admin.register(TicketRisk)
class TicketRiskAdmin(TicketRowsAdmin):
    list_display = ["ticket", "score", "level", "red_since", "followed_up_at", "updated_at"]
    list_filter = ["level"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket"]
    ordering = ["-score"]


@admin.register(SensitiveCustomer)
class SensitiveCustomerAdmin(ReadOnlyAdmin):
    fields = ["account_no", "masked_phone", "reason", "marked_by", "marked_at", "removed_at", "removed_by",
              "removed_reason"]
    readonly_fields = fields
    list_display = ["account_no", "masked_phone", "reason", "marked_by", "marked_at", "removed_at"]
    list_filter = ["marked_at", "removed_at"]
    search_fields = ["account_no", "reason"]
    list_select_related = ["marked_by"]

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(RegulatorCase)
class RegulatorCaseAdmin(TicketRowsAdmin):
    list_display = ["ticket", "state", "replied_at", "closed_at"]
    list_filter = ["state"]
    search_fields = ["ticket__number", "ticket__regulator_ref"]
    list_select_related = ["ticket"]


@admin.register(InterviewList)
class InterviewListAdmin(ReadOnlyAdmin):
    list_display = ["month", "count_threshold", "rate_threshold", "produced_at"]
