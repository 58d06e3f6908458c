"""Small input and output serializers of the ticket API. Inputs only check shape (types, enums,
lengths matching the model); every business rule lives in complaints.services."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
    SensitiveAccess,
    ServiceArea,
    ServiceType,
    Severity,
    SlaState,
    Status,
    SupervisionOrder,
    TicketLink,
)
from complaints.policy import customer_view, visible_attachments, visible_events, visible_links
from complaints.services import allowed_actions
from complaints.services.workflow import event_label
from core.choices import labels
from risk.selectors import risk_view
from risk.serializers import TicketRiskSerializer
from sla.models import ClockName, ClockState

User = get_user_model()
MAX_VERSION = 2**31 - 1


class ChoiceLabelField(serializers.CharField):
    """The label of a choice field's value in the request's language (core.choices.labels: a
    dictionary lookup, where source="get_x_display" costs a signature inspection per row)."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return labels(self.choices).get(value, value)


def label(source: str, choices, help_text: str = ""):
    return ChoiceLabelField(choices, source=source, help_text=help_text or "中文(或请求语言)标签")


# --- references ---------------------------------------------------------------------------

class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="单位编码")
    name = serializers.CharField(help_text="单位名称")


class ServiceAreaRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="服务区域编码")
    name = serializers.CharField(help_text="服务区域名称")


class UserRefSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="登录名")
    name = serializers.SerializerMethodField(help_text="姓名")

    def get_name(self, obj) -> str:
        return obj.get_full_name() or obj.username


class CategoryRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="分类项目编码")
    name = serializers.CharField(help_text="分类项目名称")
    class_code = serializers.SerializerMethodField(help_text="所属大类编码")
    class_name = serializers.SerializerMethodField(help_text="所属大类名称")

    def get_class_code(self, obj) -> str | None:
        return obj.parent.code if obj.parent_id else None

    def get_class_name(self, obj) -> str | None:
        return obj.parent.name if obj.parent_id else None


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text="大类编码；大类本身为 null")

    class Meta:
        model = Category
        fields = ["code", "name", "parent", "sort", "active"]


class CustomerOutSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="客户姓名；举报人信息对无权查看者显示为“(举报人信息保密)”")
    phone = serializers.CharField(help_text="联系电话(已脱敏，如 138****8000)")
    account_no = serializers.CharField(help_text="户号")
    address = serializers.CharField(help_text="地址")
    hidden = serializers.BooleanField(help_text="举报人信息是否对当前用户保密")


class CustomerInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, help_text="客户姓名")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                  help_text="联系电话(数字和 -)；与户号至少填一项")
    account_no = serializers.CharField(max_length=32, required=False, allow_blank=True, default="",
                                       help_text="户号")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                    help_text="地址(用于匹配服务区域)")


# --- ticket output ------------------------------------------------------------------------

class TicketListSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="工单编号")
    channel = serializers.ChoiceField(Channel.choices, help_text="受理渠道")
    channel_label = label("channel", Channel)
    kind = serializers.ChoiceField(Kind.choices, help_text="诉求类型")
    kind_label = label("kind", Kind)
    service_type = serializers.ChoiceField(ServiceType.choices, help_text="服务类型(服务申请类)")
    service_type_label = label("service_type", ServiceType)
    category = CategoryRefSerializer(allow_null=True, help_text="投诉分类")
    severity = serializers.ChoiceField(Severity.choices, help_text="级别")
    severity_label = label("severity", Severity)
    status = serializers.ChoiceField(Status.choices, help_text="状态")
    status_label = label("status", Status)
    sla_state = serializers.ChoiceField(SlaState.choices, help_text="未完成时限中最差的状态")
    sla_state_label = label("sla_state", SlaState)
    next_due_at = serializers.DateTimeField(allow_null=True, help_text="最近一个未完成时限的到期时间")
    received_at = serializers.DateTimeField(help_text="受理时间(带时区，+08:00)")
    customer = serializers.SerializerMethodField(help_text="客户信息(电话脱敏；举报人按权限保密)")
    unit = UnitRefSerializer(allow_null=True, help_text="承办单位(派发前为 null)")
    handler = UserRefSerializer(allow_null=True, help_text="承办人")
    is_repeat = serializers.BooleanField(help_text="重复投诉")
    is_escalated = serializers.BooleanField(help_text="越级投诉")
    version = serializers.IntegerField(help_text="版本号；写操作可带 version 防止覆盖他人修改")
    url = serializers.SerializerMethodField(help_text="工单详情地址")

    @extend_schema_field(CustomerOutSerializer)
    def get_customer(self, obj):
        return customer_view(self.context["request"].user, obj)

    def get_url(self, obj) -> str:
        return reverse("api-ticket-detail", args=[obj.number])


