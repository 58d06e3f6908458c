"""What every API view of ours shares: `?lang=`, the error shape in the schema, request-parsing
failures turned into 400s, and the ticket number / id path checks (never a 500 for a path)."""
import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import APIView

from core.errors import NotFound

_LANGS = {code.lower(): code for code, _name in settings.LANGUAGES}
_LANG_ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh_cn": "zh-hans", "zh-hans": "zh-hans", "en": "en",
                 "en-us": "en", "en_us": "en"}
NUMBER_RE = re.compile(r"[0-9A-Za-z-]{1,20}")
MAX_ID = 2**31 - 1


class LanguageMixin:
    """`?lang=zh-hans|en` wins over Accept-Language (which LocaleMiddleware already applied)."""

    def initial(self, request, *args, **kwargs):
        lang = (request.query_params.get("lang") or "").strip().lower()
        code = _LANG_ALIASES.get(lang) or _LANGS.get(lang)
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        super().initial(request, *args, **kwargs)


class ApiView(LanguageMixin, APIView):
    """Base of every API class: an unauthenticated request answers 401 (not DRF's 403 when session
    authentication comes first), body-parsing failures (too large, too many fields) answer 400."""

    def get_authenticate_header(self, request):
        return 'Token realm="api"'

    def handle_exception(self, exc):
        if isinstance(exc, SuspiciousOperation):
            exc = exceptions.ParseError("请求内容过大或格式不正确")
        return super().handle_exception(exc)


def check_number(number: str) -> str:
    if not NUMBER_RE.fullmatch(number or ""):
        raise NotFound(translation.gettext("工单不存在或无权查看"))
    return number


def check_id(value: str) -> int:
    if not (value or "").isdigit() or len(value) > 10 or int(value) > MAX_ID:
        raise NotFound("资源不存在或无权查看")
    return int(value)


# --- schema pieces ------------------------------------------------------------------------

class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="机器可读的错误码，如 invalid、not_found、forbidden、stale、"
                                           "invalid_transition、throttled")
    message = serializers.CharField(help_text="中文错误说明，可直接展示给用户")
    fields = serializers.DictField(help_text="逐字段的错误(字段名 → 错误列表)；无字段错误时为空对象")


class ErrorSerializer(serializers.Serializer):
    """统一错误格式"""

    error = ErrorBodySerializer()


def _err(text):
    return OpenApiResponse(ErrorSerializer, description=text)


E400 = {400: _err("输入有误(类型错误、枚举值无效、超长、格式错误等)")}
E401 = {401: _err("未登录或令牌无效")}
E403 = {403: _err("当前角色无权执行此操作")}
E404 = {404: _err("工单不存在或无权查看(两种情况答复相同)")}
E409 = {409: _err("当前状态不允许此操作(invalid_transition)或工单已被他人修改(stale)")}
E415 = {415: _err("不支持的请求内容类型")}
E429 = {429: _err("请求过于频繁，请按 Retry-After 头等待后重试")}
READ_ERRORS = {**E401, **E404, **E429}
WRITE_ERRORS = {**E400, **E401, **E403, **E404, **E409, **E415, **E429}

LANG_PARAM = OpenApiParameter(
    "lang", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, enum=["zh-hans", "en"],
    description="标签(*_label)与错误信息的语言；不传时按 Accept-Language，默认简体中文")
NUMBER_PARAM = OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH,
                                description="工单编号，如 202611220000001", pattern=r"^[0-9A-Za-z-]{1,20}$")
