"""The article form: it only shapes input; the rules are in knowledge.services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.scoping import visible_unit_ids
from complaints.forms import StyledForm
from complaints.models import Category, ServiceType

from .services import ArticleData


class ArticleForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("Markdown：**加粗**、- 列表、| 表格 |；不支持 HTML"))
    tags = forms.CharField(label=_("标签"), max_length=200, required=False, help_text=_("空格分隔"))
    categories = forms.ModelMultipleChoiceField(label=_("投诉分类"), required=False, queryset=Category.objects.none(),
                                                widget=forms.SelectMultiple(attrs={"size": 6}))
    service_types = forms.MultipleChoiceField(label=_("服务类型"), required=False,
                                              choices=[c for c in ServiceType.choices if c[0]])
    owner_unit = forms.ModelChoiceField(label=_("维护单位"), queryset=Unit.objects.none())
    effective_from = forms.DateField(label=_("生效日期"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("失效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    review_due = forms.DateField(label=_("复审日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = visible_unit_ids(user) if user is not None else []
        units = Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=ids)
        self.fields["owner_unit"].queryset = units.order_by("path")
        self.fields["categories"].queryset = Category.objects.filter(parent__isnull=False, active=True).order_by(
            "code")
        if user is not None and user.unit_id and not self.is_bound:
            self.initial.setdefault("owner_unit", user.unit_id)

    def article_data(self) -> ArticleData:
        d = self.cleaned_data
        return ArticleData(title=d["title"], body=d["body"], owner_unit=d["owner_unit"],
                           categories=list(d["categories"]), service_types=list(d["service_types"]),
                           tags=d.get("tags") or "", effective_from=d.get("effective_from"),
                           expires_on=d.get("expires_on"), review_due=d.get("review_due"))