class ClockSerializer(serializers.Serializer):
    name = serializers.ChoiceField(ClockName.choices, help_text="计时项")
    name_label = label("name", ClockName)
    started_at = serializers.DateTimeField(help_text="开始时间")
    due_at = serializers.DateTimeField(help_text="到期时间")
    warn_at = serializers.DateTimeField(help_text="预警时刻")
    state = serializers.ChoiceField(ClockState.choices, help_text="running 计时中 / warning 预警 / met 按时完成 / "
                                                                  "breached 超时 / cancelled 已取消")
    state_label = label("state", ClockState)
    completed_at = serializers.DateTimeField(allow_null=True, help_text="完成时间；未完成为 null")
    extended_days = serializers.IntegerField(help_text="已批准延期的工作日数")
    calendar_known = serializers.BooleanField(help_text="到期计算所用年度节假日是否已知")
    due_note = serializers.SerializerMethodField(help_text="到期所在年度节假日未知时为「按周末估算」，否则为空")

    def get_due_note(self, obj) -> str:
        return "" if obj.calendar_known else gettext("按周末估算")


class LinkSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(TicketLink.LinkKind.choices, help_text="关联类型")
    kind_label = label("kind", TicketLink.LinkKind)
    number = serializers.CharField(source="other.number", help_text="关联工单编号")


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="时间")
    action = serializers.CharField(help_text="动作(register、dispatch、contact …)")
    action_label = serializers.SerializerMethodField(help_text="动作名称")
    actor = UserRefSerializer(allow_null=True, help_text="操作人")
    from_status = serializers.CharField(help_text="操作前状态(受理时为空)")
    to_status = serializers.CharField(help_text="操作后状态")
    note = serializers.CharField(help_text="说明")
    data = serializers.DictField(help_text="结构化细节")

    def get_action_label(self, obj) -> str:
        return event_label(obj.action)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="原文件名")
    content_type = serializers.CharField(help_text="文件类型")
    size = serializers.IntegerField(help_text="字节数")
    uploaded_at = serializers.DateTimeField(help_text="上传时间")
    uploaded_by = UserRefSerializer(allow_null=True, help_text="上传人")
    url = serializers.SerializerMethodField(help_text="下载地址")

    def get_url(self, obj) -> str:
        return reverse("api-ticket-attachment", args=[obj.ticket.number, obj.pk])


class OnsiteInvestigationSerializer(serializers.Serializer):
    investigators = serializers.CharField(help_text="调查人员")
    visited_at = serializers.DateTimeField(help_text="调查时间")
    findings = serializers.CharField(help_text="调查情况")
    photos = AttachmentSerializer(many=True, source="photos.all", help_text="现场照片")
    recorded_by = UserRefSerializer(allow_null=True, help_text="登记人")
    recorded_at = serializers.DateTimeField(help_text="登记时间")


class InvestigationFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="原文件名")
    size = serializers.IntegerField(help_text="字节数")


