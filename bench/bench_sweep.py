"""SLA sweep benchmark (not a test): N open clocks in PostgreSQL, K of which cross a threshold.

    .venv/bin/python bench/bench_sweep.py --clocks 1000000 --crossing 1000

Uses a dedicated database `bench_sweep` on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/), creating and migrating it if missing. Tickets and clocks are
generated server-side (INSERT … SELECT generate_series, two clocks per open ticket, due 1–15 days
ahead) and kept between invocations when the count matches. The demo organisation and users exist
so a breach does its real work: ticket sla_state, notifications + outbox rows to handler, manager
and supervision office, and an automatic supervision order with its history row and timeline event.

Measured (median of --runs, the crossed clocks and everything the sweep created reset in between):
  none      — a sweep when nothing crossed;
  breach K  — K clocks whose due instant passed a minute ago;
  warning K — K clocks whose warning instant passed a minute ago.
Target: 1,000 crossing < 1 s; none crossing < 100 ms."""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench_sweep needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/db")
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            print(f"creating database {name}", flush=True)
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _prepare(clocks: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from accounts.demo import seed_org, seed_users
    from accounts.roles import ensure_roles
    from sla.seed import seed_calendar, seed_policies

    call_command("migrate", verbosity=0, interactive=False)
    ensure_roles()
    seed_policies()
    seed_calendar()
    units = seed_org()
    users = {u.username: u for u in seed_users(units)}
    unit, intake = units["GS-A1-1"], units["KF"]
    tickets = clocks // 2
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM sla_clock WHERE state IN ('running', 'warning')")
        have = cur.fetchone()[0]
        if have == tickets * 2:
            return {"unit": unit, "users": users, "generated": False}
        print(f"generating {tickets:,} open tickets and {tickets * 2:,} clocks …", flush=True)
        started = time.perf_counter()
        for table in ("notifications_notification", "notifications_outboxmessage",
                      "complaints_historicalsupervisionorder", "complaints_supervisionorder",
                      "complaints_ticketevent", "sla_clock", "complaints_ticket"):
            cur.execute(f"TRUNCATE {table} CASCADE")
        cur.execute("""
            INSERT INTO complaints_ticket (number, channel, kind, service_type, severity, received_at, logged_at,
                customer_name, customer_phone, account_no, address, description, mood, regulator_ref,
                intake_unit_id, unit_id, owner_unit_id, handler_id, status, version, is_repeat, is_escalated,
                onsite_required,
                redispatch_count, chase_count, callback_attempts, cause, measures, reply_text, callback_result,
                dispatched_at, updated_at, sla_state, next_due_at)
            SELECT 'B' || lpad(g::text, 12, '0'), '95598_phone', 'complaint', '', 'ordinary',
                   now() - interval '1 hour', now(), '压测', '13800000000', '', '', '压测工单', 'calm', '',
                   %s, %s, %s, %s, 'dispatched', 1, false, false, false, 0, 0, 0, '', '', '', '',
                   now() - interval '1 hour', now(), 'running',
                   now() + interval '1 day' + (g %% 1000) * interval '1 minute'
            FROM generate_series(1, %s) AS g""", [intake.pk, unit.pk, unit.pk, users["station_a"].pk, tickets])
        cur.execute("""
            INSERT INTO sla_clock (ticket_id, name, started_at, due_at, warn_at, state, calendar_known,
                                   extended_days)
            SELECT t.id, c.name, now() - interval '1 hour',
                   now() + c.days * interval '1 day' + (t.id % 20000) * interval '1 minute',
                   now() + c.days * interval '0.75 day' + (t.id % 20000) * interval '45 second',
                   'running', true, 0
            FROM complaints_ticket t
            CROSS JOIN (VALUES ('first_contact', 1), ('resolution', 4)) AS c(name, days)""")
        cur.execute("ANALYZE complaints_ticket")
        cur.execute("ANALYZE sla_clock")
        print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
    return {"unit": unit, "users": users, "generated": True}


def _reset(ids: list[int], *, kind: str) -> None:
    """Put the chosen clocks just past a threshold and remove what earlier sweeps created."""
    from django.db import connection

    with connection.cursor() as cur:
        for table in ("notifications_notification", "notifications_outboxmessage",
                      "complaints_historicalsupervisionorder", "complaints_supervisionorder",
                      "complaints_ticketevent"):
            cur.execute(f"DELETE FROM {table}")
        if kind == "breach":
            cur.execute("""UPDATE sla_clock SET state = 'running', warned_at = NULL, breached_at = NULL,
                           warn_at = now() - interval '2 minutes', due_at = now() - interval '1 minute'
                           WHERE id = ANY(%s)""", [ids])
        elif kind == "warning":
            cur.execute("""UPDATE sla_clock SET state = 'running', warned_at = NULL, breached_at = NULL,
                           warn_at = now() - interval '1 minute', due_at = now() + interval '1 day'
                           WHERE id = ANY(%s)""", [ids])
        else:  # park them far in the future again
            cur.execute("""UPDATE sla_clock SET state = 'running', warned_at = NULL, breached_at = NULL,
                           warn_at = now() + interval '3 days', due_at = now() + interval '4 days'
                           WHERE id = ANY(%s)""", [ids])
        cur.execute("UPDATE complaints_ticket SET sla_state = 'running' WHERE sla_state <> 'running'")


def _time_sweep(runs: int, ids: list[int], kind: str, chunk: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints.services.sweep import sweep_clocks

    times, queries, result = [], [], None
    for _ in range(runs):
        if kind != "none":
            _reset(ids, kind=kind)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = sweep_clocks(chunk=chunk)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx))
    return {"median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1), "queries": int(statistics.median(queries)),
            "last_result": result.as_dict() if result else None}


