"""常用语 are kept by each unit's administrators: one of a county sees and edits only the phrases of
its own subtree; the province-wide ones (no unit) belong to administrators without a unit."""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from accounts.models import Unit
from core.admin import ReadOnlyHistoryAdmin

from .models import Phrase


def _scoped(user) -> bool:
    return not user.is_superuser and bool(user.unit_id)


@admin.register(Phrase)
class PhraseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "field", "unit", "category", "sort", "active"]
    list_filter = ["field", "active", ("category", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "text"]
    list_select_related = ["unit", "category"]
    autocomplete_fields = ["unit"]

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if _scoped(request.user):
            rows = rows.filter(unit__path__startswith=request.user.unit.path)
        return rows

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and _scoped(request.user):
            kwargs["queryset"] = Unit.objects.filter(path__startswith=request.user.unit.path)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if _scoped(request.user) and (obj.unit is None or not obj.unit.path.startswith(request.user.unit.path)):
            raise PermissionDenied(gettext("只能维护本单位及下级单位的常用语"))
        super().save_model(request, obj, form, change)
