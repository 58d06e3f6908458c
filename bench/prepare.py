"""Run inside Django against the bench database (called by bench/run.py): API tokens, URLs
resolved with reverse(), and sample inputs (ticket numbers of the handler's unit, a deep keyset
cursor, a phone number with a few tickets, text search terms). Prints one JSON object."""
import base64
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Unit, UnitKind, User  # noqa: E402
from accounts.tokens import issue  # noqa: E402
from complaints.permissions import ticket_scope  # noqa: E402
from core.models import Setting  # noqa: E402

HANDLER, AGENT, VIEWER = "station_a", "agent", "viewer"


def url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def main():
    rnd = random.Random(5)
    users = {u.username: u for u in User.objects.filter(username__in=[HANDLER, AGENT, VIEWER])}
    tokens = {name: issue(user)[1] for name, user in users.items()}
    # One agent drives every phone search of the bench: lift the per-person search limit (a business
    # setting, 60 a minute by default) in the bench database, as the API rate limit is lifted for it.
    Setting.objects.update_or_create(key="customer_search_per_minute", defaults={"value": 1_000_000})
    handler = users[HANDLER]
    scope = ticket_scope(handler)
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'complaints_ticket'")
        total = cur.fetchone()[0]
    unit_count = scope.count()
    # Deep page: the keyset cursor of the row half-way down the handler's list.
    offset = max(0, unit_count // 2)
    deep = scope.order_by("-received_at", "-id").values_list("received_at", "id")[offset:offset + 1]
    deep_cursor = None
    if deep:
        at, pk = deep[0]
        raw = f"n|{at.isoformat()}|{pk}".encode()
        deep_cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    ids = list(scope.order_by("-received_at").values_list("number", flat=True)[:5000])
    numbers = rnd.sample(ids, min(len(ids), 200))
    # Phones that come back 2–6 times (a caller with a few tickets).
    with connection.cursor() as cur:
        cur.execute("SELECT customer_phone FROM (SELECT customer_phone, COUNT(*) c FROM complaints_ticket "
                    "WHERE id > (SELECT MAX(id) - 200000 FROM complaints_ticket) AND customer_phone <> '' "
                    "GROUP BY 1) t WHERE c BETWEEN 2 AND 6 LIMIT 200")
        phones = [r[0] for r in cur.fetchall()]
    print(json.dumps({
        "tickets_total": total, "handler_unit_tickets": unit_count, "deep_offset": offset,
        "deep_cursor": deep_cursor, "numbers": numbers, "phones": phones, "tokens": tokens,
        "month": f"{timezone.localdate():%Y-%m}",
        "last_month": f"{timezone.localdate().replace(day=1) - timedelta(days=1):%Y-%m}",
        "county": Unit.objects.filter(kind=UnitKind.COUNTY).order_by("path").values_list("code", flat=True).first(),
        "text_common": "电压偏低", "text_rare": "变压器噪音扰民",
        "urls": {
            "login": url("login"), "healthz": url("healthz"), "list": url("complaints:list"),
            "my_work": url("complaints:my_work"), "dispatch_queue": url("complaints:dispatch_queue"),
            "detail": url("complaints:detail", "NUMBER"), "dashboard": url("reports:dashboard"),
            "bulletin": url("reports:bulletin"), "bulletin_xlsx": url("reports:bulletin_xlsx"),
            "api_tickets": url("api-tickets"), "api_batch": url("api-tickets-batch"),
            "api_detail": url("api-ticket-detail", "NUMBER"),
        },
    }))


if __name__ == "__main__":
    main()
