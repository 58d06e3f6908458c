"""The client address behind a reverse proxy (TRUSTED_PROXY_COUNT): axes, the login throttle and
DRF's throttles key on the real client, and a forged X-Forwarded-For without a proxy changes nothing."""
import pytest
from django.core.checks import run_checks
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from accounts.demo import DEMO_PASSWORD
from core.clientip import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # nginx: every request reaches the application from here


def login(username, password, *, forwarded=None, remote=PROXY):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=remote,
                           **headers)
    return response, "_auth_user_id" in client.session


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def test_failures_from_one_client_never_lock_the_user_out_from_another(users, behind_one_proxy):
    for _ in range(6):
        login("lead", "wrong-password", forwarded="203.0.113.9")
    assert login("lead", DEMO_PASSWORD, forwarded="203.0.113.9")[0].status_code == 429  # the attacker: locked
    response, signed_in = login("lead", DEMO_PASSWORD, forwarded="198.51.100.7")  # the real lead, elsewhere
    assert response.status_code == 302 and signed_in


def test_random_name_failures_lock_nobody_else_out(users, behind_one_proxy, settings, time_machine):
    settings.LOGIN_IP_FAILURE_LIMIT = 30
    time_machine.move_to("2026-03-02 10:00:05+08:00", tick=False)  # all within one throttle window
    for i in range(31):
        login(f"guess{i}", "wrong-password", forwarded="203.0.113.9")
    assert login("agent", DEMO_PASSWORD, forwarded="203.0.113.9")[0].status_code == 429  # that address: throttled
    assert login("agent", DEMO_PASSWORD, forwarded="198.51.100.7")[1]  # everyone else behind the proxy: fine


def test_a_client_cannot_pick_its_address_through_the_header(users, behind_one_proxy):
    # The proxy appends the address it saw: whatever the client wrote itself stays further left.
    for i in range(6):
        login("lead", "wrong-password", forwarded=f"192.0.2.{i}, 203.0.113.9")
    assert login("lead", DEMO_PASSWORD, forwarded="192.0.2.99, 203.0.113.9")[0].status_code == 429


def test_without_a_proxy_a_forged_header_changes_nothing(users, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for i in range(6):  # an attacker connecting directly, forging a new "client" each time
        login("lead", "wrong-password", forwarded=f"192.0.2.{i}", remote="203.0.113.9")
    assert login("lead", DEMO_PASSWORD, forwarded="198.51.100.7", remote="203.0.113.9")[0].status_code == 429
    assert login("lead", DEMO_PASSWORD, forwarded="203.0.113.9", remote="198.51.100.7")[1]  # blames no one else


@pytest.mark.parametrize("count", [0, 1, 2])
def test_drf_throttles_see_the_same_address(settings, count):
    settings.TRUSTED_PROXY_COUNT = count
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7, 10.0.0.2")
    expected = {0: PROXY, 1: "10.0.0.2", 2: "198.51.100.7"}[count]
    assert client_ip(request) == expected
    assert SimpleRateThrottle.get_ident(SimpleRateThrottle.__new__(SimpleRateThrottle), request) == expected


@pytest.mark.parametrize("count,num_proxies", [(-1, -1), (1, 0), ("1", "1")])
def test_start_up_refuses_a_proxy_count_it_cannot_honour(settings, count, num_proxies):
    settings.TRUSTED_PROXY_COUNT = count
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    assert any(e.id.startswith("core.E") for e in run_checks())
