"""Page forms. They only parse and shape input; every rule lives in complaints.services, whose
ValidationFailed.fields are put back on these forms next to the fields."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from complaints.models import (
    Accountability,
    Callback,
    Category,
    Channel,
    ContactAttempt,
    FollowUp,
    Kind,
    Mood,
    ServiceType,
    Severity,
    SupervisionOrder,
)
from complaints.services import IntakeData
from complaints.services.intake import ENTERED_RECEIVED, intake_errors
from complaints.services.workflow import ALLOWED_UPLOAD_TYPES, CLOSABLE_AT_INTAKE

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
YES_NO = [("yes", _("是")), ("no", _("否"))]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def datetime_field(label, required=False, help_text=""):
    return forms.DateTimeField(label=label, required=required, input_formats=DT_FORMATS, help_text=help_text,
                               widget=DateTimeLocalInput())


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class BootstrapMixin:
    """Bootstrap classes on every widget, and is-invalid on fields with errors."""

    def _style(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if self._errors and name in self._errors:  # never trigger validation from here
                css += " is-invalid"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        super().full_clean()
        self._style()

    def apply_errors(self, fields: dict) -> None:
        """Put a service's ValidationFailed.fields on the form (unknown fields as non-field errors)."""
        for field, messages in fields.items():
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(field if field in self.fields else None, message)
        self._style()


class StyledForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


def category_choices():
    """Items grouped under their class (only items are selectable)."""
    items = Category.objects.filter(active=True, parent__isnull=False).select_related("parent")
    groups: dict[str, list] = {}
    for item in items.order_by("parent__sort", "sort", "code"):
        groups.setdefault(item.parent.name, []).append((item.pk, f"{item.code} {item.name}"))
    return [("", _("— 请选择分类 —"))] + list(groups.items())


