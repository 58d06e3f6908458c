"""Units (a tree) and users (one unit, roles as Django groups). Group permissions are edited in
Django's own group admin; locked-out logins are unlocked in django-axes' admin (访问尝试); API
tokens are listed and revoked (deleted) in 接口令牌 — a token is never shown there, only its prefix."""
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Role, Unit, User
from accounts.services import user_deactivate
from core.admin import ReadOnlyHistoryAdmin


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent", "region_type", "customer_count", "is_supervision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.only("name", "depth", "path")
        if self.instance.pk and self.instance.path:
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda u: "　" * u.depth + u.name

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        # A unit cannot move below itself: that would cut its subtree off the tree.
        if parent is not None and unit.pk is not None and (
                parent.pk == unit.pk or (unit.path and parent.path.startswith(unit.path))):
            raise forms.ValidationError("上级单位不能是本单位或其下级单位")
        return parent


class SubtreeFilter(admin.SimpleListFilter):
    """Show a company and everything below it."""

    title = _("所属单位(含下级)")
    parameter_name = "subtree"

    def lookups(self, request, model_admin):
        return [(u.pk, "　" * u.depth + u.name) for u in Unit.objects.filter(depth__lte=2).only("name", "depth")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = Unit.objects.filter(pk=self.value()).first()
        if unit is None:
            return queryset.none()
        prefix = "path__startswith" if queryset.model is Unit else "unit__path__startswith"
        return queryset.filter(**{prefix: unit.path})


@admin.register(Unit)
class UnitAdmin(ReadOnlyHistoryAdmin):
    form = UnitForm
    list_display = ["tree_name", "code", "kind", "region_type", "customer_count", "is_supervision"]
    list_filter = [SubtreeFilter, "kind", "region_type", "is_supervision"]
    search_fields = ["code", "name"]
    ordering = ["path"]
    list_per_page = 200

    @admin.display(description=_("名称"), ordering="path")
    def tree_name(self, obj):
        return format_html("{}{}", "　" * obj.depth + ("└ " if obj.depth else ""), obj.name)


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        try:
            return f"{Role(obj.name).label}({obj.name})"
        except ValueError:
            return obj.name


class _RolesMixin(forms.ModelForm):
    groups = RoleChoiceField(queryset=Group.objects.order_by("name"), required=False,
                             widget=forms.CheckboxSelectMultiple, label=_("角色"),
                             help_text=_("角色即权限组；各角色的权限在「认证和授权 › 组」中维护"))


class UserEditForm(_RolesMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class UserAddForm(_RolesMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "unit", "groups", "email", "phone"]


@admin.register(User)
class UserAdmin(ReadOnlyHistoryAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserAddForm
    list_display = ["username", "first_name", "unit", "roles", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_integration", "groups", SubtreeFilter]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    actions = ["deactivate"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("单位与角色"), {"fields": ("unit", "groups")}),
        (_("状态"), {"fields": ("is_active", "is_integration", "is_staff", "is_superuser", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "first_name", "unit", "groups", "email", "phone", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("角色"))
    def roles(self, obj):
        labels = []
        for group in obj.groups.all():
            try:
                labels.append(str(Role(group.name).label))
            except ValueError:
                labels.append(group.name)
        return "、".join(labels) or "—"

    @admin.action(description=_("停用所选账号(立即失去登录和接口访问)"))
    def deactivate(self, request, queryset):
        count = sum(user_deactivate(user=user, actor=request.user) for user in queryset)
        self.message_user(request, f"已停用 {count} 个账号")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone's live and expired tokens; deleting one revokes it. Tokens are issued only by
    signing in at /api/v1/auth/token/ (the string is shown once, to its owner)."""

    list_display = ["prefix", "user", "created", "expiry"]
    list_filter = ["user__is_integration", "created", "expiry"]
    search_fields = ["user__username", "user__first_name", "token_key"]
    list_select_related = ["user"]
    fields = ["user", "prefix", "created", "expiry"]
    readonly_fields = fields
    actions = ["delete_selected"]

    @admin.display(description=_("令牌前缀"))
    def prefix(self, obj):
        return obj.prefix

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
