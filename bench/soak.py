"""Soak test of `make run`'s system (not a test in the suite): runsystem for a given time under a
bounded mixed load, then a report of process restarts, errors and lost work.

    .venv/bin/python bench/soak.py                   # 2 hours on 127.0.0.1:8766
    .venv/bin/python bench/soak.py --minutes 30 --port 8714 --cycle-seconds 5
    .venv/bin/python bench/soak.py --minutes 30 --kill-worker-every 10   # and SIGKILL the worker

It starts `manage.py runsystem` as `make run` does (the environment as given: unset DATABASE_URL
and REDIS_URL for the embedded default; the database must be migrated and seeded, e.g. by `make
run` once or `make setup` + `manage.py seed_demo`). Every --cycle-seconds one cycle runs, through the
API with tokens and through pages with signed-in sessions:
  intake (agent) → dispatch (lead) → assign (manager_a) → contact → reply (station_a)
  → review (supervisor); the API list and the ticket page (station_a); the dashboard (viewer).
Each cycle's ticket is remembered with the status the last accepted step returned.

Reported at the end (one JSON object, also written to var/soak-<start>.json):
  requests and their errors (any non-2xx/3xx or connection failure) per operation;
  restarts — "exited with code" lines of runsystem (a child that died and was restarted), and how
  many of them --kill-worker-every caused;
  lost work — tickets whose stored status differs from what the API last answered, and outbox
  messages that are failed or still pending more than two minutes after they were written.
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "Demo@12345"
USERS = ("agent", "lead", "manager_a", "station_a", "supervisor", "viewer")


def log(msg):
    print(f"[soak {time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Load:
    def __init__(self, base):
        self.base = base
        self.requests = Counter()
        self.errors = Counter()
        self.error_samples = []
        self.tickets = {}  # number → status last answered by the API
        self.api = {u: self._api_session(u) for u in USERS}
        self.pages = {u: self._page_session(u) for u in ("station_a", "viewer")}

    def _api_session(self, username):
        r = requests.post(self.base + "/api/v1/auth/token/", json={"username": username, "password": PASSWORD},
                          timeout=30)
        r.raise_for_status()
        s = requests.Session()
        s.headers["Authorization"] = f"Token {r.json()['token']}"
        return s

    def _page_session(self, username):
        s = requests.Session()
        page = s.get(self.base + "/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        r = s.post(self.base + "/accounts/login/", data={"username": username, "password": PASSWORD,
                                                           "csrfmiddlewaretoken": token},
                   headers={"Referer": self.base + "/accounts/login/"}, allow_redirects=False, timeout=30)
        if r.status_code not in (302, 303):
            raise RuntimeError(f"login as {username}: HTTP {r.status_code}")
        return s

    def call(self, op, session, method, path, body=None):
        self.requests[op] += 1
        try:
            r = session.request(method, self.base + path, json=body, allow_redirects=False, timeout=60)
        except requests.RequestException as exc:
            return self._error(op, repr(exc))
        if r.status_code >= 400:
            return self._error(op, f"HTTP {r.status_code} {r.text[:200]}")
        return r

    def _error(self, op, detail):
        self.errors[op] += 1
        if len(self.error_samples) < 20:
            self.error_samples.append(f"{time.strftime('%H:%M:%S')} {op}: {detail}")
        return None

    def cycle(self, i):
        api = self.api
        r = self.call("intake", api["agent"], "POST", "/api/v1/tickets/", {
            "channel": "95598_phone", "kind": "complaint", "category": "YW02", "severity": "major",
            "customer": {"name": "浸泡客户", "phone": f"1390000{i % 500:04d}", "address": "临江一县城关幸福村"},
            "description": f"客户来电反映电压偏低，空调无法启动。\n浸泡 {i}"})
        if r is not None:
            ticket = r.json()
            number = ticket["number"]
            self.tickets[number] = ticket["status"]
            steps = [
                ("dispatch", "lead", {"unit": "GS-A1-1"}),
                ("assign", "manager_a", {"handler": "station_a"}),
                ("contact", "station_a", {"method": "phone", "note": "已联系"}),
                ("reply", "station_a", {"substantiated": True, "cause": "线路老化", "measures": "更换导线",
                                        "reply_text": "已恢复正常电压"}),
                ("review", "supervisor", {"approved": True}),
            ]
            for op, user, body in steps:
                r = self.call(op, api[user], "POST", f"/api/v1/tickets/{number}/{op}/",
                              {**body, "version": ticket["version"]})
                if r is None:
                    break
                ticket = r.json()
                self.tickets[number] = ticket["status"]
            self.call("page_detail", self.pages["station_a"], "GET", f"/tickets/{number}/")
        self.call("api_list", api["station_a"], "GET", "/api/v1/tickets/")
        self.call("page_list", self.pages["station_a"], "GET", "/tickets/")
        if i % 5 == 0:
            self.call("dashboard", self.pages["viewer"], "GET", "/reports/")
        self.call("healthz", requests, "GET", "/healthz")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=5).json().get("ok"):
                return
        except (requests.RequestException, ValueError):
            pass
        time.sleep(2)
    raise RuntimeError("runsystem did not become healthy")


def _kill_worker(run_log) -> int:
    pids = re.findall(r"runsystem: worker started pid=(\d+)", run_log.read_text(errors="replace"))
    if not pids:
        return 0
    log(f"killing the worker (pid {pids[-1]})")
    try:
        os.kill(int(pids[-1]), signal.SIGKILL)
    except ProcessLookupError:
        return 0
    return 1


def lost_work(load, started_at):
    """Tickets whose stored status is not what the API last answered; outbox messages written
    during the soak that failed, or are still pending two minutes after they were written."""
    mismatched = []
    for number, status in load.tickets.items():
        r = load.call("final_check", load.api["agent"], "GET", f"/api/v1/tickets/{number}/")
        if r is None or r.json()["status"] != status:
            mismatched.append(number)
    script = (
        "import json,datetime as d;from django.utils import timezone as tz;"
        "from notifications.models import OutboxMessage as O;"
        f"q=O.objects.filter(created_at__gte=d.datetime.fromtimestamp({started_at},d.timezone.utc));"
        "old=tz.now()-d.timedelta(minutes=2);"
        "print(json.dumps({'outbox':q.count(),'sent':q.filter(state=O.State.SENT).count(),"
        "'failed':q.filter(state=O.State.FAILED).count(),"
        "'stuck':q.exclude(state__in=[O.State.SENT,O.State.FAILED]).filter(created_at__lt=old).count()}))")
    out = subprocess.run([PY, "manage.py", "shell", "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "LOG_LEVEL": "WARNING"})
    outbox = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else {"error": out.stderr[-500:]}
    return {"tickets": len(load.tickets), "tickets_mismatched": mismatched, "outbox": outbox}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=120.0)
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    parser.add_argument("--cycle-seconds", type=float, default=5.0, help="one load cycle (≈ 10 requests) per …")
    parser.add_argument("--kill-worker-every", type=float, default=0.0, metavar="MINUTES",
                        help="SIGKILL the Celery worker this often (runsystem must restart it); 0: never")
    args = parser.parse_args(argv)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    started_at = time.time()
    run_log = ROOT / "var" / f"soak-{int(started_at)}-runsystem.log"
    log(f"runsystem on {base} for {args.minutes:g} min; its output in {run_log}")
    with open(run_log, "w") as out:
        proc = subprocess.Popen([PY, "manage.py", "runsystem", "--addr", f"127.0.0.1:{port}"], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_healthy(base)
        load = Load(base)
        end = time.monotonic() + args.minutes * 60
        next_kill = time.monotonic() + args.kill_worker_every * 60 if args.kill_worker_every else None
        kills = 0
        i = 0
        while time.monotonic() < end:
            t0 = time.monotonic()
            if next_kill is not None and t0 >= next_kill:
                kills += _kill_worker(run_log)
                next_kill = t0 + args.kill_worker_every * 60
            load.cycle(i)
            i += 1
            if i % 60 == 0:
                log(f"{i} cycles, {sum(load.requests.values())} requests, {sum(load.errors.values())} errors")
            time.sleep(max(0.0, args.cycle_seconds - (time.monotonic() - t0)))
        time.sleep(150)  # let beat deliver the last cycles' outbox messages before counting
        lost = lost_work(load, started_at)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    text = run_log.read_text(errors="replace")
    report = {
        "minutes": args.minutes, "cycles": i, "worker_kills": kills, "requests": sum(load.requests.values()),
        "errors": sum(load.errors.values()), "requests_by_op": dict(load.requests),
        "errors_by_op": dict(load.errors), "error_samples": load.error_samples,
        "restarts": re.findall(r"runsystem: (\w+) pid=\d+ exited with code (-?\d+)", text),
        "unrecoverable": text.count("Unrecoverable error"), "lost": lost,
    }
    out_path = ROOT / "var" / f"soak-{int(started_at)}.json"
    out_path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    unexpected = len(report["restarts"]) - kills
    return 0 if not report["errors"] and not unexpected and not lost["tickets_mismatched"] else 1


if __name__ == "__main__":
    sys.exit(main())
