"""Hostile query strings and cursors answer 400, never 500.

BadInputMiddleware refuses, before any view runs, a query string holding a NUL or another control
character (PostgreSQL cannot take a NUL in a string; no filter means one). Views and selectors raise
`BadQuery` for a value they cannot honour (a forged cursor, a date outside the years the system
knows); the middleware turns it into the Chinese error page, and the API's exception handler into
the standard `{"error": …}` shape (it is a ValidationFailed).
"""
import re
from datetime import date, datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext

from core.errors import ValidationFailed
from core.middleware import plain_page

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DATE_VALIDATORS = [MinValueValidator(FIRST_DAY, message="日期须在 2000 年至 2100 年之间"),
                   MaxValueValidator(LAST_DAY, message="日期须在 2000 年至 2100 年之间")]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadQuery(ValidationFailed):
    def __init__(self, detail: str = "", *, field: str = ""):
        message = gettext("请求参数有误") + (f"：{detail}" if detail else "")
        super().__init__(message, fields={field: [detail or message]} if field else None)


def check_instant(value: datetime | None, field: str = "cursor") -> datetime:
    """A timestamp read from a cursor: aware, and within the years the system knows."""
    if value is None or value.tzinfo is None:
        raise BadQuery(gettext("分页游标无效"), field=field)
    try:
        day = value.astimezone().date()
    except (OverflowError, ValueError):
        raise BadQuery(gettext("分页游标无效"), field=field) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadQuery(gettext("分页游标无效"), field=field)
    return value


def bad_query_parameter(request) -> str | None:
    """The name of the first query parameter that holds a control character, if any."""
    for key, values in request.GET.lists():
        if _CONTROL.search(key) or any(_CONTROL.search(v) for v in values):
            return key
    return None


def bad_request(request, message: str, fields: dict | None = None):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": {"code": "invalid", "message": message, "fields": fields or {}}}, status=400)

    return HttpResponse(plain_page(gettext("请求参数有误"), message), status=400)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = bad_query_parameter(request)
        if name is not None:
            detail = gettext("参数 %(name)s 含有不允许的控制字符") % {"name": name[:50]}
            return bad_request(request, gettext("请求参数有误") + "：" + detail, {name[:50]: [detail]})
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadQuery):
            return bad_request(request, exception.message, exception.fields)
        return None
