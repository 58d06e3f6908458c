"""Authentication and organisation endpoints: token, the current user, the unit tree."""
from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle

from accounts import tokens
from accounts.models import ApiToken, Role, Unit, UnitKind
from core.api import error_response
from core.api_base import E400, E429, LANG_PARAM, READ_ERRORS, ApiView, check_id
from core.errors import NotFound

TAG_AUTH, TAG_REFERENCE = "认证", "参考数据"


class TokenInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="登录名")
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"},
                                     help_text="密码")


class TokenOutSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="访问令牌(只此一次显示，系统只保存其摘要)；"
                                            "之后的请求带请求头 Authorization: Token <token>")
    expiry = serializers.DateTimeField(allow_null=True, help_text="令牌失效时间；集成账号的令牌为 null(不过期)")


class ApiTokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(read_only=True, help_text="令牌的前 8 位，用于辨认；不能用来访问")
    current = serializers.SerializerMethodField(help_text="是否为本次请求所用的令牌")

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created", "expiry", "current"]
        extra_kwargs = {"created": {"help_text": "签发时间"},
                        "expiry": {"help_text": "失效时间；null 表示不过期(集成账号)"}}

    def get_current(self, token) -> bool:
        return getattr(self.context["request"].auth, "pk", None) == token.pk


class UnitSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(UnitKind.choices, help_text="单位类型")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, help_text="单位类型名称")
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text="上级单位编码；根单位为 null")

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "kind_label", "parent", "depth", "region_type", "is_supervision"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="登录名")
    name = serializers.CharField(help_text="姓名")
    roles = serializers.ListField(child=serializers.ChoiceField(Role.choices), help_text="角色编码")
    role_labels = serializers.ListField(child=serializers.CharField(), help_text="角色名称")
    unit = inline_serializer("MeUnit", {"code": serializers.CharField(), "name": serializers.CharField()},
                             allow_null=True, help_text="所属单位")


class TokenObtainApi(ApiView):
    """POST username/password → token. Failed logins count for django-axes (authenticate with the
    request); the `login` throttle scope limits attempts per client address."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle, AnonRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        tags=[TAG_AUTH], summary="获取访问令牌", operation_id="auth_token_create", auth=[],
        description="用登录名和密码换取令牌。每次获取签发一个新令牌：个人账号的令牌在业务参数 api_token_days"
                    "(默认 30 天)后失效，管理员标记的集成账号的令牌不过期；修改密码或停用账号即吊销该用户的全部令牌。"
                    "本人可在 /api/v1/auth/tokens/ 查看和吊销自己的令牌，管理员在后台管理全部令牌。"
                    "登录失败次数过多会被锁定(429)；请求过于频繁答复 429 并带 Retry-After。",
        request=TokenInSerializer, parameters=[LANG_PARAM],
        examples=[OpenApiExample("督办人员", value={"username": "zhangsan", "password": "（您的密码）"},
                                 request_only=True)],
        responses={200: TokenOutSerializer, **E400, **E429})
    def post(self, request):
        serializer = TokenInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request, username=serializer.validated_data["username"],
                            password=serializer.validated_data["password"])
        if getattr(request, "axes_locked_out", False):
            seconds = int(float(settings.AXES_COOLOFF_TIME) * 3600)
            return error_response(429, "locked_out", "登录失败次数过多，账号已被暂时锁定，请稍后再试",
                                  headers={"Retry-After": str(seconds)})
        if user is None:
            return error_response(400, "invalid_credentials", "用户名或密码错误")
        instance, token = tokens.issue(user)
        return Response({"token": token, "expiry": instance.expiry}, status=status.HTTP_200_OK)


class TokenListApi(ApiView):
    @extend_schema(tags=[TAG_AUTH], summary="我的令牌", operation_id="auth_tokens_list", parameters=[LANG_PARAM],
                   description="当前用户仍有效的接口令牌(只显示前 8 位)，新签发的在前。",
                   responses={200: ApiTokenSerializer(many=True), **READ_ERRORS})
    def get(self, request):
        rows = tokens.live_tokens(request.user)
        return Response(ApiTokenSerializer(rows, many=True, context={"request": request}).data)


class TokenRevokeApi(ApiView):
    @extend_schema(tags=[TAG_AUTH], summary="吊销我的令牌", operation_id="auth_tokens_destroy",
                   parameters=[LANG_PARAM],
                   description="吊销当前用户自己的一个令牌(可以是本次请求所用的，即退出)；别人的令牌答复 404。",
                   responses={204: None, **READ_ERRORS})
    def delete(self, request, pk):
        if not tokens.revoke(request.user, check_id(str(pk))):
            raise NotFound("令牌不存在或已失效")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(ApiView):
    @extend_schema(tags=[TAG_AUTH], summary="当前用户", operation_id="me_retrieve", parameters=[LANG_PARAM],
                   description="当前用户的登录名、姓名、角色与所属单位。",
                   responses={200: MeSerializer, **READ_ERRORS})
    def get(self, request):
        user = request.user
        codes = sorted(user.role_codes) if hasattr(user, "role_codes") else []
        labels = dict(Role.choices)
        unit = {"code": user.unit.code, "name": user.unit.name} if getattr(user, "unit_id", None) else None
        return Response({"username": user.username, "name": user.get_full_name() or user.username,
                         "roles": [c for c in codes if c in labels],
                         "role_labels": [str(labels[c]) for c in codes if c in labels], "unit": unit})


class UnitListApi(ApiView):
    @extend_schema(tags=[TAG_REFERENCE], summary="单位", operation_id="units_list", parameters=[LANG_PARAM],
                   description="组织单位树(省公司、地市、县公司、供电所、职能部门)，按树形顺序。"
                               "派发时 unit 填单位编码。",
                   responses={200: UnitSerializer(many=True), **READ_ERRORS})
    def get(self, request):
        return Response(UnitSerializer(Unit.objects.select_related("parent").order_by("path"), many=True).data)


