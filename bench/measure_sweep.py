"""Run inside Django against the bench database (called by bench/run.py): time the SLA sweep
in-process. 'none crossing' = a sweep right after another one (nothing new to do); '1,000
crossing' = 1,000 active clocks moved so that their due instant passed a minute ago, then one
sweep (breaches them, refreshes the tickets, issues automatic supervision orders and notifies).
This changes those 1,000 clocks in the bench database, which is what a real sweep would do.
Prints one JSON object."""
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def main(crossing: int = 1000):
    try:
        from complaints.services.sweep import sweep_clocks
    except ImportError as exc:
        print(json.dumps({"error": f"complaints.services.sweep missing ({exc})"}))
        return
    from sla.models import Clock

    sweep_clocks()  # whatever crossed since the data was generated
    times, queries = [], []
    for _ in range(7):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            sweep_clocks()
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx))
    none = {"median_ms": statistics.median(times), "p95_ms": max(times), "queries": statistics.median(queries)}

    now = timezone.now()
    ids = list(Clock.objects.filter(state__in=["running", "warning"], completed_at__isnull=True)
               .order_by("-id").values_list("id", flat=True)[:crossing])
    Clock.objects.filter(id__in=ids).update(state="running", warn_at=now - timedelta(minutes=2),
                                            due_at=now - timedelta(minutes=1), warned_at=None, breached_at=None)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = sweep_clocks()
        elapsed = (time.perf_counter() - started) * 1000
    print(json.dumps({"none": none, "crossing": {"clocks": len(ids), "ms": elapsed, "queries": len(ctx),
                                                 "result": result.as_dict()}}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
