"""Output serializers of the risk API (the ticket detail's `risk` block and the risk list)."""
from rest_framework import serializers

from .models import Level


class RiskFactorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="因素编码(如 chases、escalated)")
    label = serializers.CharField(help_text="因素说明(请求语言)")
    points = serializers.IntegerField(help_text="该因素加分")


class TicketRiskSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="风险分(各因素加分之和)")
    level = serializers.ChoiceField(Level.choices, help_text="风险等级：none / yellow / orange / red")
    level_label = serializers.CharField(help_text="风险等级(请求语言)")
    factors = RiskFactorSerializer(many=True, help_text="构成风险分的因素，加分多的在前")
