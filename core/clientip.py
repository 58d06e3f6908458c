"""The client's address, one answer for django-axes, the login throttle, the logs and DRF throttles.

TRUSTED_PROXY_COUNT is the number of reverse proxies in front of the application (0: none, clients
connect directly). With N proxies, each appending the address it saw to X-Forwarded-For, the client
is the N-th entry from the right; anything further left was written by the client and is ignored.
Without a proxy the header is not read at all, so a spoofed one changes nothing. django-ipware
(python-ipware's modern engine) reads the header; its proxy count counts the proxies *listed* in the
header, which is one fewer than those in front (the last one is REMOTE_ADDR).
"""
from django.conf import settings
from ipware.ip import get_client_ip


def client_ip(request) -> str | None:
    """None when the request carries no address at all (a test client's forced sign-in)."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    ip, _routable = get_client_ip(request, proxy_count=count - 1, request_header_order=["HTTP_X_FORWARDED_FOR"],
                                  strict=False)
    return ip or remote  # no (or too short a) header: the proxy's own request, e.g. a health check