def _explain(now_sql: str = "now()") -> list[str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"""EXPLAIN SELECT id FROM sla_clock WHERE state IN ('running', 'warning')
                        AND due_at <= {now_sql} ORDER BY due_at LIMIT 500""")
        return [row[0] for row in cur.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clocks", type=int, default=1_000_000, help="open clocks (two per ticket)")
    parser.add_argument("--crossing", type=int, default=1000, help="clocks that cross a threshold")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (median reported)")
    parser.add_argument("--database", default="bench_sweep", help="dedicated database name")
    parser.add_argument("--chunk", type=int, default=1000, help="clocks per compare-and-set chunk")
    args = parser.parse_args()

    url = _database_url(args.database)
    _ensure_database(url)
    _setup_django(url)
    _prepare(args.clocks)

    from django.db import connection

    from complaints.services.sweep import sweep_clocks

    sweep_clocks()  # settle whatever crossed while generating
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM sla_clock WHERE state IN ('running', 'warning')")
        open_clocks = cur.fetchone()[0]
        cur.execute("SELECT id FROM sla_clock WHERE state = 'running' ORDER BY random() LIMIT %s", [args.crossing])
        ids = [row[0] for row in cur.fetchall()]

    report = {
        "open_clocks": open_clocks, "crossing": len(ids), "runs": args.runs, "chunk": args.chunk,
        "none": _time_sweep(args.runs, ids, "none", args.chunk),
        "breach": _time_sweep(args.runs, ids, "breach", args.chunk),
        "warning": _time_sweep(args.runs, ids, "warning", args.chunk),
        "plan": _explain(),
    }
    _reset(ids, kind="park")
    none_ok = report["none"]["median_ms"] < 100
    cross_ok = max(report["breach"]["median_ms"], report["warning"]["median_ms"]) < 1000
    print(f"\nSLA sweep over {open_clocks:,} open clocks (PostgreSQL, median of {args.runs}):")
    print(f"  nothing crossing : {report['none']['median_ms']:8.1f} ms  ({report['none']['queries']} queries)"
          f"  target < 100 ms  {'OK' if none_ok else 'MISSED'}")
    for kind in ("breach", "warning"):
        r = report[kind]
        print(f"  {len(ids):,} {kind:<8}   : {r['median_ms']:8.1f} ms  ({r['queries']} queries, "
              f"min {r['min_ms']}, max {r['max_ms']})  target < 1000 ms  {'OK' if r['median_ms'] < 1000 else 'MISSED'}"
              f"  → {r['last_result']}")
    print("  candidate query plan: " + " / ".join(line.strip() for line in report["plan"]))
    print(json.dumps(report, ensure_ascii=False))
    sys.exit(0 if none_ok and cross_ok else 1)


if __name__ == "__main__":
    main()
