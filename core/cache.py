"""Django's Redis cache, keeping one redis client per connection pool.

Django builds a new `redis.Redis` object for every cache call, and each one fills a table of some
170 response callbacks: about a third of a millisecond, three times on every API request (grants,
throttle read and write). The client is safe to share; Django's cache objects are per thread anyway.
"""
from django.core.cache.backends import redis


class _Client(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
