"""/api/v1/outages/: the outage events (list, create or push, detail, update, restore). One class
per operation, thin calls into outages.services (writes) and outages.selectors (reads)."""
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.models import Unit
from complaints.api.serializers import ServiceAreaRefSerializer, UnitRefSerializer, label
from complaints.models import ServiceArea
from core.api_base import LANG_PARAM, READ_ERRORS, WRITE_ERRORS, ApiView, check_id
from core.errors import NotFound
from core.pagination import KeysetPagination

from . import selectors, services
from .filters import OutageFilter
from .models import OutageEvent, OutageKind

TAG = "停电信息"


class OutageSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="停电事件编号")
    kind = serializers.ChoiceField(OutageKind.choices, help_text="停电类型")
    kind_label = label("kind", OutageKind)
    cause = serializers.CharField(help_text="停电原因(通俗说明)")
    unit = UnitRefSerializer(help_text="责任单位")
    service_areas = ServiceAreaRefSerializer(many=True, source="service_areas.all", help_text="停电服务区域")
    keywords = serializers.CharField(help_text="台区/线路/地址关键词(空格分隔)")
    start_at = serializers.DateTimeField(help_text="停电开始时间")
    expected_restore_at = serializers.DateTimeField(allow_null=True, help_text="预计恢复时间")
    restored_at = serializers.DateTimeField(allow_null=True, help_text="实际恢复时间；null 为尚未恢复")
    entered_at = serializers.DateTimeField(help_text="信息录入时间")
    notice_sent_at = serializers.DateTimeField(allow_null=True, help_text="停电信息发送至受影响客户的时间")
    short_notice = serializers.BooleanField(help_text="计划检修录入时距开始不足 outage_notice_days 天(投诉风险)")
    active = serializers.SerializerMethodField(help_text="已开始且尚未恢复")
    source_system = serializers.CharField(help_text="来源系统")
    source_id = serializers.CharField(help_text="来源系统中的编号")

    def get_active(self, obj) -> bool:
        return obj.restored_at is None and obj.start_at <= timezone.now()


class OutageInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(OutageKind.choices, help_text="停电类型")
    cause = serializers.CharField(max_length=500, help_text="停电原因(客户听得懂的话)")
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all(), help_text="责任单位编码")
    service_areas = serializers.SlugRelatedField(slug_field="code", queryset=ServiceArea.objects.all(), many=True,
                                                 required=False, help_text="停电服务区域编码列表")
    keywords = serializers.CharField(max_length=255, required=False, allow_blank=True,
                                     help_text="台区/线路/地址关键词，空格分隔")
    start_at = serializers.DateTimeField(help_text="停电开始时间")
    expected_restore_at = serializers.DateTimeField(required=False, allow_null=True, help_text="预计恢复时间")
    restored_at = serializers.DateTimeField(required=False, allow_null=True,
                                            help_text="实际恢复时间：给出即标记恢复(关联咨询办结并短信告知来电客户)")
    notice_sent_at = serializers.DateTimeField(required=False, allow_null=True, help_text="客户通知发送时间")
    source_system = serializers.CharField(max_length=32, required=False, allow_blank=True, help_text="来源系统")
    source_id = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                      help_text="来源系统编号：同一来源系统同一编号再次提交即为更新(幂等)")


class OutageRestoreSerializer(serializers.Serializer):
    restored_at = serializers.DateTimeField(required=False, allow_null=True, help_text="恢复时间，缺省为当前时间")


class OutagePagination(KeysetPagination):
    key = "start_at"


def _data(values: dict, base: OutageEvent | None = None) -> services.OutageData:
    def pick(name, default=None):
        if name in values:
            return values[name]
        return getattr(base, name) if base is not None else default

    areas = values["service_areas"] if "service_areas" in values else (
        list(base.service_areas.all()) if base is not None else [])
    return services.OutageData(kind=pick("kind"), cause=pick("cause", ""), unit=pick("unit"),
                               start_at=pick("start_at"), expected_restore_at=pick("expected_restore_at"),
                               service_areas=list(areas), keywords=pick("keywords", "") or "",
                               notice_sent_at=pick("notice_sent_at"),
                               restored_at=values.get("restored_at"))


def _event(pk: str) -> OutageEvent:
    event = selectors.outage_list().filter(pk=check_id(pk)).first()
    if event is None:
        raise NotFound("停电事件不存在")
    return event


