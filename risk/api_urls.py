from django.urls import path

from . import api

urlpatterns = [
    path("risk/", api.RiskListApi.as_view(), name="api-risk"),
    path("risk/follow-up/", api.RiskFollowUpApi.as_view(), name="api-risk-follow-up"),
    path("risk/sensitive/", api.SensitiveListApi.as_view(), name="api-risk-sensitive"),
    path("risk/sensitive/<str:pk>/remove/", api.SensitiveRemoveApi.as_view(), name="api-risk-sensitive-remove"),
    path("ledger/12398/", api.LedgerApi.as_view(), name="api-ledger-12398"),
]
