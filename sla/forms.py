"""Forms for the working-day calculator page and the holiday import."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.errors import ValidationFailed
from sla.imports import decode_upload, import_schedule


class CalculatorForm(forms.Form):
    start = forms.DateTimeField(label=_("开始时间"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                                                                     "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"],
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"},
                                                           format="%Y-%m-%dT%H:%M"))
    days = forms.IntegerField(label=_("工作日数"), min_value=1, max_value=1000, initial=1,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    unit = forms.ModelChoiceField(label=_("单位(含地方假日)"), queryset=Unit.objects.all(), required=False,
                                  empty_label=_("全国日历"), to_field_name="code",
                                  widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("start", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)


class HolidayImportForm(forms.Form):
    file = forms.FileField(label=_("文件(CSV/文本)"), required=False,
                           help_text=_("每行：日期,名称,休/班 —— 例如 2027-01-01,元旦,休 / 2027-02-07,春节调休,班"))
    text = forms.CharField(label=_("或直接粘贴"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12, "cols": 60}))
    year = forms.IntegerField(label=_("年度(可选，用于核对)"), required=False, min_value=2000, max_value=2100)
    note = forms.CharField(label=_("说明"), required=False, max_length=200,
                           help_text=_("例如国务院办公厅通知的文号"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴内容"))
        return cleaned

    def save(self, user) -> tuple[int, int] | None:
        """Import the valid form's schedule: (year, count), or None with the import's errors on the form
        (the admin page and the office's page share this)."""
        upload = self.cleaned_data.get("file")
        try:
            text = decode_upload(upload.read()) if upload else self.cleaned_data["text"]
            return import_schedule(text, year=self.cleaned_data.get("year"),
                                   note=self.cleaned_data.get("note") or "", user=user)
        except ValidationFailed as exc:
            for line in exc.fields.get("file", [exc.message]):
                self.add_error(None, line)
            return None
