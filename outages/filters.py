"""The outage list's query parameters (django-filter, as the ticket list's): the API applies and
documents them through DjangoFilterBackend; a bad value answers 400."""
import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import OutageEvent
from .selectors import active_q


class OutageFilter(django_filters.FilterSet):
    active = django_filters.ChoiceFilter(
        method="filter_active", choices=[("1", _("正在停电")), ("0", _("已恢复或尚未开始")),
                                         ("true", _("正在停电")), ("false", _("已恢复或尚未开始"))],
        help_text=_("1：已开始且未恢复；0：已恢复或尚未开始"))
    service_area = django_filters.CharFilter(field_name="service_areas__code", max_length=32,
                                             help_text=_("服务区域编码"))

    class Meta:
        model = OutageEvent
        fields: list[str] = []

    def filter_active(self, qs, name, value):
        is_active = active_q(timezone.now())
        return qs.filter(is_active) if value in ("1", "true") else qs.exclude(is_active)
