"""Risk-score recomputation in bulk (issue 19 target: 100,000 open tickets ≤ 10 s).

Runs against the database of DATABASE_URL (PostgreSQL); it tops the open tickets up to --open with
`generate_tickets --days 3` (recent tickets are still open) unless there are enough, then times
`risk.services.risk_sweep` twice: the first run writes every score (cold), the second finds nothing
changed (warm: it still reads and scores every open ticket). Prints one JSON object.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt19 .venv/bin/python bench/bench_risk.py --open 100000
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=100_000, help="open tickets to score")
    args = parser.parse_args()
    from complaints.models import OPEN_STATUSES, Ticket
    from risk.models import TicketRisk
    from risk.services import risk_sweep

    call_command("migrate", verbosity=0)
    call_command("seed_reference", verbosity=0)
    open_now = Ticket.objects.filter(status__in=OPEN_STATUSES).count()
    while open_now < args.open:
        call_command("generate_tickets", count=int((args.open - open_now) * 1.3) + 1000, days=3, seed=open_now + 7,
                     verbosity=0)
        open_now = Ticket.objects.filter(status__in=OPEN_STATUSES).count()
    runs = []
    for label in ("cold", "warm"):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = risk_sweep()
            seconds = time.perf_counter() - started
        runs.append({"run": label, "seconds": round(seconds, 2), "queries": len(ctx), **result.counts()})
    levels = dict(TicketRisk.objects.values_list("level").annotate(n=django.db.models.Count("pk")))
    print(json.dumps({"open_tickets": open_now, "tickets": Ticket.objects.count(), "runs": runs, "levels": levels},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
