"""Shared fixtures: the reference data and the demo organisation with named users, as in
`make run` (agent, lead, station_a, station_b, manager_a, supervisor, viewer, admin)."""
import pytest

from tests.shared import reference_seeded, register_sample, seed_reference_and_org


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Users made in tests would otherwise pay for PBKDF2 on every set_password and login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches(settings):
    # Each test gets its own empty cache: cached figures must never leak between tests (or runs).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "test"}}
    from django.core.cache import cache

    cache.clear()
    from core import memo, tasks

    tasks._broker_down_until = 0.0
    for each in memo.MEMOS:
        each.forget()
    yield


@pytest.fixture(autouse=True)
def _broker_put_back():
    # A test that leaves Celery on a dead broker makes every later send in the process wait on it
    # (it hung CI once): fail the test that did it, not a later one.
    from config.celery import app

    before = app.conf.broker_url
    yield
    assert app.conf.broker_url == before, "the test left Celery on another broker (use tests.broker.broker_at)"


@pytest.fixture(autouse=True, scope="session")
def _static_files_looked_up_when_asked():
    # Every test client builds its own middleware, and WhiteNoise would index all of STATIC_ROOT
    # each time (15 s of the suite's CPU); in its autorefresh mode it finds a file when asked.
    from django.test.utils import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data and the demo organisation are seeded once per test database; each test's
    transaction rolls its own changes back. Transactional tests flush the tables (pytest-django runs
    them last), so `reference` seeds again for them when the rows are gone."""
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        seed_reference_and_org()


@pytest.fixture
def reference(db):
    if not reference_seeded():
        seed_reference_and_org()


@pytest.fixture
def org(reference):
    from accounts.demo import DEMO_USERS
    from accounts.models import Unit, User

    # Fresh instances for every test: a test that changes a unit or user in memory must not leak.
    units = {u.code: u for u in Unit.objects.all()}
    users = User.objects.in_bulk([name for name, *_ in DEMO_USERS], field_name="username")
    return {"units": units, "users": users}


@pytest.fixture
def units(org):
    return org["units"]


@pytest.fixture
def users(org):
    from accounts.models import User

    # Fresh instances: permission caches must not leak between steps of a test.
    return {name: User.objects.get(pk=u.pk) for name, u in org["users"].items()}


@pytest.fixture
def client_for(users):
    """client_for("station_a") → a browser signed in as that demo user (one per name)."""
    from django.test import Client

    clients = {}

    def make(name):
        if name not in clients:
            clients[name] = Client()
            clients[name].force_login(users[name])
        return clients[name]

    return make


@pytest.fixture
def admin_web(client_for):
    return client_for("admin")


@pytest.fixture
def client_as(users):
    """client_as("station_a") → an API client sending a token issued to that user, as an integration would."""
    from rest_framework.test import APIClient

    from accounts.tokens import issue

    def make(name):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue(users[name])[1]}")
        return client

    return make


@pytest.fixture
def category(reference):
    from complaints.models import Category

    return Category.objects.get(code="FW01")


@pytest.fixture
def make_ticket(users, category):
    """Register a ticket through the intake service, as the agent."""
    def make(**overrides):
        return register_sample(actor=users["agent"], default_category=category, **overrides)

    return make


# A complaint of station A (GS-A1-1) at each step of the loop, moved there by the real services.
@pytest.fixture
def dispatched(make_ticket, users, units):
    from complaints.services import ticket_dispatch

    return ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])


@pytest.fixture
def contacted(dispatched, users):
    from complaints.services import ticket_contact

    return ticket_contact(ticket=dispatched, actor=users["station_a"], method="phone")


@pytest.fixture
def replied(contacted, users):
    from complaints.services import ticket_reply

    return ticket_reply(ticket=contacted, actor=users["station_a"], substantiated=True, cause="态度问题",
                        measures="批评教育", reply_text="已致歉")


@pytest.fixture
def reviewed(replied, users):
    from complaints.services import ticket_review

    return ticket_review(ticket=replied, actor=users["supervisor"], approved=True)
