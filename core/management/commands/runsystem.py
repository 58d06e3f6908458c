"""Start the web server, a Celery worker and Celery beat in the foreground and keep them up.

A child that dies is logged and started again after a back-off (1 s, doubling to a minute; reset
once it has stayed up a minute), while the others keep serving. Each child runs in its own process
group so that a restart also ends what the dead one left behind (a prefork worker's pool). Ctrl-C
(or SIGTERM) stops them all.
"""
import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD

FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
STABLE_SECONDS = 60.0  # up this long: the next death starts the back-off again from the first step
STOP_GRACE_SECONDS = 10.0


class Child:
    def __init__(self, name, command, log):
        self.name, self.command, self.log = name, command, log
        self.proc = None
        self.started = 0.0
        self.backoff = FIRST_BACKOFF
        self.restart_at = None  # set while waiting to restart
        self.restarts = 0

    def start(self):
        self.proc = subprocess.Popen(self.command, cwd=settings.BASE_DIR, start_new_session=True)
        self.started = time.monotonic()
        self.restart_at = None
        self.log(f"runsystem: {self.name} started pid={self.proc.pid}")

    def check(self, now):
        """Notice a death and schedule the restart; restart when its back-off has passed."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                self.start()
            return
        code = self.proc.poll()
        if code is None:
            return
        self._kill_group(signal.SIGKILL)
        if now - self.started >= STABLE_SECONDS:
            self.backoff = FIRST_BACKOFF
        self.log(f"runsystem: {self.name} pid={self.proc.pid} exited with code {code}; "
                 f"restarting in {self.backoff:g}s")
        self.restart_at = now + self.backoff
        self.backoff = min(self.backoff * 2, MAX_BACKOFF)

    def terminate(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # the leader stops its own pool; wait() ends any leftover

    def wait(self, deadline):
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.log(f"runsystem: {self.name} did not stop in time; killed")
        self._kill_group(signal.SIGKILL)

    def _kill_group(self, sig):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)


class Command(BaseCommand):
    help = "Run web + Celery worker + Celery beat together and restart any that dies (what `make run` starts)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("RUN_ADDR", "127.0.0.1:8000"))

    def handle(self, *args, addr, **options):
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "config"]
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": celery + ["worker", "--loglevel=INFO", "--concurrency=1", "--without-gossip",
                                "--without-mingle", "--hostname=worker@%h"],
            "beat": celery + ["beat", "--loglevel=INFO", "-s", settings.CELERY_BEAT_SCHEDULE_FILENAME],
        }
        children = [Child(name, command, self._log) for name, command in commands.items()]
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for child in children:
                child.start()
            self._banner(addr)
            while not stopping:
                now = time.monotonic()
                for child in children:
                    child.check(now)
                time.sleep(0.5)
        finally:
            for child in children:
                child.terminate()
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            for child in children:
                child.wait(deadline)
            self._log("runsystem: stopped; restarts: "
                      + ", ".join(f"{child.name}={child.restarts}" for child in children))

    def _log(self, line):
        self.stderr.write(line)
        self.stderr.flush()

    def _banner(self, addr):
        lines = [
            "",
            "=" * 64,
            f"  供电服务投诉工单系统 running at http://{addr}/",
            f"  database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
            f"broker: {settings.CELERY_BROKER_URL.split('://')[0]}",
            f"  demo logins (password {DEMO_PASSWORD}):",
            *[f"    {u:<11} {name}  {role}" for u, name, role in DEMO_LOGINS],
            "  Ctrl-C stops the web server, the worker and beat; any that dies is restarted.",
            "=" * 64,
            "",
        ]
        self.stdout.write("\n".join(lines))
