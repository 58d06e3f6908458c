"""Risk-score recomputation in bulk (issue 19 target: 100,000 open tickets ≤ 10 s).

Runs against the database of DATABASE_URL (PostgreSQL); it tops the open tickets up to --open with
`bench.generate` over 3 days (recent tickets are still open) unless there are enough, then times
`risk.services.risk_sweep` three times: "first" with no score stored yet (every row written and every
red ticket's 投诉风险预警单 issued, as on the first sweep after the risk app is installed), "routine"
with nothing changed (it still reads and scores every open ticket: the every-10-minutes case), and
"all_change" after every stored score was moved by +1000 in the database (every row rewritten, no
new warning). Prints one JSON object.

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
    from bench.generate import generate
    from complaints.models import OPEN_STATUSES, Ticket
    from risk.models import TicketRisk
    from risk.services import risk_sweep

    call_command("migrate", verbosity=0)
    call_command("seed_reference", verbosity=0)
    open_now = Ticket.objects.filter(status__in=OPEN_STATUSES).count()
    while open_now < args.open:
        generate(int((args.open - open_now) * 1.3) + 1000, days=3, seed=open_now + 7, log=lambda line: None)
        open_now = Ticket.objects.filter(status__in=OPEN_STATUSES).count()
    TicketRisk.objects.all().delete()
    runs = []
    for label in ("first", "routine", "all_change"):
        if label == "all_change":
            TicketRisk.objects.update(score=django.db.models.F("score") + 1000)
        with CaptureQueriesContext(connection) as ctx:
            started, cpu = time.perf_counter(), time.process_time()
            result = risk_sweep()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        # On a shared machine the wall time moves with the other processes' load: the Python
        # process's CPU time and the statements' time (as Django measured them) say where it went.
        sql = sum(float(q["time"]) for q in ctx.captured_queries)
        runs.append({"run": label, "seconds": round(seconds, 2), "python_cpu_s": round(cpu, 2), "sql_s": round(sql, 2),
                     "queries": len(ctx), **result.counts()})
    levels = dict(TicketRisk.objects.values_list("level").annotate(n=django.db.models.Count("pk")))
    print(json.dumps({"open_tickets": open_now, "tickets": Ticket.objects.count(), "load_average": os.getloadavg()[0],
                      "runs": runs, "levels": levels},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
