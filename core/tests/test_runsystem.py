"""`runsystem` (what `make run` starts) keeps its children up: the worker killed, it is logged and
started again while the web server keeps answering; SIGINT (Ctrl-C) stops everything.

Runs the real command as a subprocess on the embedded default in a temporary VAR_DIR (its own
SQLite database, broker file and beat schedule) on a free loopback port."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_worker_is_restarted_and_the_web_server_stays_up(tmp_path):
    port = _free_port()
    login = f"http://127.0.0.1:{port}/accounts/login/"
    log_path = tmp_path / "runsystem.log"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CACHE_URL")}
    env.update(VAR_DIR=str(tmp_path / "var"), LOG_LEVEL="WARNING")
    with open(log_path, "w") as out:
        proc = subprocess.Popen([sys.executable, "manage.py", "runsystem", "--addr", f"127.0.0.1:{port}"],
                                cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def log() -> str:
        return Path(log_path).read_text(errors="replace")

    def started(name):
        return [int(pid) for pid in re.findall(rf"runsystem: {name} started pid=(\d+)", log())]

    try:
        _wait_for(lambda: _status(login) == 200, 90, "the web server")
        _wait_for(lambda: "ready." in log(), 90, "the worker")
        worker = started("worker")[-1]
        os.kill(worker, signal.SIGKILL)

        statuses = []

        def restarted():
            statuses.append(_status(login))
            return [pid for pid in started("worker") if pid != worker]

        new_worker = _wait_for(restarted, 60, "the worker restarted")[-1]
        assert f"worker pid={worker} exited with code -9; restarting in" in log()
        assert _alive(new_worker)
        assert statuses and all(code == 200 for code in statuses)  # the web server kept answering
        assert _status(login) == 200
        assert len(started("web")) == 1 and len(started("beat")) == 1  # the others were left alone
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert "runsystem: stopped; restarts: web=0, worker=1, beat=0" in log()
    assert _status(login) is None  # Ctrl-C stopped the web server too
    assert not _alive(new_worker)
