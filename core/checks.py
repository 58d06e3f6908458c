"""Start-up checks: a configuration the application cannot honour stops it (every manage.py
command, so `runsystem` and `migrate` too) instead of running with the wrong client addresses."""
from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def trusted_proxy_count_check(app_configs=None, **kwargs):
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    errors = []
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 10:
        errors.append(Error(f"TRUSTED_PROXY_COUNT must be a whole number from 0 to 10, got {count!r}",
                            id="core.E001"))
        return errors
    if count:
        try:
            import ipware.ip  # noqa: F401
        except ImportError:
            errors.append(Error("TRUSTED_PROXY_COUNT is set but django-ipware is not installed", id="core.E002"))
    if settings.REST_FRAMEWORK.get("NUM_PROXIES") != count:
        errors.append(Error("REST_FRAMEWORK['NUM_PROXIES'] must equal TRUSTED_PROXY_COUNT: the API's throttles "
                            "would see other client addresses than the login lock", id="core.E003"))
    if getattr(settings, "AXES_CLIENT_IP_CALLABLE", None) != "core.clientip.client_ip":
        errors.append(Error("AXES_CLIENT_IP_CALLABLE must be core.clientip.client_ip", id="core.E004"))
    return errors


@register()
def libmagic_check(app_configs=None, **kwargs):
    from core import filecheck

    if filecheck.magic is None:
        return [Warning("libmagic is not installed (apt-get install libmagic1): uploads are recognised by their "
                        "first bytes only, then checked by structure as usual", id="core.W001")]
    return []
