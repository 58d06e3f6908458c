"""Response headers every dynamic answer carries (static files are served before this runs).

- Permissions-Policy: the pages use no camera, microphone, location, payment or USB.
- Cache-Control: no-store (unless a view chose its own): ticket pages, the API and exports hold
  customers' data, which must not stay in a shared or browser cache.
- Vary: Cookie and Authorization on the API: the same URL answers differently per signed-in user.
"""
from django.utils.cache import add_never_cache_headers, patch_vary_headers

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        if request.path_info.startswith("/api/"):
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response
