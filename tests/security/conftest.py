"""Shared fixtures for the security tests: fast hashing, a private cache and media folder."""
import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _isolation(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "security-tests"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def client_for(users):
    """A signed-in browser for a demo user."""
    clients = {}

    def make(name):
        if name not in clients:
            client = Client()
            client.force_login(users[name])
            clients[name] = client
        return clients[name]

    return make


@pytest.fixture
def api_for(users):
    """An API client authenticated by token, as an integration would be."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(name):
        token, _ = Token.objects.get_or_create(user=users[name])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def dispatched(make_ticket, users, units):
    """A complaint dispatched to station A (GS-A1-1)."""
    from complaints.services import ticket_dispatch

    def make(**overrides):
        ticket = make_ticket(**overrides)
        return ticket_dispatch(ticket=ticket, actor=users["lead"], unit=units["GS-A1-1"])

    return make
