"""/api/v1/ authentication and organisation endpoints."""
from django.urls import path

from accounts.api import MeApi, TokenObtainApi, UnitListApi

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("units/", UnitListApi.as_view(), name="api-units"),
]