class InvestigationTaskSerializer(serializers.Serializer):
    """An investigation task as the unit it is addressed to reads it: the matter, never the report."""

    id = serializers.IntegerField(help_text="调查任务编号")
    unit = UnitRefSerializer(help_text="调查单位")
    matter = serializers.CharField(help_text="调查事项(纪检监察部门填写，不含举报人信息)")
    due_at = serializers.DateTimeField(help_text="答复期限")
    issued_at = serializers.DateTimeField(help_text="下发时间")
    issued_by = UserRefSerializer(allow_null=True, help_text="下发人")
    state = serializers.ChoiceField([("open", "待答复"), ("answered", "已答复"), ("closed", "已办结")],
                                    help_text="open 待答复 / answered 已答复 / closed 已办结(随举报办结)")
    state_label = serializers.CharField(help_text="状态名称")
    findings = serializers.CharField(help_text="调查情况(答复后)")
    answered_at = serializers.DateTimeField(allow_null=True, help_text="答复时间")
    answered_by = UserRefSerializer(allow_null=True, help_text="答复人")
    closed_at = serializers.DateTimeField(allow_null=True, help_text="办结时间")
    files = InvestigationFileSerializer(many=True, source="files.all", help_text="答复附件")


class TicketDetailSerializer(TicketListSerializer):
    description = serializers.CharField(help_text="诉求内容")
    mood = serializers.ChoiceField(Mood.choices, help_text="客户情绪")
    mood_label = label("mood", Mood)
    regulator_ref = serializers.CharField(help_text="12398 转办编号")
    regulator_due_at = serializers.DateTimeField(allow_null=True, help_text="监管要求办结时间")
    paid_at = serializers.DateTimeField(allow_null=True, help_text="缴费时间(欠费复电)")
    logged_at = serializers.DateTimeField(help_text="系统登记时间")
    intake_unit = UnitRefSerializer(help_text="受理单位")
    created_by = UserRefSerializer(allow_null=True, help_text="受理人")
    onsite_required = serializers.BooleanField(help_text="需现场调查(答复前须登记现场调查)")
    wide_impact = serializers.BooleanField(help_text="影响面较大")
    service_area = ServiceAreaRefSerializer(allow_null=True,
                                            help_text="网格服务区域(按户号登记区域、再按地址关键词匹配)")
    suggested_unit = UnitRefSerializer(source="service_area.unit", allow_null=True, default=None,
                                       help_text="建议承办单位(服务区域所属供电所)")
    redispatch_count = serializers.IntegerField(help_text="回访不满意重新派发次数")
    chase_count = serializers.IntegerField(help_text="客户催办次数")
    callback_attempts = serializers.IntegerField(help_text="本轮回访次数")
    substantiated = serializers.BooleanField(allow_null=True, help_text="是否属实")
    at_fault = serializers.BooleanField(allow_null=True, help_text="是否有责")
    cause = serializers.CharField(help_text="原因")
    measures = serializers.CharField(help_text="处理措施")
    reply_text = serializers.CharField(help_text="答复内容")
    callback_result = serializers.CharField(help_text="最近回访结果：satisfied / unsatisfied / unreachable 或空")
    dispatched_at = serializers.DateTimeField(allow_null=True, help_text="派发时间")
    first_contact_at = serializers.DateTimeField(allow_null=True, help_text="首次联系时间")
    replied_at = serializers.DateTimeField(allow_null=True, help_text="答复时间")
    reviewed_at = serializers.DateTimeField(allow_null=True, help_text="审核时间")
    closed_at = serializers.DateTimeField(allow_null=True, help_text="办结时间")
    updated_at = serializers.DateTimeField(help_text="最后修改时间")
    clocks = serializers.SerializerMethodField(help_text="时限(派发、首次联系、处理答复、回访等)")
    # Links, timeline and attachments as complaints.policy lets this user see them.
    links = serializers.SerializerMethodField(help_text="关联工单(重复、越级)")
    timeline = serializers.SerializerMethodField(help_text="处理记录，按时间先后")
    attachments = serializers.SerializerMethodField(help_text="附件")
    onsite_investigations = serializers.SerializerMethodField(help_text="现场调查记录")
    investigation_tasks = serializers.SerializerMethodField(help_text="举报的调查任务及各单位的答复(仅举报件)")
    allowed_actions = serializers.SerializerMethodField(
        help_text="当前用户此刻可执行的动作(snake_case，如 add_info 对应 POST …/add-info/)")
    risk = serializers.SerializerMethodField(help_text="投诉风险：分数、等级与构成因素(已办结工单为 null)")

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, obj):
        return ClockSerializer(obj.rows("clocks"), many=True, context=self.context).data

    @extend_schema_field(OnsiteInvestigationSerializer(many=True))
    def get_onsite_investigations(self, obj):
        return OnsiteInvestigationSerializer(obj.rows("onsite_investigations"), many=True, context=self.context).data

    @extend_schema_field(LinkSerializer(many=True))
    def get_links(self, obj):
        return LinkSerializer(visible_links(self.context["request"].user, obj, obj.rows("links")), many=True).data

    @extend_schema_field(InvestigationTaskSerializer(many=True))
    def get_investigation_tasks(self, obj):
        tasks = obj.rows("investigation_tasks") if obj.takes_investigation_tasks else []
        return InvestigationTaskSerializer(tasks, many=True, context=self.context).data

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, obj):
        return EventSerializer(visible_events(self.context["request"].user, obj, obj.rows("events")), many=True).data

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj):
        rows = visible_attachments(self.context["request"].user, obj, obj.rows("attachments"))
        return AttachmentSerializer(rows, many=True, context=self.context).data

    def get_allowed_actions(self, obj) -> list[str]:
        return allowed_actions(self.context["request"].user, obj)

    @extend_schema_field(TicketRiskSerializer(allow_null=True))
    def get_risk(self, obj):
        return risk_view(obj)


