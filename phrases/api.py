"""/api/v1/phrases/?field=&ticket=: the phrases this user may pick for a field of a ticket in scope,
placeholders filled for that ticket."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from complaints.models import Ticket
from complaints.permissions import access_ticket
from core.api_base import LANG_PARAM, NUMBER_RE, READ_ERRORS, ApiView

from .models import Field
from .selectors import phrases_by_field

TAG = "常用语"


class PhraseQuerySerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=Field.choices, help_text="用于哪个填写项，如 reply_text、return_reason")
    ticket = serializers.RegexField(NUMBER_RE, help_text="工单编号：按该工单填入 {客户}、{工单号}、{期限}")


class PhraseSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="常用语编号")
    title = serializers.CharField(help_text="名称")
    text = serializers.CharField(help_text="内容(占位符已按工单填入)")


class PhraseListApi(ApiView):
    @extend_schema(tags=[TAG], summary="常用语", operation_id="phrases_list",
                   description="本单位及上级单位、全省通用的常用语，适用该工单分类或不限分类，按排序。",
                   parameters=[PhraseQuerySerializer, LANG_PARAM],
                   responses={200: PhraseSerializer(many=True), **READ_ERRORS})
    def get(self, request):
        params = PhraseQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        field = params.validated_data["field"]
        ticket = access_ticket(request.user, params.validated_data["ticket"],
                               queryset=Ticket.objects.select_related("category").prefetch_related("clocks"))
        phrases = phrases_by_field(request.user, ticket, [field]).get(field, [])
        return Response(PhraseSerializer(phrases, many=True).data)
