from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS
from simple_history.models import HistoricalRecords


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("省公司")
    CITY = "city", _("地市公司")
    COUNTY = "county", _("县公司")
    STATION = "station", _("供电所")
    DEPARTMENT = "department", _("职能部门")
    DISCIPLINE = "discipline", _("纪检监察部门")


class RegionType(models.TextChoices):
    URBAN = "urban", _("城区")
    RURAL = "rural", _("农村")
    REMOTE = "remote", _("特殊边远")


class Unit(models.Model):
    """An organisation unit. `path` is a materialised path ("0001.0003.") so that
    "this unit and everything below it" is one indexed prefix query."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    region_type = models.CharField(_("地区类型"), max_length=8, choices=RegionType.choices,
                                   default=RegionType.URBAN)
    customer_count = models.PositiveIntegerField(_("客户数"), default=0)
    parent = models.ForeignKey("self", verbose_name=_("上级单位"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_supervision = models.BooleanField(_("督办部门"), default=False,
                                         help_text=_("客户服务中心/督办部门：其人员可见上级单位的全部工单"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="unit_path_prefix",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path segment is the primary key, so it needs one to exist first.
        if self.pk is None:
            self.path = ""
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        old_path = self.path
        parent_path = self.parent.path if self.parent_id else ""
        self.path = f"{parent_path}{self.pk:06d}."
        self.depth = self.path.count(".") - 1
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._move_descendants(old_path)

    def _move_descendants(self, old_path):
        from django.db.models import F, Value
        from django.db.models.functions import Concat, Substr

        shift = self.depth - (old_path.count(".") - 1)  # levels the subtree moved up or down
        Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(Value(self.path), Substr("path", len(old_path) + 1)), depth=F("depth") + shift)

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)

    def contains(self, other: "Unit | None") -> bool:
        return other is not None and other.path.startswith(self.path)


class Role(models.TextChoices):
    """Roles are Django groups named by these codes; their permissions are editable in the admin."""

    AGENT = "agent", _("坐席/客户代表")
    LEAD = "lead", _("受理班长")
    HANDLER = "handler", _("承办人员")
    UNIT_MANAGER = "unit_manager", _("单位负责人")
    SUPERVISOR = "supervisor", _("督办人员")
    DISCIPLINE = "discipline", _("纪检监察")
    VIEWER = "viewer", _("领导(只读)")
    ADMIN = "admin", _("系统管理员")


class User(AbstractUser):
    unit = models.ForeignKey(Unit, verbose_name=_("所属单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="users")
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    is_integration = models.BooleanField(
        _("集成账号"), default=False,
        help_text=_("供其他系统调用接口的账号：其接口令牌不过期。个人账号的令牌按业务参数 api_token_days 过期"))
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._loaded_integration = user.__dict__.get("is_integration")
        return user

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._password_set = True  # every path: own change, the admin's, a reset, manage.py changepassword

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from accounts.tokens import revoke_after_save

        revoke_after_save(self, password_set=getattr(self, "_password_set", False),
                          was_integration=getattr(self, "_loaded_integration", None))
        self._password_set, self._loaded_integration = False, self.is_integration

    @property
    def role_codes(self) -> frozenset[str]:
        from .grants import grants  # shared cache, no query on most requests

        return grants(self).roles

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds one of `roles`; an active superuser holds them all (as with has_perm)."""
        return (self.is_active and self.is_superuser) or bool(self.role_codes.intersection(roles))


class ApiTokenManager(AuthTokenManager):
    def get_queryset(self):
        # knox authenticates with .filter(token_key=…).select_related("user"): every API call then
        # has the user's unit too, which scoping reads at once.
        return super().get_queryset().select_related("user__unit__parent")


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only its SHA-512 digest and its first characters are stored.
    The digest is not the primary key here so that a token can be revoked by a short id."""

    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.token_key[:8]}…"

    @property
    def prefix(self) -> str:
        """What identifies the token to its owner (the first 8 characters), never enough to use it."""
        return self.token_key[:8]