# --- inputs -------------------------------------------------------------------------------

def version_field():
    return serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_VERSION,
                                    help_text="期望的工单版本号(详情中的 version)；不一致时答复 409 stale")


def text(max_length: int, help_text: str, *, required: bool = False):
    if required:
        return serializers.CharField(max_length=max_length, help_text=help_text)
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="",
                                 help_text=help_text)


class CategoryCodeField(serializers.SlugRelatedField):
    """A category item by code; from context["categories"] ({code: Category}, read once for a batch)
    when given, else one query."""

    def to_internal_value(self, data):
        categories = self.context.get("categories")
        if categories is None:
            return super().to_internal_value(data)
        if isinstance(data, str) and data in categories:
            return categories[data]
        self.fail("does_not_exist", slug_name=self.slug_field, value=str(data))


class TicketIntakeSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(Channel.choices, help_text="受理渠道")
    kind = serializers.ChoiceField(Kind.choices, help_text="诉求类型")
    category = CategoryCodeField(
        slug_field="code", queryset=Category.objects.filter(active=True, parent__isnull=False).select_related("parent"),
        required=False,
        allow_null=True, help_text="分类项目编码(见 /api/v1/categories/，须为具体项目而非大类)；投诉必填")
    severity = serializers.ChoiceField(Severity.choices, required=False, allow_null=True,
                                       help_text="级别；不填为 ordinary，重复/越级/12398 自动提为 important")
    service_type = serializers.ChoiceField(ServiceType.choices, required=False, allow_blank=True, default="",
                                           help_text="服务类型(服务申请类，如 reconnection 欠费复电)")
    received_at = serializers.DateTimeField(required=False, allow_null=True,
                                            help_text="受理时间(ISO 8601 带时区)；不填为当前时间；不能晚于当前")
    customer = CustomerInSerializer(help_text="客户信息")
    description = serializers.CharField(max_length=5000, help_text="诉求内容")
    mood = serializers.ChoiceField(Mood.choices, required=False, default=Mood.CALM, help_text="客户情绪")
    service_area = serializers.SlugRelatedField(slug_field="code", queryset=ServiceArea.objects.all(),
                                                required=False, allow_null=True,
                                                help_text="服务区域编码；不填时按地址自动匹配")
    regulator_ref = text(40, "12398 转办编号")
    regulator_due_at = serializers.DateTimeField(required=False, allow_null=True, help_text="监管要求办结时间")
    paid_at = serializers.DateTimeField(required=False, allow_null=True, help_text="缴费时间(欠费复电必填)")
    wide_impact = serializers.BooleanField(required=False, default=False,
                                           help_text="影响面较大(投诉须启动现场调查)")


class TicketBatchItemSerializer(TicketIntakeSerializer):
    idempotency_key = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="",
        help_text="本条的幂等键(对方系统的工单号等)：同一用户再次提交同一键时不重复登记，答复 existing")

    def validate_idempotency_key(self, value: str) -> str:
        if not value.isprintable():
            raise serializers.ValidationError("幂等键只能包含可打印字符")
        return value


