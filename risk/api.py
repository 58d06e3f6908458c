"""/api/v1/risk/: the risk list (open tickets with a level, highest score first) and bulk follow-up."""
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from complaints.policy import mask_phone
from core.api_base import E403, LANG_PARAM, READ_ERRORS, WRITE_ERRORS, ApiView, check_id
from core.errors import PermissionDenied
from reports.figures import scope_and_period

from . import ledger, selectors, services
from .scoring import explain
from .serializers import RiskFactorSerializer
from .views import LIST_PERMS, parse_levels

TAG_RISK = "投诉风险"


class RiskRowSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="工单编号")
    url = serializers.SerializerMethodField(help_text="工单详情 API")
    status = serializers.CharField(help_text="工单状态")
    unit = serializers.CharField(source="unit.code", default=None, allow_null=True, help_text="承办单位编码")
    category = serializers.CharField(source="category.code", default=None, allow_null=True, help_text="分类编码")
    received_at = serializers.DateTimeField(help_text="受理时间")
    score = serializers.IntegerField(source="risk.score", help_text="风险分")
    level = serializers.CharField(source="risk.level", help_text="风险等级 yellow / orange / red")
    factors = serializers.SerializerMethodField(help_text="构成风险分的因素")
    followed_up_at = serializers.DateTimeField(source="risk.followed_up_at", allow_null=True, help_text="最近跟进时间")

    def get_url(self, obj) -> str:
        return reverse("api-ticket-detail", args=[obj.number])

    @staticmethod
    def get_factors(obj) -> list:
        return RiskFactorSerializer(explain(obj.risk.factors), many=True).data


class RiskPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="符合条件的风险工单总数")
    next = serializers.URLField(allow_null=True, help_text="下一页")
    previous = serializers.URLField(allow_null=True, help_text="上一页")
    results = RiskRowSerializer(many=True)


class RiskPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class RiskListApi(ApiView):
    @extend_schema(tags=[TAG_RISK], summary="风险工单", operation_id="risk_list",
                   description="本单位及下级单位在办工单中达到黄色及以上风险等级的，按风险分从高到低。"
                               "`level` 可选 red / orange / yellow(逗号分隔)。",
                   parameters=[LANG_PARAM, OpenApiParameter("level", OpenApiTypes.STR),
                               OpenApiParameter("page", OpenApiTypes.INT)],
                   responses={200: RiskPageSerializer, **READ_ERRORS, **E403})
    def get(self, request):
        if not any(request.user.has_perm(p) for p in LIST_PERMS):
            raise PermissionDenied(gettext("您的角色无权查看风险工单"))
        paginator = RiskPagination()
        qs = selectors.risk_list(request.user, levels=parse_levels(request.query_params.get("level", "")))
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(RiskRowSerializer(page, many=True).data)


class RiskFollowUpInSerializer(serializers.Serializer):
    numbers = serializers.ListField(child=serializers.CharField(max_length=20), max_length=services.MAX_FOLLOW_UP,
                                    help_text="工单编号")
    content = serializers.CharField(max_length=2000, help_text="督办内容")


class RiskFollowUpOutSerializer(serializers.Serializer):
    results = serializers.DictField(child=serializers.CharField(),
                                    help_text="工单编号 → ok / not_found / invalid_transition")


class RiskFollowUpApi(ApiView):
    @extend_schema(tags=[TAG_RISK], summary="批量跟进督办", operation_id="risk_follow_up",
                   description="对选中的风险工单各发出一张督办单(逐张校验范围、状态与权限)，并记为已跟进。",
                   parameters=[LANG_PARAM], request=RiskFollowUpInSerializer,
                   responses={200: RiskFollowUpOutSerializer, **WRITE_ERRORS})
    def post(self, request):
        data = RiskFollowUpInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = services.risk_follow_up(actor=request.user, numbers=data.validated_data["numbers"],
                                          content=data.validated_data["content"])
        return Response({"results": results})


class LedgerRowSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="工单编号")
    regulator_ref = serializers.CharField(help_text="12398 转办编号")
    received_at = serializers.DateTimeField(help_text="收到转办时间")
    regulator_due_at = serializers.DateTimeField(allow_null=True, help_text="监管要求办结时间")
    unit = serializers.CharField(source="unit.code", default=None, allow_null=True, help_text="承办单位编码")
    status = serializers.CharField(help_text="工单状态")
    onsite_required = serializers.BooleanField(help_text="需现场调查")
    onsite_done = serializers.BooleanField(help_text="已登记现场调查")
    ledger_state = serializers.CharField(help_text="台账状态 open / replied / closed(已销号)")
    reply_to_regulator = serializers.CharField(source="case.reply_to_regulator", default="", help_text="答复监管内容")
    replied_at = serializers.DateTimeField(source="case.replied_at", default=None, allow_null=True,
                                           help_text="答复监管时间")
    confirmation = serializers.CharField(source="case.confirmation", default="", help_text="销号(监管确认)情况")
    closed_at = serializers.DateTimeField(source="case.closed_at", default=None, allow_null=True, help_text="销号时间")


class PerMillionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="单位编码")
    name = serializers.CharField(help_text="单位名称")
    count = serializers.IntegerField(help_text="当月收到的12398转办件数")
    customers = serializers.IntegerField(help_text="客户数")
    per_million = serializers.FloatField(allow_null=True, help_text="件/百万户")


class LedgerSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    unit = serializers.CharField(help_text="统计单位编码")
    rows = LedgerRowSerializer(many=True, help_text="当月收到的12398转办工单")
    per_million = PerMillionSerializer(many=True, help_text="12398投诉百万客户率：下级各单位及合计")


