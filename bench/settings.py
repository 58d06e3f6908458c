"""Bench-only settings: the production settings plus a middleware that reports the server time and
the number of SQL queries of each request (X-Server-Time in ms, X-Query-Count), and plain-HTTP
cookies because the bench talks to gunicorn over loopback without TLS.

Used only by bench/run.py (DJANGO_SETTINGS_MODULE=bench.settings); never in deployment."""
import os

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE

if os.environ.get("BENCH_QUERY_COUNT") == "1":
    # Outermost, so the time and the queries of every other middleware are included.
    MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

# Loopback without TLS: no redirect to https and cookies that are sent over http.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