class TicketBatchSerializer(serializers.Serializer):
    """Documents the batch body; the view checks each item on its own, so one bad item refuses only itself."""
    tickets = TicketBatchItemSerializer(many=True, help_text="待登记的工单，1–100 条")


class TicketBatchResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="在请求 tickets 中的位置(从 0 起)")
    result = serializers.ChoiceField(["created", "existing", "invalid"],
                                     help_text="created 已登记 / existing 幂等键已登记过 / invalid 未登记(见 error)")
    number = serializers.CharField(allow_null=True, help_text="工单编号")
    url = serializers.CharField(allow_null=True, help_text="工单详情地址")
    error = serializers.DictField(allow_null=True,
                                  help_text="未登记的原因：{code, message, fields}，与单条受理的错误相同")


class DispatchSerializer(serializers.Serializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all(),
                                        help_text="承办单位编码(须在您的管辖范围内)")
    note = text(2000, "派发说明")
    version = version_field()


class MarkDuplicateSerializer(serializers.Serializer):
    original = serializers.CharField(max_length=20, help_text="原工单编号(最初受理的那张工单)")
    reason = text(500, "重复原因", required=True)
    version = version_field()


class UnmarkDuplicateSerializer(serializers.Serializer):
    reason = text(2000, "撤销重复标记的原因", required=True)
    version = version_field()


class ReturnSerializer(serializers.Serializer):
    reason = text(2000, "退单原因", required=True)
    version = version_field()


class ContactSerializer(serializers.Serializer):
    method = serializers.ChoiceField(ContactAttempt.Method.choices, help_text="联系方式")
    note = text(2000, "联系情况")
    reached = serializers.BooleanField(required=False, default=True, help_text="是否联系上客户(默认 true)")
    version = version_field()


class ReplySerializer(serializers.Serializer):
    substantiated = serializers.BooleanField(help_text="是否属实")
    cause = text(5000, "原因", required=True)
    measures = text(5000, "处理措施", required=True)
    reply_text = text(5000, "答复客户的内容", required=True)
    version = version_field()


class ReviewSerializer(serializers.Serializer):
    approved = serializers.BooleanField(help_text="true 通过；false 退回承办单位重新答复")
    comment = text(2000, "审核意见(退回时必填)")
    version = version_field()


class CallbackSerializer(serializers.Serializer):
    result = serializers.ChoiceField(Callback.Result.choices,
                                     help_text="satisfied 满意(归档) / unsatisfied 不满意(重新派发) / "
                                               "unreachable 未联系上")
    note = text(2000, "回访记录")
    version = version_field()


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=30, help_text="申请延期的工作日数(1–30)")
    reason = text(2000, "延期原因", required=True)
    version = version_field()


class ExtensionDecisionSerializer(serializers.Serializer):
    approved = serializers.BooleanField(help_text="是否批准待审批的延期申请")
    note = text(2000, "审批意见")
    version = version_field()


class SuperviseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(SupervisionOrder.OrderKind.choices, help_text="督办单或投诉风险预警单")
    content = text(2000, "督办内容", required=True)
    due_at = serializers.DateTimeField(required=False, allow_null=True, help_text="督办期限(须晚于当前)")
    version = version_field()


class ChaseSerializer(serializers.Serializer):
    note = text(2000, "催办说明")
    version = version_field()


class AddInfoSerializer(serializers.Serializer):
    text = text(5000, "客户补充的诉求", required=True)
    version = version_field()


class OrderReplySerializer(serializers.Serializer):
    order_id = serializers.IntegerField(help_text="督办单 id")
    text = text(2000, "督办答复内容", required=True)
    version = version_field()


class OrderCloseSerializer(serializers.Serializer):
    order_id = serializers.IntegerField(help_text="督办单 id")
    note = text(200, "办结说明")
    version = version_field()


class MajorReportSerializer(serializers.Serializer):
    what = text(2000, "事件经过", required=True)
    place = text(200, "地点", required=True)
    impact = text(2000, "影响范围", required=True)
    measures = text(2000, "已采取措施", required=True)
    version = version_field()


