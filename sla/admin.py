"""Admin for the working calendar and the clock policies (the clocks themselves: complaints.admin,
read-only beside the other rows of a ticket)."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyHistoryAdmin
from sla.forms import HolidayImportForm
from sla.models import CalendarDay, CalendarYear, ClockPolicy


class YearFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        return queryset.filter(date__year=int(self.value())) if self.value() else queryset


class ScopeFilter(admin.SimpleListFilter):
    title = _("范围")
    parameter_name = "scope"

    def lookups(self, request, model_admin):
        return [("national", _("全国")), ("regional", _("地方"))]

    def queryset(self, request, queryset):
        if self.value() == "national":
            return queryset.filter(unit__isnull=True)
        if self.value() == "regional":
            return queryset.filter(unit__isnull=False)
        return queryset


class HolidayImportMixin:
    """The "导入年度节假日" page, shared by the day and year admins."""

    def get_urls(self):
        opts = self.model._meta
        return [path("import/", self.admin_site.admin_view(self.import_view),
                     name=f"{opts.app_label}_{opts.model_name}_import"),
                *super().get_urls()]

    def import_view(self, request):
        if not request.user.has_perm("sla.add_calendarday"):

            raise PermissionDenied
        form = HolidayImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid() and (imported := form.save(request.user)):
            year, count = imported
            self.message_user(request, f"已导入 {year} 年节假日 {count} 条，日历已更新", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:sla_calendarday_changelist") + f"?year={year}")
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": "导入年度节假日", "known_years": list(CalendarYear.objects.all())}
        return TemplateResponse(request, "sla/admin_import_holidays.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(HolidayImportMixin, ReadOnlyHistoryAdmin):
    list_display = ["date", "weekday", "name", "is_workday", "unit"]
    list_filter = [YearFilter, ScopeFilter, "is_workday"]
    search_fields = ["name", "date", "unit__name", "unit__code"]
    date_hierarchy = "date"
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    change_list_template = "sla/admin_calendarday_changelist.html"

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]


@admin.register(CalendarYear)
class CalendarYearAdmin(HolidayImportMixin, ReadOnlyHistoryAdmin):
    list_display = ["year", "source", "note", "days"]
    search_fields = ["year", "source", "note"]
    change_list_template = "sla/admin_calendarday_changelist.html"

    def get_queryset(self, request):
        national = (CalendarDay.objects.filter(unit__isnull=True, date__year=OuterRef("year")).order_by()
                    .values("date__year").annotate(n=Count("id")).values("n"))
        return super().get_queryset(request).annotate(day_count=Subquery(national))

    @admin.display(description=_("全国节假日/调休条数"), ordering="day_count")
    def days(self, obj):
        return obj.day_count or 0


@admin.register(ClockPolicy)
class ClockPolicyAdmin(ReadOnlyHistoryAdmin):
    list_display = ["clock", "kind", "channel", "severity", "service_type", "region_type", "amount", "limit_unit",
                    "warn_ratio", "priority", "active", "note"]
    list_editable = ["amount", "warn_ratio", "active"]
    list_filter = ["clock", "limit_unit", "active", "kind", "channel"]
    search_fields = ["note"]