class LedgerApi(ApiView):
    @extend_schema(tags=[TAG_RISK], summary="12398台账", operation_id="ledger_12398",
                   description="所选月份(`month`=YYYY-MM，默认本月)收到的12398转办工单台账与12398投诉百万客户率，"
                               "`unit` 为本单位或下级单位编码。督办部门可读。",
                   parameters=[LANG_PARAM, OpenApiParameter("month", OpenApiTypes.STR),
                               OpenApiParameter("unit", OpenApiTypes.STR)],
                   responses={200: LedgerSerializer, **READ_ERRORS, **E403})
    def get(self, request):
        if not request.user.has_perm("complaints.supervise_ticket"):
            raise PermissionDenied(gettext("您的角色无权查看12398台账"))
        scope, period = scope_and_period(request.user, request.query_params)
        return Response(LedgerSerializer({"month": period.key, "unit": scope.unit.code,
                                          "rows": ledger.ledger_rows(request.user, period, scope),
                                          "per_million": ledger.per_million(period, scope)}).data)


class SensitiveMarkSerializer(serializers.Serializer):
    """Customer fields as method fields: readable only by the supervision office (the view's
    permission), phones masked (complaints.policy.mask_phone)."""
    id = serializers.IntegerField(help_text="标记编号(撤销时使用)")
    account_no = serializers.SerializerMethodField(help_text="户号")
    phone = serializers.SerializerMethodField(help_text="联系电话(脱敏)")
    reason = serializers.CharField(help_text="标记原因")
    marked_by = serializers.CharField(source="marked_by.username", default=None, allow_null=True, help_text="标记人")
    marked_at = serializers.DateTimeField(help_text="标记时间")
    removed_at = serializers.DateTimeField(allow_null=True, help_text="撤销时间(未撤销为 null)")
    removed_reason = serializers.CharField(help_text="撤销原因")

    @staticmethod
    def get_account_no(obj) -> str:
        return obj.account_no

    @staticmethod
    def get_phone(obj) -> str:
        return mask_phone(obj.phone)


class SensitiveTicketSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="工单编号")
    received_at = serializers.DateTimeField(help_text="受理时间")
    kind = serializers.CharField(help_text="工单类型")
    channel = serializers.CharField(help_text="渠道")
    status = serializers.CharField(help_text="工单状态")


class SensitiveCustomerSerializer(serializers.Serializer):
    """As SensitiveMarkSerializer: the supervision office only; the phone arrives masked."""
    account_no = serializers.SerializerMethodField(help_text="户号(按电话识别的客户为空)")
    phone = serializers.SerializerMethodField(help_text="联系电话(脱敏；完整号码只能在工单页查看并留痕)")
    name = serializers.SerializerMethodField(help_text="客户姓名")
    complaints = serializers.IntegerField(help_text="12个月内投诉件数(本单位及下级)")
    regulator = serializers.IntegerField(help_text="12个月内12398工单件数(本单位及下级)")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="列为敏感客户的原因")
    marks = SensitiveMarkSerializer(many=True, help_text="人工标记")
    tickets = SensitiveTicketSerializer(many=True, help_text="12个月内的工单")

    @staticmethod
    def get_account_no(row) -> str:
        return row["account_no"]

    @staticmethod
    def get_phone(row) -> str:
        return row["phone"]

    @staticmethod
    def get_name(row) -> str:
        return row["name"]


class SensitiveMarkInSerializer(serializers.Serializer):
    account_no = serializers.CharField(max_length=32, required=False, allow_blank=True, default="", help_text="户号")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="", help_text="联系电话")
    reason = serializers.CharField(max_length=200, help_text="标记原因")


class SensitiveRemoveInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="撤销原因")


class SensitiveListApi(ApiView):
    @extend_schema(tags=[TAG_RISK], summary="敏感客户", operation_id="sensitive_list",
                   description="12个月内投诉达到设定件数、有12398工单(均按本单位及下级单位的工单统计)或被人工标记的客户，"
                               "附其12个月内的工单。督办部门可读。电话均脱敏。",
                   parameters=[LANG_PARAM],
                   responses={200: SensitiveCustomerSerializer(many=True), **READ_ERRORS, **E403})
    def get(self, request):
        if not request.user.has_perm("complaints.supervise_ticket"):
            raise PermissionDenied(gettext("您的角色无权查看敏感客户"))
        return Response(SensitiveCustomerSerializer(selectors.sensitive_customers(request.user), many=True).data)

    @extend_schema(tags=[TAG_RISK], summary="人工标记敏感客户", operation_id="sensitive_mark",
                   description="按户号或电话(至少一项)标记，须填原因；该客户的在办工单随即重新计算风险分。",
                   parameters=[LANG_PARAM], request=SensitiveMarkInSerializer,
                   responses={201: SensitiveMarkSerializer, **WRITE_ERRORS})
    def post(self, request):
        data = SensitiveMarkInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mark = services.sensitive_mark(actor=request.user, **data.validated_data)
        return Response(SensitiveMarkSerializer(mark).data, status=201)


class SensitiveRemoveApi(ApiView):
    @extend_schema(tags=[TAG_RISK], summary="撤销敏感客户标记", operation_id="sensitive_remove",
                   description="撤销一条人工标记(保留标记与撤销的人、时间和原因)。",
                   parameters=[LANG_PARAM], request=SensitiveRemoveInSerializer,
                   responses={200: SensitiveMarkSerializer, **WRITE_ERRORS})
    def post(self, request, pk: str):
        mark_id = check_id(pk)
        data = SensitiveRemoveInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mark = services.sensitive_remove(actor=request.user, mark_id=mark_id, reason=data.validated_data["reason"])
        return Response(SensitiveMarkSerializer(mark).data)
