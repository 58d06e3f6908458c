"""The Redis cache backend (core.cache) against a real Redis: what the grants, throttles and
figures rely on, with one client per server."""
import os
import uuid

import pytest

from core.cache import RedisCache

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_cache():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        cache.get("ping")
    except Exception:  # noqa: BLE001 - no Redis on this machine
        pytest.skip("Redis is not reachable")
    yield cache
    cache.delete_many(["a", "b", "x", "ping"])  # only this test's keys: the database may be shared


def test_values_round_trip_and_expire_on_delete(redis_cache):
    redis_cache.set("a", {"roles": ["agent"]}, 30)
    redis_cache.add("b", 2)
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": {"roles": ["agent"]}, "b": 2}
    assert redis_cache.incr("b") == 3
    redis_cache.delete("a")
    assert redis_cache.get("a") is None


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache.client.get_client(write=True)
    redis_cache.set("x", 1)
    redis_cache.get("x")
    assert redis_cache.client.get_client(write=True) is client