class MajorSummarySerializer(serializers.Serializer):
    what = text(2000, "当日简要情况", required=True)
    version = version_field()


class FollowUpSerializer(serializers.Serializer):
    result = serializers.ChoiceField(FollowUp.Result.choices, help_text="satisfied 满意 / unsatisfied 不满意 / "
                                                                        "unreachable 未联系上")
    note = text(2000, "回访记录")
    version = version_field()


class NoteSerializer(serializers.Serializer):
    text = text(5000, "处理备注", required=True)
    version = version_field()


class RequestOnsiteSerializer(serializers.Serializer):
    reason = text(2000, "要求现场调查的原因", required=True)
    version = version_field()


class WithdrawSerializer(serializers.Serializer):
    reason = text(2000, "撤诉说明", required=True)
    version = version_field()


class ResponsibilitySerializer(serializers.Serializer):
    at_fault = serializers.BooleanField(help_text="是否有责")
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all(), required=False,
                                        allow_null=True, help_text="责任单位编码；不填为承办单位")
    person = text(60, "责任人")
    decision = serializers.ChoiceField(Accountability.Decision.choices, required=False, allow_blank=True,
                                       default="", help_text="考核意见(有责时必填)")
    note = text(2000, "说明")
    version = version_field()


class ChangeFindingSerializer(serializers.Serializer):
    substantiated = serializers.BooleanField(help_text="变更后的核实结论(是否属实)")
    reason = text(2000, "变更理由", required=True)
    version = version_field()


class OnsiteInvestigationInSerializer(serializers.Serializer):
    investigators = text(200, "调查人员(谁去的现场)", required=True)
    visited_at = serializers.DateTimeField(help_text="调查时间(ISO 8601 带时区)，不能晚于当前")
    findings = text(5000, "调查情况", required=True)
    photos = serializers.ListField(child=serializers.FileField(), allow_empty=False,
                                   help_text="现场照片(jpg/png，可多张)")
    version = version_field()


class InvestigateSerializer(serializers.Serializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all(),
                                        help_text="调查单位编码(被举报单位或其上级单位)")
    matter = text(2000, "调查事项：只写该单位需调查的事项，不得写入举报人的姓名、电话、户号、地址或举报件编号",
                  required=True)
    due_at = serializers.DateTimeField(help_text="答复期限(须晚于当前)")
    version = version_field()


class ConcludeSerializer(serializers.Serializer):
    substantiated = serializers.BooleanField(help_text="举报是否属实")
    conclusion = text(5000, "调查结论(查明的事实与处理意见)", required=True)
    version = version_field()


class InvestigationAnswerSerializer(serializers.Serializer):
    findings = text(5000, "调查情况", required=True)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=10,
                                  help_text="附件(可选，最多 10 个；jpg、png、pdf、mp3、wav、txt、docx、xlsx)")


class CloseSerializer(serializers.Serializer):
    reply_text = text(5000, "答复内容(咨询、表扬、建议、意见当场答复办结)", required=True)
    version = version_field()


class AssignSerializer(serializers.Serializer):
    handler = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True),
                                           help_text="承办人登录名(须属于承办单位)",
                                           # the same words for "no such user" and "not of this unit"
                                           error_messages={"does_not_exist": "承办人须属于承办单位",
                                                           "invalid": "承办人须属于承办单位"})
    version = version_field()


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=200, allow_empty_file=False,
                                 help_text="jpg、png、pdf、mp3、amr、wav、txt、docx、xlsx，内容须与扩展名一致")


class AccessLogSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="时间")
    user = UserRefSerializer(help_text="操作人")
    action = serializers.ChoiceField(SensitiveAccess.Action.choices,
                                     help_text="reveal 查看完整号码 / search 按号码查询")
    action_label = label("action", SensitiveAccess.Action)
    ticket = serializers.CharField(source="ticket.number", allow_null=True, default=None,
                                   help_text="工单编号(查询记录为 null)")
    field = serializers.CharField(help_text="字段或查询入口(customer_phone、q、earlier)")
    query_digest = serializers.CharField(help_text="查询内容的摘要(不保存号码本身)")
