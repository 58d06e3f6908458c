from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache

from config.celery import app
from core.context_processors import nav_entries
from core.models import Heartbeat
from sla.calendar import known_years


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def _cache_ok() -> bool:
    try:  # core.cache answers a dead Redis as a miss; a file cache on a full disk raises
        cache.set("healthz:probe", 1, 10)
        return cache.get("healthz:probe") == 1
    except Exception:
        return False


@never_cache
def healthz(request):
    """Liveness and readiness for operators and CI: database, broker, cache, beat, calendar years.
    503 when a part is down, naming it in `down`."""
    database = _database_ok()
    beat = Heartbeat.objects.filter(name="beat").values_list("at", flat=True).first() if database else None
    years = known_years() if database else []
    this_year = timezone.localdate().year
    body = {
        "database": database,
        "broker": _broker_ok(),
        "broker_url": settings.CELERY_BROKER_URL.split("://")[0],
        "cache": _cache_ok(),
        "last_beat": beat.isoformat() if beat else None,
        "beat_recent": bool(beat and timezone.now() - beat < timedelta(minutes=3)),
        "calendar": {"known_years": years, "current_year_known": this_year in years,
                     "next_year_known": this_year + 1 in years},
    }
    body["down"] = [part for part in ("database", "broker", "cache") if not body[part]]
    body["ok"] = not body["down"]
    return JsonResponse(body, status=200 if body["ok"] else 503)


def home(request):
    """Send each user to the page their role starts the day on."""
    if not request.user.is_authenticated:
        return redirect("login")
    for _label, url, roles in nav_entries():
        if roles and request.user.has_role(*roles):
            return redirect(url)
    return redirect("complaints:list")
