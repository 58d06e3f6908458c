"""Bench-only: X-Server-Time (ms, wall time inside Django) and X-Query-Count (SQL statements on
every database connection used by the request). Enabled by bench/settings.py when
BENCH_QUERY_COUNT=1."""
import time

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        wrapped = []
        for alias in connections:
            conn = connections[alias]
            conn.execute_wrappers.append(counter)
            wrapped.append(conn)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            for conn in wrapped:
                conn.execute_wrappers.remove(counter)
        response["X-Server-Time"] = f"{(time.perf_counter() - started) * 1000:.2f}"
        response["X-Query-Count"] = str(count[0])
        return response
