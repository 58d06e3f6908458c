"""Security audit log: sign-ins, failed sign-ins and sign-outs go to the "security" logger.

Only the username, the client address and the outcome are logged — never a password (Django
already strips credentials it considers sensitive; we log none of them anyway)."""
import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.clientip import client_ip
from core.middleware import record_login_failure

log = logging.getLogger("security")
_MAX = 150  # an attacker may send a megabyte of "username"


def _ip(request) -> str:
    return (client_ip(request) if request is not None else None) or "-"


def _clean(value) -> str:
    text = str(value or "")[:_MAX]
    return "".join(ch if ch.isprintable() else "?" for ch in text)  # no forged log lines


@receiver(user_logged_in, dispatch_uid="security_login")
def on_login(sender, request, user, **kwargs):
    log.info("login ok user=%s id=%s ip=%s", _clean(user.get_username()), user.pk, _ip(request))


@receiver(user_login_failed, dispatch_uid="security_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") if isinstance(credentials, dict) else None
    record_login_failure(request)
    log.warning("login failed user=%s ip=%s path=%s", _clean(username), _ip(request),
                _clean(getattr(request, "path", "-")))


@receiver(user_logged_out, dispatch_uid="security_logout")
def on_logout(sender, request, user, **kwargs):
    name = user.get_username() if user is not None else "-"
    log.info("logout user=%s ip=%s", _clean(name), _ip(request))
