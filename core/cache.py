"""The Redis cache (django-redis), never failing a request.

django-redis rather than Django's own Redis backend: Django's builds a new `redis.Redis` object
for every cache call (≈ 0.13 ms each, three or more on every API request: grants, throttle read and
write); django-redis keeps one client per server.

The cache only ever holds what can be recomputed (role grants, throttle counters, dashboard
figures, business settings), so when Redis errors every call answers as a miss: reads return the
default, writes store nothing, `add` reports "not added", `incr` raises ValueError as for a missing
key. Callers then read the database (grants, settings) or let the request through (throttles).
After a failure Redis is left alone for RETRY_SECONDS so requests do not each wait on it; the
outage is logged once per LOG_SECONDS. When Redis answers again, the callbacks registered with
`on_recovery` run once in this process (grants retire what an edit during the outage could not).
"""
import functools
import logging
import threading
import time

from django_redis.cache import RedisCache as DjangoRedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
LOG_SECONDS = 60.0

_state = {"down_until": 0.0, "logged_at": float("-inf"), "was_down": False}
_lock = threading.Lock()
_recovery_callbacks = []


def on_recovery(callback):
    """Run `callback()` once each time the cache answers again after an outage."""
    _recovery_callbacks.append(callback)
    return callback


def cache_down() -> bool:
    return time.monotonic() < _state["down_until"]


def _failed(operation, exc):
    now = time.monotonic()
    with _lock:
        _state["down_until"] = now + RETRY_SECONDS
        _state["was_down"] = True
        if now - _state["logged_at"] >= LOG_SECONDS:
            _state["logged_at"] = now
            log.warning("cache unavailable (%s: %s); reading the database and not throttling for now",
                        operation, exc)


def _answered():
    if not _state["was_down"]:
        return
    with _lock:
        if not _state["was_down"]:
            return
        _state["was_down"] = False
    log.warning("cache available again")
    for callback in _recovery_callbacks:
        callback()


def _soft(miss):
    """Answer `miss(*args, **kwargs)` instead of raising when Redis errors or is known to be down."""

    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if cache_down():
                return miss(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                _failed(method.__name__, exc)
                return miss(*args, **kwargs)
            _answered()
            return result
        return call
    return wrap


def _default(key, default=None, *args, **kwargs):
    return default


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (cache unavailable)")


class RedisCache(DjangoRedisCache):
    get = _soft(_default)(DjangoRedisCache.get)
    get_many = _soft(lambda keys, *a, **k: {})(DjangoRedisCache.get_many)
    has_key = _soft(lambda *a, **k: False)(DjangoRedisCache.has_key)
    add = _soft(lambda *a, **k: False)(DjangoRedisCache.add)
    set = _soft(lambda *a, **k: None)(DjangoRedisCache.set)
    set_many = _soft(lambda data, *a, **k: list(data))(DjangoRedisCache.set_many)
    touch = _soft(lambda *a, **k: False)(DjangoRedisCache.touch)
    delete = _soft(lambda *a, **k: False)(DjangoRedisCache.delete)
    delete_many = _soft(lambda *a, **k: None)(DjangoRedisCache.delete_many)
    incr = _soft(_missing)(DjangoRedisCache.incr)
    clear = _soft(lambda *a, **k: False)(DjangoRedisCache.clear)
