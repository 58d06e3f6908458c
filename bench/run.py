"""The speed bench: one command, e.g. `.venv/bin/python bench/run.py --n 100000`.

1. PostgreSQL database `bench_complaints` (created if missing): migrate, seed_reference, then
   bench.generate up to N tickets, which also creates the demo organisation and users
   (accounts.demo) and a province of 100+ units (an existing database already at N is reused).
2. gunicorn, 2 sync workers, config.wsgi with DJANGO_SETTINGS_MODULE=bench.settings,
   DJANGO_DEBUG=0, BENCH_QUERY_COUNT=1 (the server reports X-Server-Time / X-Query-Count).
3. Sequential requests over loopback after warm-up (default 10 + 50 per operation): median and
   p95 server time, SQL queries; intake throughput with concurrent clients; the SLA sweep in-process.
4. django-helpdesk side by side (--helpdesk, default on): see bench/helpdesk.py.
5. Prints one markdown table and writes bench/results/<YYYY-MM-DD>-N<n>.md.
"""
import argparse
import datetime as dt
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PY = str(BIN / "python")
PG_BASE = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/")
DB_NAME = "bench_complaints"
PASSWORD = "Demo@12345"

# (key, label, target text)
TARGETS = {
    "intake": "≤ 15 ms, p95 ≤ 40 ms, ≤ 12 q",
    "throughput": "≥ 300 /s",
    "throughput_batch": "≥ 300 /s",
    "dashboard_county": "≤ 200 ms",
    "bulletin": "≤ 2,000 ms",
    "bulletin_xlsx": "≤ 2,000 ms",
    "queue_first": "≤ 60 ms, ≤ 10 q",
    "queue_deep": "≤ 100 ms, ≤ 10 q",
    "my_work": "≤ 60 ms, ≤ 10 q",
    "api_first": "≤ 60 ms, ≤ 10 q",
    "api_deep": "≤ 100 ms, ≤ 10 q",
    "detail": "≤ 40 ms, ≤ 15 q",
    "api_detail": "≤ 40 ms, ≤ 15 q",
    "search_phone": "≤ 50 ms",
    "api_search_phone": "≤ 50 ms",
    "search_text": "≤ 300 ms",
    "search_text_rare": "≤ 300 ms",
    "api_search_text": "≤ 300 ms",
    "dashboard": "≤ 300 ms",
    "sweep_1000": "≤ 1,000 ms",
    "sweep_none": "≤ 100 ms",
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --- database -------------------------------------------------------------------------------

def pg_connect(dbname: str):
    import psycopg2

    conn = psycopg2.connect(PG_BASE + dbname)
    conn.autocommit = True
    return conn


def ensure_database(name: str) -> bool:
    conn = pg_connect("postgres")
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cur.fetchone() is not None
        if not exists:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return not exists


def count_tickets(name: str, table: str = "complaints_ticket") -> int:
    conn = pg_connect(name)
    with conn.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        n = cur.fetchone()[0]
    conn.close()
    return n


def maintain(name: str, command: str) -> None:
    """VACUUM ANALYZE after a load: until the visibility map is set, index-only scans read the heap
    and counts and reports ran up to 2x slower on the first run after a load (2026-12-03).
    ANALYZE before reusing a database: an earlier run's sweep left ~1,000 new supervision orders,
    and planning on the old statistics made my-work's "unanswered order" check scan all open
    orders per row (17 ms, not 1)."""
    t0 = time.monotonic()
    conn = pg_connect(name)
    with conn.cursor() as cur:
        cur.execute(command)
    conn.close()
    log(f"{command} {time.monotonic() - t0:.0f} s")


def app_env(**extra) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": PG_BASE + DB_NAME,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCH_QUERY_COUNT": "1",
        # as deployed: Redis for cache/throttling/Celery broker (tasks are queued, no worker runs)
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        # one user drives the throughput test: lift the per-user API rate limit for the bench
        "API_RATE_USER": "1000000/min",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    })
    env.update(extra)
    return env


