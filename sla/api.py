"""The working-day calculator endpoint."""
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import Unit
from core.api_base import E400, LANG_PARAM, READ_ERRORS, ApiView
from core.errors import ValidationFailed
from sla.services import working_days_add

MAX_DAYS = 1000


class WorkingDaysOutSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="开始时间(ISO 8601，北京时间 +08:00)")
    days = serializers.IntegerField(help_text="工作日数")
    due_at = serializers.CharField(help_text="到期时刻(ISO 8601，+08:00)：最后一个工作日的24:00，即次日00:00")
    due_display = serializers.CharField(help_text="到期时间的中文显示，如 2026-10-08 24:00")
    calendar_known = serializers.BooleanField(
        help_text="计算涉及的年份是否都有节假日数据；false 表示仅按周末推算，请勿直接采信")
    unit = serializers.CharField(allow_null=True, help_text="按其地方性假日计算的单位编码；null 为全国日历")


def parse_start(value: str) -> datetime:
    text = (value or "").strip()
    if not text:
        return timezone.now()
    try:
        parsed = parse_datetime(text.replace(" ", "T", 1) if "T" not in text and " " in text else text)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            day = parse_date(text)
        except ValueError:
            day = None
        if day is None:
            raise ValidationFailed("开始时间格式无效，应为 ISO 8601，例如 2026-09-30T15:00:00+08:00",
                                   fields={"start": ["开始时间格式无效"]})
        parsed = datetime(day.year, day.month, day.day)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # read as Beijing time
    if not 1900 <= parsed.year <= 2200:
        raise ValidationFailed("开始时间超出可计算范围(1900–2200年)", fields={"start": ["超出范围"]})
    return parsed


def parse_days(value) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS or len(text) > 6:
        raise ValidationFailed(f"工作日数须为 1 到 {MAX_DAYS} 的整数", fields={"days": [f"须为 1–{MAX_DAYS} 的整数"]})
    return int(text)


def parse_unit(code: str):
    code = (code or "").strip()
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationFailed(f"单位编码「{code[:32]}」不存在", fields={"unit": ["单位不存在"]})
    return unit


class WorkingDaysAddApi(ApiView):
    """GET start + N working days → due instant, under the national calendar plus the unit's
    regional days off."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["工作日历"], summary="工作日计算器", operation_id="calendar_add_working_days",
        description="按《民法典》第二百零一条、第二百零三条计算：开始当日不计入，从次日起算，只计工作日"
                    "(含调休上班日，不含法定节假日)，期限截止于最后一个工作日的24:00。"
                    "超出已知年份的日期仅按周末推算，并以 calendar_known=false 标明。",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATETIME, required=False,
                             description="开始时间，ISO 8601(如 2026-09-30T15:00:00+08:00)；不带时区按北京时间；"
                                         "省略为当前时间"),
            OpenApiParameter("days", OpenApiTypes.INT, required=True, description=f"工作日数，1–{MAX_DAYS}"),
            OpenApiParameter("unit", OpenApiTypes.STR, required=False,
                             description="单位编码；给出时叠加该单位及其上级的地方性假日(如广西壮族三月三)"),
            LANG_PARAM,
        ],
        responses={200: WorkingDaysOutSerializer, **E400, **READ_ERRORS},
        examples=[OpenApiExample("国庆节前派发", response_only=True, value={
            "start": "2026-09-30T15:00:00+08:00", "days": 1, "due_at": "2026-10-09T00:00:00+08:00",
            "due_display": "2026-10-08 24:00", "calendar_known": True, "unit": None})],
    )
    def get(self, request):
        params = request.query_params
        errors: dict = {}
        messages: list[str] = []
        values = {}
        for name, parse in (("start", parse_start), ("days", parse_days), ("unit", parse_unit)):
            try:
                values[name] = parse(params.get(name, ""))
            except ValidationFailed as exc:
                errors.update(exc.fields)
                messages.append(exc.message)
        if errors:
            raise ValidationFailed("；".join(messages), fields=errors)
        return Response(working_days_add(start=values["start"], days=values["days"], unit=values["unit"]))
