from django.urls import path

from . import api

urlpatterns = [
    path("outages/", api.OutageListApi.as_view(), name="api-outages"),
    path("outages/<str:pk>/", api.OutageDetailApi.as_view(), name="api-outage-detail"),
    path("outages/<str:pk>/restore/", api.OutageRestoreApi.as_view(), name="api-outage-restore"),
]