def _answer(pk: int, code=status.HTTP_200_OK) -> Response:
    return Response(OutageSerializer(_event(str(pk))).data, status=code)


ID_PARAM = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="停电事件编号")
_EXAMPLE = {"kind": "fault", "cause": "10千伏城关线故障跳闸", "unit": "GS-A1-1", "service_areas": ["SA-A1-1-01"],
            "keywords": "幸福村 城关线", "start_at": "2026-11-20T09:30:00+08:00",
            "expected_restore_at": "2026-11-20T13:00:00+08:00", "source_system": "pms", "source_id": "TD-2026-0001"}


class OutageListApi(ApiView, GenericAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = OutageFilter
    pagination_class = OutagePagination
    queryset = OutageEvent.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = OutageInSerializer  # what OPTIONS describes (the POST body)

    def get_queryset(self):
        return selectors.outage_list()

    @extend_schema(tags=[TAG], summary="停电事件列表", operation_id="outages_list",
                   description="全部停电事件(不含客户信息)，按开始时间倒序，游标分页。`?active=1` 只列正在停电的，"
                               "`?service_area=` 按服务区域编码。",
                   parameters=[LANG_PARAM],
                   responses={200: OutageSerializer(many=True), **READ_ERRORS})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(OutageSerializer(page, many=True).data)

    @extend_schema(tags=[TAG], summary="录入或推送停电事件", operation_id="outages_create",
                   description="责任单位录入，或配网/停电管理系统推送。"
                               "带 `source_id` 时按(source_system, source_id)幂等：第一次创建(201)，"
                               "之后同一编号的提交更新该事件(200)，带 `restored_at` 即标记恢复。",
                   parameters=[LANG_PARAM], request=OutageInSerializer,
                   examples=[OpenApiExample("故障停电推送", value=_EXAMPLE, request_only=True)],
                   responses={201: OutageSerializer,
                              200: OpenApiResponse(OutageSerializer, description="同一来源编号：已更新"),
                              **WRITE_ERRORS})
    def post(self, request):
        body = OutageInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        source_system, source_id = values.pop("source_system", ""), values.pop("source_id", "")
        if source_id:
            existing = OutageEvent.objects.filter(source_system=source_system.strip(),
                                                  source_id=source_id.strip()).first()
            event, created = services.outage_push(actor=request.user, source_system=source_system,
                                                  source_id=source_id, data=_data(values, existing))
        else:
            event, created = services.outage_create(actor=request.user, data=_data(values)), True
        return _answer(event.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class OutageDetailApi(ApiView):
    @extend_schema(tags=[TAG], summary="停电事件详情", operation_id="outages_retrieve",
                   parameters=[ID_PARAM, LANG_PARAM], responses={200: OutageSerializer, **READ_ERRORS})
    def get(self, request, pk):
        return Response(OutageSerializer(_event(pk)).data)

    @extend_schema(tags=[TAG], summary="修改停电事件", operation_id="outages_partial_update",
                   description="只改给出的字段(如预计恢复时间)；带 `restored_at` 即标记恢复。",
                   parameters=[ID_PARAM, LANG_PARAM], request=OutageInSerializer(partial=True),
                   responses={200: OutageSerializer, **WRITE_ERRORS})
    def patch(self, request, pk):
        event = _event(pk)
        body = OutageInSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = {k: v for k, v in body.validated_data.items() if k not in ("source_system", "source_id")}
        services.outage_update(actor=request.user, event=event, data=_data(values, event))
        return _answer(event.pk)


class OutageRestoreApi(ApiView):
    @extend_schema(tags=[TAG], summary="标记恢复供电", operation_id="outages_restore",
                   description="标记恢复(只生效一次，重复提交答复原结果)：关联的未办结停电咨询以复电模板办结，"
                               "每位来电客户一条短信(经发件箱发送，短信网关故障时稍后补发)。",
                   parameters=[ID_PARAM, LANG_PARAM], request=OutageRestoreSerializer,
                   responses={200: OutageSerializer, **WRITE_ERRORS})
    def post(self, request, pk):
        event = _event(pk)
        body = OutageRestoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.outage_restore(actor=request.user, event=event, restored_at=body.validated_data.get("restored_at"))
        return _answer(event.pk)
