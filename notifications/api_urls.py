from django.urls import path

from notifications.api import NotificationListApi, NotificationReadApi

urlpatterns = [
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<str:notification_id>/read/", NotificationReadApi.as_view(), name="api-notification-read"),
]
