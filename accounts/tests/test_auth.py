"""Authentication: lock-out by (username, address), a per-address throttle, admin unlock, idle
session expiry, logout, deactivation, password validation and the security log."""
import logging
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OFFICE = "10.1.2.3"


def login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_username_from_that_address_only(users, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    attacker = Client()
    for _ in range(4):
        assert login(attacker, "agent", "wrong-password", ATTACKER).status_code == 200  # form error
    locked = login(attacker, "agent", "wrong-password", ATTACKER)
    assert locked.status_code == 429
    # Locked from that address even with the right password...
    assert login(attacker, "agent", DEMO_PASSWORD, ATTACKER).status_code == 429
    assert not signed_in(attacker)
    # ...while the agent at her desk signs in as usual: the attacker cannot lock her out mid-shift.
    desk = Client()
    response = login(desk, "agent", DEMO_PASSWORD, OFFICE)
    assert response.status_code == 302 and signed_in(desk)


def test_one_address_trying_many_usernames_is_throttled(users, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 30
    attacker = Client()
    for i in range(30):
        assert login(attacker, f"guess{i}", "wrong-password", ATTACKER).status_code == 200
    response = login(attacker, "agent", DEMO_PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not signed_in(attacker)
    # Other addresses are unaffected.
    assert login(Client(), "lead", DEMO_PASSWORD, OFFICE).status_code == 302


def test_throttle_window_passes(users, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    settings.LOGIN_IP_WINDOW_SECONDS = 60
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(3):
            login(client, f"guess{i}", "x", ATTACKER)
        assert login(client, "agent", DEMO_PASSWORD, ATTACKER).status_code == 429
    with time_machine.travel(start + timedelta(seconds=121), tick=False):
        assert login(client, "agent", DEMO_PASSWORD, ATTACKER).status_code == 302


def test_successful_logins_from_one_address_are_not_throttled(users, settings):
    """A call centre behind one NAT signs in at shift change: only failures count."""
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    for _ in range(3):
        for name in ("agent", "lead", "supervisor"):
            assert login(Client(), name, DEMO_PASSWORD, OFFICE).status_code == 302


def test_admin_unlocks_a_locked_user(users):
    from axes.models import AccessAttempt

    attacker = Client()
    for _ in range(5):
        login(attacker, "station_a", "wrong-password", ATTACKER)
    assert login(attacker, "station_a", DEMO_PASSWORD, ATTACKER).status_code == 429
    attempt = AccessAttempt.objects.get(username="station_a")

    admin = Client()
    admin.force_login(users["admin"])
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert admin.get(changelist).status_code == 200
    response = admin.post(changelist, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="station_a").exists()
    assert login(Client(), "station_a", DEMO_PASSWORD, ATTACKER).status_code == 302


def test_axes_reset_command_unlocks(users):
    from django.core.management import call_command

    for _ in range(5):
        login(Client(), "lead", "wrong-password", ATTACKER)
    assert login(Client(), "lead", DEMO_PASSWORD, ATTACKER).status_code == 429
    call_command("axes_reset_username", "lead")
    assert login(Client(), "lead", DEMO_PASSWORD, ATTACKER).status_code == 302


def test_session_expires_after_inactivity(users, settings):
    age = settings.SESSION_COOKIE_AGE
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "agent", DEMO_PASSWORD, OFFICE)
    # Activity renews the session: a request just before the limit keeps it alive...
    with time_machine.travel(start + timedelta(seconds=age - 60), tick=False):
        assert client.get(reverse("home")).url != reverse("login")
    with time_machine.travel(start + timedelta(seconds=2 * age - 120), tick=False):
        assert client.get(reverse("home")).url != reverse("login")
    # ...and idling past it ends it.
    with time_machine.travel(start + timedelta(seconds=3 * age), tick=False):
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url == reverse("login")


def test_logout_is_post_and_ends_the_session(users):
    from django.contrib.sessions.models import Session

    client = Client()
    login(client, "agent", DEMO_PASSWORD, OFFICE)
    session_key = client.session.session_key
    assert client.get(reverse("logout")).status_code == 405  # no logout by a link or an <img>
    assert Session.objects.filter(session_key=session_key).exists()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    client.cookies["sessionid"] = session_key  # replaying the old cookie does not help
    assert client.get(reverse("home")).url == reverse("login")


def test_deactivated_user_session_stops_working_at_once(users):
    user = users["station_a"]
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home")).url != reverse("login")
    user.is_active = False
    user.save()
    assert client.get(reverse("home")).url == reverse("login")


@pytest.mark.parametrize("password", ["12345678", "password", "abc", "qwertyuiop", "station_a1"])
def test_weak_passwords_are_refused(users, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=users["station_a"])


def test_strong_password_is_accepted(users):
    validate_password("Gd-7q!vRz#2026", user=users["station_a"])


def test_admin_cannot_create_a_user_with_a_weak_password(users, units):
    from accounts.models import User

    admin = Client()
    admin.force_login(users["admin"])
    response = admin.post(reverse("admin:accounts_user_add"), {
        "username": "newbie", "first_name": "新人", "unit": units["GS-A1-1"].pk, "password1": "12345678",
        "password2": "12345678", "usable_password": "true"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not User.objects.filter(username="newbie").exists()


def test_logins_failures_and_logouts_are_logged_without_the_password(users, caplog):
    caplog.set_level(logging.INFO, logger="security")
    secret = "Sup3r-Secret-Guess!"
    client = Client()
    login(client, "agent", secret, ATTACKER)
    login(client, "agent", DEMO_PASSWORD, OFFICE)
    client.post(reverse("logout"), REMOTE_ADDR=OFFICE)
    records = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert any("login failed" in m and "user=agent" in m and ATTACKER in m for m in records), records
    assert any("login ok" in m and "user=agent" in m and OFFICE in m for m in records), records
    assert any("logout" in m and "user=agent" in m for m in records), records
    assert secret not in caplog.text and DEMO_PASSWORD not in caplog.text


def test_log_lines_cannot_be_forged_through_the_username(users, caplog):
    caplog.set_level(logging.INFO, logger="security")
    login(Client(), "evil\nlogin ok user=admin", "x", ATTACKER)
    messages = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert messages and all("\n" not in m for m in messages)
