"""What a user may do — role codes and permission codes — kept in the shared cache.

Every page and API call asks for them (menus, action lists, service checks), but they change only
when an administrator edits a role's permissions or a user's roles. Such an edit replaces the
generation token, which retires every cached entry at once (see `retire_all` and its signals).
One cache round trip per request replaces three queries.
"""
from uuid import uuid4

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.cache import on_recovery

GENERATION_KEY = "grants:generation"
ENTRY_SECONDS = 3600


class Grants(tuple):
    """(roles, permissions): frozensets of group names and "app_label.codename" strings."""

    @property
    def roles(self) -> frozenset[str]:
        return self[0]

    @property
    def permissions(self) -> frozenset[str]:
        return self[1]


def grants(user) -> Grants:
    """The user's roles and permissions, from the cache when the entry is of the current generation;
    kept on the user object for the rest of the request."""
    found = getattr(user, "_grants", None)
    if found is not None:
        return found
    key = f"grants:{user.pk}"
    cached = cache.get_many([GENERATION_KEY, key])
    generation, entry = cached.get(GENERATION_KEY), cached.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        found = Grants(entry[1:])
    else:
        if generation is None:
            cache.add(GENERATION_KEY, uuid4().hex, None)
            generation = cache.get(GENERATION_KEY)
        found = Grants(_load(user))
        cache.set(key, (generation, *found), ENTRY_SECONDS)
    user._grants = found
    return found


def _load(user) -> tuple[frozenset[str], frozenset[str]]:
    roles = frozenset(user.groups.values_list("name", flat=True))
    permissions = frozenset(
        f"{app}.{codename}" for app, codename in
        Permission.objects.filter(Q(user=user) | Q(group__user=user))
        .values_list("content_type__app_label", "codename").distinct())
    return roles, permissions


@on_recovery
def _retire_after_outage() -> None:
    """An edit made while the cache was down could not retire the entries cached before it."""
    cache.set(GENERATION_KEY, uuid4().hex, None)


def retire_all(**_kwargs) -> None:
    """Retire every cached entry now, and again when the edit commits: a request that reads the
    database between the two would otherwise cache what the edit is replacing."""
    cache.set(GENERATION_KEY, uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid4().hex, None))


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend with its permission set read through `grants`, and the signed-in user
    loaded with their unit (every page scopes by it)."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("unit", "unit__parent").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return grants(user_obj).permissions


def _edits_grants(sender) -> bool:
    user = get_user_model()
    return sender in (user.groups.through, user.user_permissions.through, Group.permissions.through)


@receiver(m2m_changed, dispatch_uid="grants_m2m")
def _on_m2m(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and _edits_grants(sender):
        retire_all()


@receiver(post_save, sender=Group, dispatch_uid="grants_group_saved")
@receiver(post_delete, sender=Group, dispatch_uid="grants_group_deleted")
@receiver(post_save, sender=Permission, dispatch_uid="grants_permission_saved")
@receiver(post_delete, sender=Permission, dispatch_uid="grants_permission_deleted")
def _on_change(sender, **kwargs):
    retire_all()
