"""常用语: ready texts for the free-text fields of the workflow actions, kept per unit (they apply to
the unit's subtree; no unit = the whole province) and optionally per complaint category, with the
placeholders {客户}, {工单号} and {期限} filled for the ticket at hand (phrases.selectors)."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from complaints.models import Category


class Field(models.TextChoices):
    """The free-text fields a phrase can be offered for (FORM_FIELDS: where each appears)."""

    REPLY_TEXT = "reply_text", _("答复内容")
    CAUSE = "cause", _("原因")
    MEASURES = "measures", _("处理措施")
    RETURN_REASON = "return_reason", _("退单原因")
    CALLBACK_NOTE = "callback_note", _("回访记录")
    SUPERVISION = "supervision", _("督办内容")
    CONTACT_NOTE = "contact_note", _("联系情况")
    WITHDRAW_REASON = "withdraw_reason", _("撤诉说明")


# (action, form field) → phrase field: the one place the action forms are tied to phrases.
FORM_FIELDS = {
    ("reply", "reply_text"): Field.REPLY_TEXT, ("close", "reply_text"): Field.REPLY_TEXT,
    ("reply", "cause"): Field.CAUSE, ("reply", "measures"): Field.MEASURES,
    ("return", "reason"): Field.RETURN_REASON, ("callback", "note"): Field.CALLBACK_NOTE,
    ("followup", "note"): Field.CALLBACK_NOTE, ("supervise", "content"): Field.SUPERVISION,
    ("contact", "note"): Field.CONTACT_NOTE, ("withdraw", "reason"): Field.WITHDRAW_REASON,
}


class Phrase(models.Model):
    field = models.CharField(_("用于"), max_length=20, choices=Field.choices)
    title = models.CharField(_("名称"), max_length=40, help_text=_("在选择列表中显示"))
    text = models.TextField(_("内容"), max_length=2000,
                            help_text=_("可用占位符：{客户} 客户姓名、{工单号} 工单编号、{期限} 当前时限的到期时间"))
    unit = models.ForeignKey(Unit, verbose_name=_("适用单位(含下级)"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", help_text=_("不填为全省通用"))
    category = models.ForeignKey(Category, verbose_name=_("适用分类"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+", help_text=_("不填为所有分类"))
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("常用语")
        verbose_name_plural = _("常用语")
        ordering = ["field", "sort", "id"]
        indexes = [models.Index(fields=["field", "active"], name="phrase_field_active")]

    def __str__(self):
        return self.title
