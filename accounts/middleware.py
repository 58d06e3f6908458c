"""Sessions end after SESSION_COOKIE_AGE of inactivity. Activity renews the session at most once
a minute (not on every request, which would write the session row on every page view)."""
import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

RENEW_EVERY_SECONDS = 60


class SessionIdleRenewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get("_renewed", 0) >= RENEW_EVERY_SECONDS:
                session["_renewed"] = now  # marks it modified: saved, cookie and expiry renewed
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="session_renewed_at_login")
def _renewed_at_login(sender, request, user, **kwargs):
    # Signing in writes the session anyway: count it as the first renewal.
    if request is not None and hasattr(request, "session"):
        request.session["_renewed"] = int(time.time())
