import pytest


@pytest.fixture(autouse=True)
def _isolated_cache_and_fast_hashes(settings):
    """Each test gets its own in-memory cache (the login failure counters live there, and the
    shared file cache is used by other test runs) and a fast password hasher."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "accounts-tests"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()
    yield
