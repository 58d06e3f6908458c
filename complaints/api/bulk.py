"""POST /api/v1/tickets/bulk/: one action on several tickets, each through its service
(complaints.services.bulk), answering a result per ticket."""
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from complaints.actions import ACTIONS
from complaints.services.bulk import BULK_ACTIONS, MAX_BULK, tickets_bulk
from core.api import invalid_error
from core.api_base import LANG_PARAM, WRITE_ERRORS, ApiView
from core.errors import PermissionDenied, ValidationFailed

from .views import TAG_ACTIONS


class TicketBulkInSerializer(serializers.Serializer):
    action = serializers.ChoiceField(BULK_ACTIONS, help_text="dispatch 派发 / assign 指定承办人 / supervise 督办")
    numbers = serializers.ListField(child=serializers.CharField(max_length=20),  # 1–MAX_BULK: the service says so
                                    help_text=f"工单编号，1–{MAX_BULK} 张")
    versions = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False,
                                     help_text="工单编号 → 您看到的版本号(可选)：不一致的一张答复 stale")
    input = serializers.DictField(help_text="该动作的输入，与单张动作相同(不含 version)：dispatch {unit, note}；"
                                            "assign {handler}；supervise {kind, content, due_at}")


class TicketBulkResultSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="工单编号")
    result = serializers.ChoiceField(("done", "refused"), help_text="done 已办理 / refused 未办理")
    code = serializers.CharField(help_text="ok，或未办理的原因代码：not_found、stale、invalid_transition、invalid …")
    message = serializers.CharField(help_text="办理结果或未办理的原因")


class TicketBulkOutSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="已办理张数")
    refused = serializers.IntegerField(help_text="未办理张数")
    results = TicketBulkResultSerializer(many=True, help_text="与 numbers 一一对应(去重后)、顺序相同")


class TicketBulkApi(ApiView):
    @extend_schema(
        tags=[TAG_ACTIONS], summary="批量办理", operation_id="tickets_bulk",
        description=f"对 1–{MAX_BULK} 张工单执行同一动作(派发至同一单位、指定同一承办人、下发督办单)。"
                    "每张单独经该动作的服务办理(状态、权限、版本逐张检查)：一张未办理不影响其他张；"
                    "不存在或不在您可见范围内的工单答复 not_found。"
                    "动作、输入、张数或角色有误时整批答复 400 / 403，任何工单都不变。",
        parameters=[LANG_PARAM], request=TicketBulkInSerializer,
        examples=[OpenApiExample("派发", value={"action": "dispatch", "numbers": ["202501020000017", "202501020000018"],
                                                "input": {"unit": "GS-A1-1"}}, request_only=True)],
        responses={200: TicketBulkOutSerializer, **WRITE_ERRORS})
    def post(self, request):
        body = TicketBulkInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        action = body.validated_data["action"]
        declared = ACTIONS[action]
        if not request.user.has_perm(declared.permission):
            raise PermissionDenied(gettext("您的角色无权执行「%(action)s」") % {"action": declared.label})
        given = {k: v for k, v in body.validated_data["input"].items() if k != "version"}
        data_in = declared.serializer_class(data=given)
        try:
            data_in.is_valid(raise_exception=True)
        except exceptions.ValidationError as exc:
            error = invalid_error(exc.detail)
            raise ValidationFailed(error["message"], fields={"input": error.get("fields") or {}}) from None
        data = {k: v for k, v in data_in.validated_data.items() if k != "version"}
        results = tickets_bulk(actor=request.user, action=action, numbers=body.validated_data["numbers"],
                               data=data, versions=body.validated_data.get("versions") or {})
        done = sum(1 for r in results if r.done)
        return Response(TicketBulkOutSerializer({
            "done": done, "refused": len(results) - done,
            "results": [{"number": r.number, "result": "done" if r.done else "refused", "code": r.code,
                         "message": r.message} for r in results]}).data)
