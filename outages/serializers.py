"""The outage shapes other apps' API answers embed (the ticket intake answers the matched events).
Kept apart from outages.api so complaints.api can import them without a cycle."""
from rest_framework import serializers

from complaints.api.serializers import TicketDetailSerializer, label

from .models import OutageKind
from .selectors import active_events_for


class OutageBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="停电事件编号(/api/v1/outages/{id}/)")
    kind = serializers.ChoiceField(OutageKind.choices, help_text="停电类型")
    kind_label = label("kind", OutageKind)
    cause = serializers.CharField(help_text="停电原因")
    start_at = serializers.DateTimeField(help_text="停电开始时间")
    expected_restore_at = serializers.DateTimeField(allow_null=True, help_text="预计恢复时间")
    is_active = serializers.BooleanField(help_text="true 停电中；false 即将开始")


class TicketIntakeResultSerializer(TicketDetailSerializer):
    """What the intake answers: the ticket, and the outages covering the caller."""
    outages = OutageBriefSerializer(many=True, help_text="覆盖该客户服务区域或地址的停电中/即将停电事件"
                                                         "(可据此按停电咨询答复客户)")


def intake_outages(ticket) -> list[dict]:
    events = active_events_for(service_area=ticket.service_area_id, address=ticket.address, include_upcoming=True)
    return OutageBriefSerializer(events, many=True).data
