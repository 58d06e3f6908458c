"""Admin for business settings, and the read-only history used by every audited model.

The admin is for reference data and people, never a second path for ticket state: history can be
looked at, not reverted or edited (simple-history's revert form saves on POST, so it is refused)."""
import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core import config
from core.models import Setting


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages only show: the "revert" form refuses to save."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("历史记录只读，不能恢复或修改")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyMixin:
    """For admins and inlines: shown, never added, changed or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A model that is only looked at in the admin (logs, clocks, notifications)."""


class SettingForm(forms.ModelForm):
    key = forms.ChoiceField(label=_("键"))
    value = forms.JSONField(label=_("值"), help_text=_("JSON：数字如 30，开关 true/false，文字须加引号如 \"22:00\""))

    class Meta:
        model = Setting
        fields = ["key", "value", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(k, f"{k} — {desc}") for k, (_d, desc) in config.DEFAULTS.items()]

    def clean(self):
        cleaned = super().clean()
        key, value = cleaned.get("key"), cleaned.get("value")
        if key in config.DEFAULTS and "value" in cleaned:
            default = config.DEFAULTS[key][0]
            # bool is an int in Python: compare exact types, allowing an int where a number is expected.
            expected = type(default)
            ok = type(value) is expected or (expected is float and type(value) is int)
            if not ok:
                self.add_error("value", f"类型应与默认值一致(默认值为 {json.dumps(default, ensure_ascii=False)})")
            elif isinstance(value, int) and not isinstance(value, bool) and value < 0:
                self.add_error("value", "不能为负数")
        return cleaned


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin):
    form = SettingForm
    list_display = ["key", "value", "default_value", "description", "note"]
    search_fields = ["key", "note"]
    readonly_fields = ["default_value", "description"]
    change_list_template = "admin/core/setting/change_list.html"

    @admin.display(description=_("默认值"))
    def default_value(self, obj):
        default = config.DEFAULTS.get(obj.key)
        return json.dumps(default[0], ensure_ascii=False) if default else "—"

    @admin.display(description=_("含义"))
    def description(self, obj):
        default = config.DEFAULTS.get(obj.key)
        return default[1] if default else "—"

    def changelist_view(self, request, extra_context=None):
        current = dict(Setting.objects.values_list("key", "value"))
        rows = [{"key": k, "default": json.dumps(d, ensure_ascii=False), "description": desc,
                 "current": json.dumps(current[k], ensure_ascii=False) if k in current else "",
                 "overridden": k in current}
                for k, (d, desc) in config.DEFAULTS.items()]
        return super().changelist_view(request, {**(extra_context or {}), "setting_defaults": rows})
