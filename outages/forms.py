"""The unit's outage entry form: it only shapes input; every rule is in outages.services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.scoping import visible_unit_ids
from complaints.forms import StyledForm, datetime_field
from complaints.models import ServiceArea

from .models import OutageKind
from .services import OutageData


class OutageForm(StyledForm):
    kind = forms.ChoiceField(label=_("停电类型"), choices=OutageKind.choices)
    cause = forms.CharField(label=_("停电原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("用客户听得懂的话说明，如：10千伏城关线故障跳闸，正在抢修"))
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    service_areas = forms.ModelMultipleChoiceField(label=_("停电服务区域"), queryset=ServiceArea.objects.none(),
                                                   required=False, widget=forms.CheckboxSelectMultiple)
    keywords = forms.CharField(label=_("台区/线路/地址关键词"), max_length=255, required=False,
                               help_text=_("空格分隔；客户地址含其中任一词即在停电范围内"))
    start_at = datetime_field(_("停电开始时间"), required=True)
    expected_restore_at = datetime_field(_("预计恢复时间"))
    notice_sent_at = datetime_field(_("客户通知时间"), help_text=_("已将停电信息发送至受影响客户的时间"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = visible_unit_ids(user) if user is not None else []
        units = Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=ids)
        areas = ServiceArea.objects.all() if ids is None else ServiceArea.objects.filter(unit_id__in=ids)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["service_areas"].queryset = areas.select_related("unit").order_by("code")
        self.fields["service_areas"].widget.attrs["class"] = "form-check-input"
        if user is not None and user.unit_id and not self.is_bound:
            self.initial.setdefault("unit", user.unit_id)

    def outage_data(self, restored_at=None) -> OutageData:
        d = self.cleaned_data
        return OutageData(kind=d["kind"], cause=d["cause"], unit=d["unit"], start_at=d["start_at"],
                          expected_restore_at=d.get("expected_restore_at"), service_areas=list(d["service_areas"]),
                          keywords=d.get("keywords") or "", notice_sent_at=d.get("notice_sent_at"),
                          restored_at=restored_at)
