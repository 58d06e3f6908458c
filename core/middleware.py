"""Two small guards around every request.

LoginThrottleMiddleware — django-axes locks a username only together with the address it is
attacked from (so nobody can lock an agent out from elsewhere; both read the address through
core.clientip, which honours TRUSTED_PROXY_COUNT). That leaves one address trying
many usernames; this middleware refuses sign-in POSTs from an address that has failed more than
LOGIN_IP_FAILURE_LIMIT times in LOGIN_IP_WINDOW_SECONDS. Only failures count, so a call centre
behind one NAT signing in at shift change is not throttled.

DatabaseErrorMiddleware — when the database connection drops mid-request (or is down before the
request's session or user could be read) the service's transaction has rolled back; the user gets
a clean 503 in Chinese (JSON under /api/) instead of a 500 page, and nothing half-written.
"""
import functools
import logging
import sys
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from core.clientip import client_ip

log = logging.getLogger("security")

LOGIN_URL_NAMES = ("login", "admin:login", "api-token", "api-login")


def _limit() -> int:
    return getattr(settings, "LOGIN_IP_FAILURE_LIMIT", 30)


def _window() -> int:
    return getattr(settings, "LOGIN_IP_WINDOW_SECONDS", 60)


def _key(ip: str) -> str:
    return f"login-fail:{ip}:{int(time.time()) // _window()}"


def record_login_failure(request) -> None:
    """Called for each failed sign-in (accounts.signals). A cache outage never breaks login."""
    if request is None:
        return
    key = _key(client_ip(request))
    try:
        cache.add(key, 0, timeout=_window() + 5)
        cache.incr(key)
    except Exception as exc:  # pragma: no cover - cache down
        log.warning("login failure counter unavailable: %s", exc)


def login_failures(ip: str) -> int:
    try:
        return int(cache.get(_key(ip)) or 0)
    except Exception:  # pragma: no cover - cache down: fail open, axes still applies
        return 0


@functools.cache
def _login_paths() -> frozenset[str]:
    paths = set()
    for name in LOGIN_URL_NAMES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            continue
    return frozenset(paths)


class LoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info in _login_paths():
            ip = client_ip(request)
            if login_failures(ip) >= _limit():
                log.warning("login throttled ip=%s path=%s", ip, request.path_info)
                return _throttled(request)
        return self.get_response(request)


def _throttled(request):
    message = "登录失败次数过多，请稍后再试"
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": {"code": "throttled", "message": message, "fields": {}}}, status=429,
                            headers={"Retry-After": str(_window())})
    return HttpResponse(plain_page("登录受限", message), status=429, headers={"Retry-After": str(_window())})


class DatabaseErrorMiddleware:
    """Outermost, so that it also covers the database reads and writes of the other middleware
    (the session behind a cookie, the signed-in user, the session save): Django turns an error there
    into a 500 response at that layer, and `_remember_database_error` marks the request for us."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exception = getattr(request, "_database_error", None)
        if exception is not None and response.status_code == 500:
            return unavailable(request, exception)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        return unavailable(request, exception)


DATABASE_ERRORS = (OperationalError, InterfaceError)


@receiver(got_request_exception, dispatch_uid="remember_database_error")
def _remember_database_error(sender, request=None, **kwargs):
    exception = sys.exc_info()[1]
    if request is not None and isinstance(exception, DATABASE_ERRORS):
        request._database_error = exception


def unavailable(request, exception):
    logging.getLogger("django.request").error("database unavailable: %s %s", request.method, request.path,
                                              exc_info=exception)
    message = "数据库暂时不可用，请稍后重试。本次操作未被保存，工单没有被修改。"
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": {"code": "unavailable", "message": message, "fields": {}}}, status=503,
                            headers={"Retry-After": "30"})
    return HttpResponse(plain_page("服务暂时不可用", message), status=503, headers={"Retry-After": "30"})


def plain_page(title: str, message: str) -> str:
    # Self-contained: no template context processors, which would query the database again.
    css = escape(settings.STATIC_URL + "vendor/bootstrap/bootstrap.min.css")
    return (f'<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<link rel="stylesheet" href="{css}"></head><body class="p-4"><main class="container">'
            f'<h1 class="h4">{escape(title)}</h1><p class="alert alert-warning">{escape(message)}</p>'
            '<p><a href="/">返回首页</a></p>'
            f"</main></body></html>")
