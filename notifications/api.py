"""The signed-in user's own notifications: list (newest first, with the unread count) and read."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api_base import E400, LANG_PARAM, READ_ERRORS, ApiView, check_id
from core.errors import NotFound
from notifications.models import Notification
from notifications.selectors import bell_counts
from notifications.services import notification_mark_read

TAG = "通知"
LIMIT = 50


class NotificationSerializer(serializers.ModelSerializer):
    ticket = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True,
                                          help_text="相关工单编号")
    read = serializers.SerializerMethodField(help_text="是否已读")
    needs_action = serializers.BooleanField(read_only=True, help_text="需要我处理(否则为供参考)；由通知类型决定")
    count = serializers.IntegerField(read_only=True, help_text="同一工单同类提醒的次数(重复的超时/预警提醒合并为一条)")
    last_at = serializers.DateTimeField(read_only=True, help_text="最近一次提醒的时间")

    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "ticket", "created_at", "last_at", "count", "read_at", "read",
                  "needs_action"]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationListApi(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], summary="我的通知", operation_id="notifications_list",
        description=f"当前用户自己的通知，最近提醒在前(最多 {LIMIT} 条)，并给出未读条数；"
                    "needs_action / for_information 为两类未读通知涉及的工单数(铃铛上的数字)。",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, required=False, description="只看未读"),
                    LANG_PARAM],
        responses={200: inline_serializer("NotificationList", {
            "unread": serializers.IntegerField(help_text="未读条数"),
            "needs_action": serializers.IntegerField(help_text="需要我处理：未读通知涉及的工单数"),
            "for_information": serializers.IntegerField(help_text="供参考：未读通知涉及的工单数"),
            "results": NotificationSerializer(many=True)}), **READ_ERRORS},
    )
    def get(self, request):
        own = Notification.objects.filter(user=request.user)
        rows = own.select_related("ticket").order_by("-last_at", "-id")
        if request.query_params.get("unread") in ("1", "true", "True"):
            rows = rows.filter(read_at__isnull=True)
        unread = own.filter(read_at__isnull=True).count()
        bell = bell_counts(request.user)
        return Response({"unread": unread, "needs_action": bell["action"], "for_information": bell["info"],
                         "results": NotificationSerializer(rows[:LIMIT], many=True).data})


class NotificationReadApi(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], summary="标记通知已读", operation_id="notifications_read", request=None,
        description="把自己的一条通知标记为已读；他人的通知与不存在的通知同样答复 404。",
        parameters=[LANG_PARAM],
        responses={200: inline_serializer("NotificationRead", {
            "id": serializers.IntegerField(), "unread": serializers.IntegerField(help_text="剩余未读条数")}),
            **E400, **READ_ERRORS},
    )
    def post(self, request, notification_id):
        pk = check_id(str(notification_id))
        if not notification_mark_read(user=request.user, notification_id=pk):
            raise NotFound("通知不存在")
        unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
        return Response({"id": pk, "unread": unread})
