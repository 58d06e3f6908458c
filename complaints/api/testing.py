"""Fixtures shared by the API tests; a test module imports them:
`from complaints.api.testing import *`.

The throttles keep their counters in the default cache: tests get a private in-memory cache so
one test's requests never throttle another's, nor touch the file cache of a running server."""
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

__all__ = ["api_settings", "client_as", "anon"]


@pytest.fixture(autouse=True)
def api_settings(settings):
    # Demo users are created with their password: a fast hasher keeps each test's setup short.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "api-tests"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_as(users):
    """client_as("station_a") → an APIClient sending that user's token."""

    def make(username: str) -> APIClient:
        token, _ = Token.objects.get_or_create(user=users[username])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def anon() -> APIClient:
    return APIClient()
