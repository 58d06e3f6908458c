"""/api/v1/ authentication and organisation endpoints."""
from django.urls import path

from accounts.api import MeApi, TokenListApi, TokenObtainApi, TokenRevokeApi, UnitListApi

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("auth/tokens/", TokenListApi.as_view(), name="api-tokens"),
    path("auth/tokens/<int:pk>/", TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("units/", UnitListApi.as_view(), name="api-units"),
]