def manage(*args: str, env: dict) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_data(n: int, env: dict) -> None:
    created = ensure_database(DB_NAME)
    log(f"database {DB_NAME} {'created' if created else 'exists'}")
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("seed_reference", env=env)
    # The demo organisation and users (accounts.demo) are created by bench.generate, with the
    # extra cities/counties/stations; seed_demo's demo tickets are not needed here.
    have = count_tickets(DB_NAME)
    if have < n:
        log(f"{have:,} tickets; generating {n - have:,}")
        subprocess.run([PY, "-m", "bench.generate", "--count", str(n - have)], cwd=ROOT, env=env, check=True)
        maintain(DB_NAME, "VACUUM ANALYZE")
    elif have > n * 1.05:
        raise SystemExit(f"{DB_NAME} holds {have:,} tickets, more than N = {n:,}: pass --db <another name> "
                         f"(e.g. --db bench_complaints_{n // 1000}k) to bench a smaller N")
    else:
        log(f"{have:,} tickets already (≥ {n:,}): reused")
        maintain(DB_NAME, "ANALYZE")


# --- server ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(module: str, env: dict, cwd: Path, gunicorn: str, workers: int = 2):
    port = free_port()
    proc = subprocess.Popen(
        [gunicorn, module, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "300",
         "--log-level", "warning"], cwd=cwd, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            requests.get(base + "/", timeout=60, allow_redirects=False)
            return proc, base
        except requests.RequestException:
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError("gunicorn did not start")


def stop(proc) -> None:
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def login(base: str, login_url: str, username: str, password: str = PASSWORD,
          field_user: str = "username") -> requests.Session:
    s = requests.Session()
    page = s.get(base + login_url)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match:
        raise RuntimeError(f"no CSRF token on {login_url} ({page.status_code})")
    resp = s.post(base + login_url, data={field_user: username, "password": password,
                                          "csrfmiddlewaretoken": match.group(1)},
                  headers={"Referer": base + login_url}, allow_redirects=False)
    if resp.status_code not in (302, 303):
        raise RuntimeError(f"login as {username} failed: HTTP {resp.status_code}")
    return s


# --- measuring ------------------------------------------------------------------------------

def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def measure(session, method: str, url_fn, *, warmup: int, n: int, body_fn=None, ok=(200,), headers=None):
    """Sequential requests; returns a result dict (server time from X-Server-Time when present,
    else client time)."""
    server, client, queries, statuses = [], [], [], []
    for i in range(warmup + n):
        url = url_fn(i)
        started = time.perf_counter()
        resp = session.request(method, url, json=body_fn(i) if body_fn else None, headers=headers,
                               allow_redirects=False, timeout=300)
        elapsed = (time.perf_counter() - started) * 1000
        statuses.append(resp.status_code)
        if i < warmup:
            if i == 0 and resp.status_code == 404 and "/api/" in url:
                return {"na": "n/a (endpoint missing)"}
            continue
        client.append(elapsed)
        server.append(float(resp.headers.get("X-Server-Time", elapsed)))
        if "X-Query-Count" in resp.headers:
            queries.append(int(resp.headers["X-Query-Count"]))
    bad = [s for s in statuses if s not in ok]
    result = {"median": statistics.median(server), "p95": p95(server), "client_median": statistics.median(client),
              "queries": statistics.median(queries) if queries else None,
              "queries_max": max(queries) if queries else None, "n": n}
    if bad:
        result["errors"] = f"{len(bad)} × HTTP {sorted(set(bad))}"
        if len(bad) == len(statuses):
            result["na"] = f"n/a (HTTP {sorted(set(bad))})"
    return result


BATCH = 50  # tickets per POST /api/v1/tickets/batch/ in the batch throughput test


def throughput(make_session, url: str, body_fn, *, clients: int, seconds: float, ok=(201,), created=lambda r: 1):
    counts, errors = [0] * clients, [0] * clients
    stop_at = [0.0]

    def worker(k):
        s = make_session()
        i = 0
        while time.perf_counter() < stop_at[0]:
            i += 1
            try:
                r = s.post(url, json=body_fn(k * 1_000_000 + i), allow_redirects=False, timeout=60)
                if r.status_code in ok:
                    counts[k] += created(r)
                else:
                    errors[k] += 1
            except requests.RequestException:
                errors[k] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    stop_at[0] = started + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"rate": sum(counts) / elapsed, "created": sum(counts), "errors": sum(errors), "seconds": elapsed,
            "clients": clients}


# --- our system -----------------------------------------------------------------------------

def intake_body(phones):
    def body(i):
        phone = phones[i % len(phones)] if phones and i % 3 == 0 else f"139{uuid.uuid4().int % 10**8:08d}"
        return {"channel": "95598_phone", "kind": "complaint", "category": "YW02",
                "customer": {"name": "压测客户", "phone": phone, "address": "临江一县城关幸福村"},
                "description": f"客户来电反映电压偏低，空调无法启动，要求尽快处理。压测 {i}"}
    return body


