"""Time pages in process, without the HTTP server: the Django test client signed in as a demo user
against the bench database, 5 warm-up + 30 requests per URL, median wall and SQL time. For A/B
comparisons on a noisy machine (run old and new code alternately against their own databases).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_complaints ALLOWED_HOSTS=testserver \\
        .venv/bin/python bench/inprocess.py agent "/tickets/?q=电压偏低" "/api/v1/tickets/?q=电压偏低"
"""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(username: str, urls: list[str], warmup: int = 5, requests: int = 30) -> None:
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    for url in urls:
        for _ in range(warmup):
            client.get(url)
        wall, sql = [], []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                wall.append((time.perf_counter() - started) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        print(f"{url}  {response.status_code}  median {statistics.median(wall):.1f} ms  "
              f"SQL {statistics.median(sql):.1f} ms  {len(queries.captured_queries)} queries  "
              f"{len(response.content):,} bytes")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
