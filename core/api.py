"""One error shape for the whole API: {"error": {"code", "message", "fields"}}."""
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError

_CODES = {400: "invalid", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          406: "not_acceptable", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
          429: "throttled", 503: "unavailable"}


def error_response(status_code: int, code: str, message: str, fields: dict | None = None, headers=None):
    return Response({"error": {"code": code, "message": message, "fields": fields or {}}},
                    status=status_code, headers=headers)


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {k: [str(x) for x in v] if isinstance(v, list) else _flatten(v) if isinstance(v, dict) else [str(v)]
                for k, v in detail.items()}
    return {"non_field_errors": [str(x) for x in detail] if isinstance(detail, list) else [str(detail)]}


def invalid_error(detail) -> dict:
    """The error object for a serializer's errors (a ValidationError's detail)."""
    fields = _flatten(detail)
    first = next((v[0] for v in fields.values() if isinstance(v, list) and v), gettext("输入有误"))
    return {"code": "invalid", "message": gettext("输入有误：%(error)s") % {"error": first}, "fields": fields}


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return error_response(exc.status, exc.code, exc.message, exc.fields)
    if isinstance(exc, Http404):
        return error_response(404, "not_found", gettext("资源不存在或无权查看"))
    if isinstance(exc, DjangoPermissionDenied):
        return error_response(403, "forbidden", gettext("无权执行此操作"))
    if isinstance(exc, DatabaseError):
        return error_response(503, "unavailable", gettext("数据库暂时不可用，请稍后重试，数据未被修改"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        error = invalid_error(exc.detail)
        return error_response(400, error["code"], error["message"], error["fields"], headers=_headers(response))
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = _CODES.get(response.status_code, getattr(exc, "default_code", "error"))
    message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
    return error_response(response.status_code, code, message, headers=_headers(response))


def _headers(response):
    return {k: v for k, v in response.items() if k in ("Retry-After", "WWW-Authenticate", "Allow")}


class DocsPermission(permissions.BasePermission):
    """The OpenAPI schema and Swagger UI: for signed-in users, or anyone when API_DOCS_PUBLIC is set."""

    def has_permission(self, request, view):
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)