def bench_ours(args, env) -> dict:
    info = json.loads(subprocess.run([PY, str(ROOT / "bench" / "prepare.py")], cwd=ROOT, env=env, check=True,
                                     capture_output=True, text=True).stdout.strip().splitlines()[-1])
    urls, tokens = info["urls"], info["tokens"]
    log(f"{info['tickets_total']:,} tickets; station_a sees {info['handler_unit_tickets']:,}")
    proc, base = start_gunicorn("config.wsgi", env, ROOT, str(BIN / "gunicorn"))
    results: dict = {"info": {k: info[k] for k in ("tickets_total", "handler_unit_tickets", "deep_offset")}}
    w, n = args.warmup, args.requests
    try:
        handler = login(base, urls["login"], "station_a")
        agent = login(base, urls["login"], "agent")
        viewer = login(base, urls["login"], "viewer")

        def api(token):
            s = requests.Session()
            s.headers["Authorization"] = f"Token {token}"
            return s

        api_agent, api_handler = api(tokens["agent"]), api(tokens["station_a"])
        numbers = info["numbers"] or ["missing"]
        phones = info["phones"] or ["13800138000"]
        R = results
        if urls.get("healthz"):
            R["baseline"] = measure(handler, "GET", lambda i: base + urls["healthz"], warmup=w, n=n)
        log("intake POST")
        R["intake"] = measure(api_agent, "POST", lambda i: base + urls["api_tickets"], warmup=w, n=n,
                              body_fn=intake_body(phones), ok=(201,))
        log("lists")
        R["queue_first"] = measure(handler, "GET", lambda i: base + urls["list"], warmup=w, n=n)
        if info["deep_cursor"]:
            R["queue_deep"] = measure(handler, "GET", lambda i: f"{base}{urls['list']}?cursor={info['deep_cursor']}",
                                      warmup=w, n=n)
        if urls["my_work"]:
            R["my_work"] = measure(handler, "GET", lambda i: base + urls["my_work"], warmup=w, n=n)
        if urls.get("dispatch_queue"):
            lead = login(base, urls["login"], "lead")
            R["dispatch_queue"] = measure(lead, "GET", lambda i: base + urls["dispatch_queue"], warmup=w, n=n)
        R["api_first"] = measure(api_handler, "GET", lambda i: base + urls["api_tickets"], warmup=w, n=n)
        if "na" not in R["api_first"]:
            # follow `next` links to a page deep in the list
            url, pages = base + urls["api_tickets"], 0
            while pages < args.api_pages:
                body = api_handler.get(url).json()
                if not body.get("next"):
                    break
                url, pages = body["next"], pages + 1
            R["api_deep"] = measure(api_handler, "GET", lambda i: url, warmup=w, n=n)
            R["api_deep"]["note"] = f"page {pages + 1}"
        log("ticket page")
        R["detail"] = measure(handler, "GET",
                              lambda i: base + urls["detail"].replace("NUMBER", numbers[i % len(numbers)]),
                              warmup=w, n=n)
        R["api_detail"] = measure(api_handler, "GET",
                                  lambda i: base + urls["api_detail"].replace("NUMBER", numbers[i % len(numbers)]),
                                  warmup=w, n=n)
        log("search")
        R["search_phone"] = measure(agent, "GET", lambda i: f"{base}{urls['list']}?q={phones[i % len(phones)]}",
                                    warmup=w, n=n)
        R["api_search_phone"] = measure(api_agent, "GET",
                                        lambda i: f"{base}{urls['api_tickets']}?q={phones[i % len(phones)]}",
                                        warmup=w, n=n)
        R["search_text"] = measure(agent, "GET", lambda i: f"{base}{urls['list']}?q={info['text_common']}",
                                   warmup=w, n=n)
        R["search_text_rare"] = measure(agent, "GET", lambda i: f"{base}{urls['list']}?q={info['text_rare']}",
                                        warmup=w, n=n)
        R["api_search_text"] = measure(api_agent, "GET",
                                       lambda i: f"{base}{urls['api_tickets']}?q={info['text_common']}",
                                       warmup=w, n=n)
        log("dashboard")
        R["dashboard"] = measure(viewer, "GET", lambda i: f"{base}{urls['dashboard']}?month={info['month']}",
                                 warmup=min(w, 3), n=max(5, n // 5))
        if info.get("county"):
            R["dashboard_county"] = measure(
                viewer, "GET", lambda i: f"{base}{urls['dashboard']}?month={info['month']}&unit={info['county']}",
                warmup=min(w, 3), n=max(5, n // 5))
        log("bulletin (last full month, whole province; the first request is cold)")
        for key, name in (("bulletin", "bulletin"), ("bulletin_xlsx", "bulletin_xlsx")):
            R[key] = measure(viewer, "GET", lambda i, name=name: f"{base}{urls[name]}?month={info['last_month']}",
                             warmup=0, n=3)
        log(f"intake throughput: {args.clients} clients × {args.seconds:.0f} s")
        R["throughput"] = throughput(lambda: api(tokens["agent"]), base + urls["api_tickets"], intake_body(phones),
                                     clients=args.clients, seconds=args.seconds)
        if urls.get("api_batch"):
            log(f"batch intake throughput: {args.clients} clients × {args.seconds:.0f} s, {BATCH} per request")
            one = intake_body(phones)
            R["throughput_batch"] = throughput(
                lambda: api(tokens["agent"]), base + urls["api_batch"],
                lambda i: {"tickets": [one(i * BATCH + j) for j in range(BATCH)]},
                clients=args.clients, seconds=args.seconds, ok=(200,), created=lambda r: r.json()["created"])
    finally:
        stop(proc)
    log("SLA sweep (in-process)")
    out = subprocess.run([PY, str(ROOT / "bench" / "measure_sweep.py")], cwd=ROOT, env=env, capture_output=True,
                         text=True)
    try:
        sweep = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        sweep = {"error": (out.stderr or "no output").strip().splitlines()[-1][:200]}
    if "error" in sweep:
        results["sweep_none"] = results["sweep_1000"] = {"na": f"n/a ({sweep['error']})"}
    else:
        none = sweep["none"]
        results["sweep_none"] = {"median": none["median_ms"], "p95": none["p95_ms"], "queries": none["queries"]}
        c = sweep["crossing"]
        results["sweep_1000"] = {"median": c["ms"], "p95": c["ms"], "queries": c["queries"],
                                 "note": f"{c['clocks']} clocks: {c['result']}"}
    return results


# --- report ---------------------------------------------------------------------------------

ROWS = [
    ("baseline", "baseline: /healthz (no ticket work; shows the machine's overhead)", None),
    ("intake", "intake POST /api/v1/tickets/ (clocks, history, timeline)", "create"),
    ("throughput", "intake throughput, concurrent clients, one ticket per POST", "create_throughput"),
    ("throughput_batch", f"intake throughput, concurrent clients, batch API ({BATCH} per POST)", None),
    ("queue_first", "unit queue (station_a, /tickets/), first page", "list_first"),
    ("queue_deep", "unit queue, page deep in the list (keyset cursor)", "list_deep"),
    ("my_work", "unit work list /queue/my-work/ (open, nearest due)", None),
    ("dispatch_queue", "dispatch queue /queue/dispatch/ (lead, whole backlog, majors pinned)", None),
    ("api_first", "API ticket list, first page", "api_list"),
    ("api_deep", "API ticket list, deep page (followed `next`)", None),
    ("detail", "ticket page /tickets/<number>/", "detail"),
    ("api_detail", "API ticket detail", None),
    ("search_phone", "search by phone (list page ?q=)", "search_phone"),
    ("api_search_phone", "search by phone (API ?q=)", None),
    ("search_text", "search by text, common phrase (list page)", "search_text"),
    ("search_text_rare", "search by text, rare phrase (list page)", None),
    ("api_search_text", "search by text (API ?q=)", None),
    ("dashboard", "dashboard, one month, whole province (viewer)", "dashboard"),
    ("dashboard_county", "dashboard, one month, one county (viewer, ?unit=)", None),
    ("bulletin", "monthly bulletin page, last full month, whole province (3 requests, first cold)", None),
    ("bulletin_xlsx", "monthly bulletin Excel, same month (3 requests)", None),
    ("sweep_1000", "SLA sweep, 1,000 clocks crossing (in-process)", "escalate"),
    ("sweep_none", "SLA sweep, none crossing (in-process)", None),
]


def fmt_ms(v):
    return "—" if v is None else (f"{v:,.1f}" if v < 100 else f"{v:,.0f}")


def cell(r):
    if r is None:
        return "not run", "", ""
    if "na" in r:
        return r["na"], "", ""
    if "rate" in r:
        return f"{r['rate']:,.0f} tickets/s", f"{r['created']:,} in {r['seconds']:.0f} s, {r['clients']} clients" + (
            f", {r['errors']} errors" if r["errors"] else ""), ""
    q = "" if r.get("queries") is None else f"{r['queries']:g}" + (
        f" (max {r['queries_max']})" if r.get("queries_max") not in (None, r["queries"]) else "")
    extra = "; ".join(x for x in (r.get("note", ""), r.get("errors", "")) if x)
    return f"{fmt_ms(r['median'])} / {fmt_ms(r['p95'])}" + (f" — {extra}" if extra else ""), q, ""


def render(n: int, ours: dict, theirs: dict | None, meta: dict) -> str:
    lines = [f"# Bench N = {n:,} — {meta['date']}", "",
             f"Machine: {meta['machine']}. gunicorn 2 sync workers, loopback, {meta['warmup']} warm-up + "
             f"{meta['requests']} measured sequential requests per operation; times are server times "
             f"(X-Server-Time, ms) median / p95; queries = median SQL statements per request.", ""]
    info = ours.get("info", {})
    lines.append(f"Tickets in the database: {info.get('tickets_total', 0):,}; the handler's unit (station_a) sees "
                 f"{info.get('handler_unit_tickets', 0):,}; deep page at row {info.get('deep_offset', 0):,}.")
    lines.append("")
    header = "| operation | median / p95 ms | queries | target (at 1M) |"
    sep = "|---|---|---|---|"
    if theirs is not None:
        header += " django-helpdesk median / p95 ms | helpdesk queries | ratio (helpdesk ÷ ours) |"
        sep += "---|---|---|"
    lines += [header, sep]
    for key, label, hd_key in ROWS:
        r = ours.get(key)
        main, q, _ = cell(r)
        row = f"| {label} | {main} | {q} | {TARGETS.get(key, '')} |"
        if theirs is not None:
            h = theirs.get(hd_key) if hd_key else None
            hmain, hq, _ = cell(h) if h else ("", "", "")
            ratio = ""
            if h and r and "na" not in h and "na" not in r:
                if "rate" in h and "rate" in r and h["rate"]:
                    ratio = f"{r['rate'] / h['rate']:,.1f}× (ours faster)" if r["rate"] >= h["rate"] else \
                        f"{r['rate'] / h['rate']:,.2f}×"
                elif "median" in h and "median" in r and r["median"]:
                    ratio = f"{h['median'] / r['median']:,.1f}×"
            row += f" {hmain} | {hq} | {ratio} |"
        lines.append(row)
    if theirs is not None and theirs.get("notes"):
        lines += ["", "django-helpdesk: " + theirs["notes"]]
    lines.append("")
    return "\n".join(lines)


def machine() -> str:
    cpus = os.cpu_count()
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    except (OSError, ValueError, IndexError):
        mem = 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    return f"{cpus} cores, {mem} GB RAM, load average at start {load:.1f}"


def main(argv=None):
    global DB_NAME  # noqa: PLW0603 — one run, one database
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="tickets in the database (generated if fewer)")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50, help="measured requests per operation")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the throughput test")
    parser.add_argument("--seconds", type=float, default=10, help="duration of the throughput test")
    parser.add_argument("--api-pages", type=int, default=20, help="`next` links to follow for the deep API page")
    parser.add_argument("--helpdesk", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure django-helpdesk (own venv, project and database)")
    parser.add_argument("--db", default="bench_complaints", help="PostgreSQL database of our system")
    parser.add_argument("--skip-ours", action="store_true", help="only the django-helpdesk side")
    parser.add_argument("--no-write", action="store_true", help="print the table, do not write bench/results")
    args = parser.parse_args(argv)
    DB_NAME = args.db

    meta = {"date": dt.date.today().isoformat(), "machine": machine(), "warmup": args.warmup,
            "requests": args.requests}
    env = app_env()
    ours: dict = {}
    if not args.skip_ours:
        prepare_data(args.n, env)
        ours = bench_ours(args, env)
    theirs = None
    if args.helpdesk:
        sys.path.insert(0, str(ROOT))
        from bench import helpdesk

        theirs = helpdesk.run(args, log=log)
    table = render(args.n, ours, theirs, meta)
    print(table)
    raw = {"meta": meta, "ours": ours, "helpdesk": theirs}
    if not args.no_write:
        out = ROOT / "bench" / "results" / f"{meta['date']}-N{args.n}.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text(table + "\n<details><summary>raw</summary>\n\n```json\n" +
                       json.dumps(raw, indent=1, ensure_ascii=False, default=str) + "\n```\n</details>\n")
        log(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
