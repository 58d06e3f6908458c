"""Outage events are entered on the unit's page or pushed over the API (outages.services): here
they are only looked at, with their history."""
from django.contrib import admin

from complaints.admin import TicketRowsAdmin
from core.admin import ReadOnlyHistoryAdmin, ReadOnlyMixin

from .models import OutageCall, OutageEvent


@admin.register(OutageEvent)
class OutageEventAdmin(ReadOnlyMixin, ReadOnlyHistoryAdmin):
    list_display = ["id", "kind", "cause", "unit", "start_at", "expected_restore_at", "restored_at", "short_notice"]
    list_filter = ["kind", "short_notice", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["cause", "keywords", "source_id"]
    list_select_related = ["unit"]
    date_hierarchy = "start_at"


@admin.register(OutageCall)
class OutageCallAdmin(TicketRowsAdmin):
    list_display = ["ticket", "event", "created_at", "notified_at"]
    list_select_related = ["ticket", "event"]
    raw_id_fields = ["ticket", "event"]
