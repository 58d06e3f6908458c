"""Shared bits of the complaint pages."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext


def require_perm(user, *perms: str) -> None:
    """Pages that only some roles use (the service checks again on every write)."""
    if not any(user.has_perm(p) for p in perms):
        raise DjangoPermissionDenied(gettext("您的角色无权访问此页面"))


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default
