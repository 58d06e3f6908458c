"""Sessions end after SESSION_COOKIE_AGE of inactivity. Activity renews the session at most once
a minute (not on every request, which would write the session row on every page view)."""
import time

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