class IntakeForm(StyledForm):
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.PHONE_95598)
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, initial=Kind.COMPLAINT)
    category = forms.TypedChoiceField(label=_("分类"), required=False, coerce=int, empty_value=None)
    severity = forms.ChoiceField(label=_("级别"), choices=Severity.choices, initial=Severity.ORDINARY)
    service_type = forms.ChoiceField(label=_("服务类型"), choices=ServiceType.choices, required=False)
    received_at = datetime_field(_("受理时间"), help_text=_("来信、来访须填写实际收到时间"))
    customer_name = forms.CharField(label=_("客户姓名"), max_length=60)
    customer_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    account_no = forms.CharField(label=_("户号"), max_length=32, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    description = forms.CharField(label=_("诉求内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    mood = forms.ChoiceField(label=_("客户情绪"), choices=Mood.choices, initial=Mood.CALM)
    regulator_ref = forms.CharField(label=_("12398转办编号"), max_length=40, required=False)
    regulator_due_at = datetime_field(_("监管要求办结时间"))
    paid_at = datetime_field(_("缴费时间"), help_text=_("欠费复电必填"))
    wide_impact = forms.BooleanField(label=_("影响面较大(需现场调查)"), required=False)
    close_now = forms.BooleanField(label=_("当场答复，直接办结(咨询/表扬/建议/意见)"), required=False)
    close_reply = forms.CharField(label=_("答复内容"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)
    received_default = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("received_at", now)
            self.initial.setdefault("received_default", f"{now:%Y-%m-%dT%H:%M}")
        self.fields["customer_name"].widget.attrs.update(autocomplete="off")
        self.fields["customer_phone"].widget.attrs.update(autofocus=True, autocomplete="off", inputmode="tel")
        self.fields["account_no"].widget.attrs.update(autocomplete="off")
        self.fields["customer_phone"].widget.attrs.update(pattern=r"[0-9+\-]*")
        # No maxlength on the description: the browser would cut a long paste silently. The page counts
        # (data-max, intake.js) and the server refuses with the count; the text stays in the field.
        description = self.fields["description"]
        description.widget.attrs.pop("maxlength", None)
        description.widget.attrs["data-max"] = description.max_length
        description.error_messages["max_length"] = _(
            "诉求内容最多 %(limit_value)d 字，现有 %(show_value)d 字：请精简后再提交(内容仍保留在框内)")

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel in ENTERED_RECEIVED and "received_at" not in self.errors and (
                not data.get("received_at") or self.data.get("received_at") == self.data.get("received_default")):
            # The service's rule, checked here too so the page reports it with the form's own errors;
            # the form's default (now) does not count: the letter's or visit's real time must be entered.
            self.add_error("received_at", _("来信、来访须填写实际收到时间"))
        self._service_rules()
        if data.get("close_now"):
            if data.get("kind") not in CLOSABLE_AT_INTAKE:
                self.add_error("close_now", _("只有咨询、表扬、建议、意见可以直接办结"))
            elif not (data.get("close_reply") or "").strip():
                self.add_error("close_reply", _("直接办结须填写答复内容"))
        return data

    def _service_rules(self):
        """The intake service's rules on what parsed, reported with the form's own errors (a field
        already in error keeps its first message): an empty submit shows every error in one pass."""
        for field, messages in intake_errors(self.intake_data(), timezone.now()).items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)

    def intake_data(self):
        if getattr(self, "_intake_data", None) is not None:  # built once by clean(): one category read
            return self._intake_data
        d = self.cleaned_data
        category = Category.objects.filter(pk=d["category"]).select_related("parent").first() if d.get(
            "category") else None
        # .get(): clean() builds it too, before every field is known to be valid
        self._intake_data = IntakeData(
            channel=d.get("channel", ""), kind=d.get("kind", ""), customer_name=d.get("customer_name", ""),
            description=d.get("description", ""),
            received_at=d.get("received_at"), category=category, severity=d.get("severity") or None,
            service_type=d.get("service_type") or "", customer_phone=d.get("customer_phone") or "",
            account_no=d.get("account_no") or "", address=d.get("address") or "", mood=d.get("mood") or Mood.CALM,
            regulator_ref=d.get("regulator_ref") or "", regulator_due_at=d.get("regulator_due_at"),
            paid_at=d.get("paid_at"), wide_impact=bool(d.get("wide_impact")))
        return self._intake_data


# --- action forms (one per workflow action; field names match the service's error fields) ---

class DispatchForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none(), empty_label=_("— 请选择单位 —"))
    note = forms.CharField(label=_("派发说明"), required=False, max_length=2000)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: ("　" * max(u.depth - 1, 0)) + u.name
        self.fields["unit"].widget.attrs["data-keywords"] = ""


class ReturnForm(StyledForm):
    reason = forms.CharField(label=_("退单原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ContactForm(StyledForm):
    method = forms.ChoiceField(label=_("联系方式"), choices=ContactAttempt.Method.choices)
    reached = forms.TypedChoiceField(label=_("是否联系上"), choices=YES_NO, coerce=_yes_no, initial="yes",
                                     widget=forms.RadioSelect)
    note = forms.CharField(label=_("联系情况"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(StyledForm):
    substantiated = forms.TypedChoiceField(label=_("是否属实"), choices=YES_NO, coerce=_yes_no,
                                           widget=forms.RadioSelect)
    cause = forms.CharField(label=_("原因"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("处理措施"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    reply_text = forms.CharField(label=_("答复客户内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(StyledForm):
    approved = forms.TypedChoiceField(label=_("审核结果"), choices=[("yes", _("通过")), ("no", _("退回重新答复"))],
                                      coerce=_yes_no, initial="yes", widget=forms.RadioSelect)
    comment = forms.CharField(label=_("审核意见"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CallbackForm(StyledForm):
    result = forms.ChoiceField(label=_("回访结果"), choices=Callback.Result.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("回访记录"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("撤诉说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(StyledForm):
    reply_text = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(StyledForm):
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=get_user_model().objects.none(),
                                     empty_label=_("— 请选择 —"))

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if handlers is not None:
            self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.username


class ExtensionRequestForm(StyledForm):
    days = forms.IntegerField(label=_("延期工作日"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("延期原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecideForm(StyledForm):
    approved = forms.TypedChoiceField(label=_("审批结果"), choices=[("yes", _("批准")), ("no", _("驳回"))],
                                      coerce=_yes_no, initial="yes", widget=forms.RadioSelect)
    note = forms.CharField(label=_("审批意见"), required=False, max_length=2000)


class SuperviseForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=SupervisionOrder.OrderKind.choices)
    content = forms.CharField(label=_("督办内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    due_at = datetime_field(_("督办期限"))


class OrderForm(StyledForm):
    """Answer (unit) or close (supervision office) one of the ticket's open orders."""
    order_id = forms.TypedChoiceField(label=_("督办单"), coerce=int)

    def __init__(self, *args, orders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order_id"].choices = [(o.pk, f"{o.get_kind_display()} {o.level}级 · {o.issued_at:%m-%d %H:%M} · "
                                                f"{o.content[:30]}") for o in orders]


class OrderReplyForm(OrderForm):
    text = forms.CharField(label=_("答复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OrderCloseForm(OrderForm):
    note = forms.CharField(label=_("办结说明"), required=False, max_length=200)


class MajorReportForm(StyledForm):
    what = forms.CharField(label=_("事件经过"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    place = forms.CharField(label=_("地点"), max_length=200)
    impact = forms.CharField(label=_("影响范围"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("已采取措施"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MajorSummaryForm(StyledForm):
    what = forms.CharField(label=_("当日简要情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(StyledForm):
    result = forms.ChoiceField(label=_("回访结果"), choices=FollowUp.Result.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("回访记录"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ChaseForm(StyledForm):
    note = forms.CharField(label=_("催办说明"), required=False, max_length=2000)


class TextForm(StyledForm):
    text = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ChangeFindingForm(StyledForm):
    substantiated = forms.TypedChoiceField(label=_("变更为"), choices=[("yes", _("属实")), ("no", _("不属实"))],
                                           coerce=_yes_no, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("变更理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ResponsibilityForm(StyledForm):
    at_fault = forms.TypedChoiceField(label=_("责任认定"), choices=[("yes", _("有责")), ("no", _("无责"))],
                                      coerce=_yes_no, widget=forms.RadioSelect)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("— 默认为承办单位 —"))
    person = forms.CharField(label=_("责任人"), required=False, max_length=60)
    decision = forms.ChoiceField(label=_("考核意见"), required=False,
                                 choices=[("", "—")] + list(Accountability.Decision.choices))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one field (Django's documented multiple-upload pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else single(data, initial)


class RequestOnsiteForm(StyledForm):
    reason = forms.CharField(label=_("要求现场调查的原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MarkDuplicateForm(StyledForm):
    original = forms.CharField(label=_("原工单编号"), max_length=20,
                               help_text=_("同一来电(来信、来访)重复登记时，填写最初受理的工单编号"))
    reason = forms.CharField(label=_("重复原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class UnmarkDuplicateForm(StyledForm):
    reason = forms.CharField(label=_("撤销原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OnsiteInvestigationForm(StyledForm):
    investigators = forms.CharField(label=_("调查人员"), max_length=200)
    visited_at = datetime_field(_("调查时间"), required=True)
    findings = forms.CharField(label=_("调查情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultiplePhotoField(label=_("现场照片(jpg/png，可多张)"))


class InvestigateForm(StyledForm):
    """The discipline office's task for a unit: the matter only, never who reported it."""
    unit = forms.ModelChoiceField(label=_("调查单位"), queryset=Unit.objects.none(), empty_label=_("— 请选择单位 —"))
    matter = forms.CharField(label=_("调查事项(只写需调查的事项，不写举报人信息)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    due_at = datetime_field(_("答复期限"), required=True)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: ("　" * max(u.depth - 1, 0)) + u.name


class ConcludeForm(StyledForm):
    substantiated = forms.TypedChoiceField(label=_("是否属实"), choices=YES_NO, coerce=_yes_no,
                                           widget=forms.RadioSelect)
    conclusion = forms.CharField(label=_("调查结论"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class InvestigationAnswerForm(StyledForm):
    findings = forms.CharField(label=_("调查情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    files = MultiplePhotoField(label=_("附件(可选，可多个)"), required=False, widget=MultiplePhotoInput())


class AttachmentForm(StyledForm):
    use_required_attribute = False  # phones may fill the camera input instead (same field name); checked on the server
    # The picker offers only what the upload check accepts (phones then show camera, gallery and files).
    file = forms.FileField(label=_("附件"), widget=forms.ClearableFileInput(attrs={
        "accept": ",".join(ext for exts in ALLOWED_UPLOAD_TYPES.values() for ext in exts)}))
