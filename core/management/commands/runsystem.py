"""Start the web server, a Celery worker and Celery beat in the foreground; Ctrl-C stops all."""
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Run web + Celery worker + Celery beat together (what `make run` starts)."

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
        procs = {name: subprocess.Popen(cmd, cwd=settings.BASE_DIR) for name, cmd in commands.items()}
        self._banner(addr)
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                dead = [n for n, p in procs.items() if p.poll() is not None]
                if dead:
                    self.stderr.write(f"{', '.join(dead)} exited; stopping the rest")
                    break
                time.sleep(0.5)
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()
            deadline = time.monotonic() + 10
            for proc in procs.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()

    def _banner(self, addr):
        lines = [
            "",
            "=" * 64,
            f"  供电服务投诉工单系统 running at http://{addr}/",
            f"  database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
            f"broker: {settings.CELERY_BROKER_URL.split('://')[0]}",
            f"  demo logins (password {DEMO_PASSWORD}):",
            *[f"    {u:<11} {name}  {role}" for u, name, role in DEMO_LOGINS],
            "  Ctrl-C stops the web server, the worker and beat.",
            "=" * 64,
            "",
        ]
        self.stdout.write("\n".join(lines))
