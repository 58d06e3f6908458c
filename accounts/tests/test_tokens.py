"""API tokens (django-rest-knox): a lifetime per user, stored as a digest, revoked on a password
change, on deactivation and by the user or an administrator."""
import hashlib
import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.demo import DEMO_PASSWORD
from accounts.models import ApiToken
from accounts.tokens import issue
from core.models import Setting

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Qx7!lantern-harbour-2026"


def sign_in(username, password=DEMO_PASSWORD):
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def works(token) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    status = client.get("/api/v1/me/").status_code
    assert status in (200, 401), status
    return status == 200


def test_each_sign_in_issues_a_new_token_that_works(users):
    first, second = sign_in("agent"), sign_in("agent")
    assert first["token"] != second["token"]
    assert works(first["token"]) and works(second["token"])


def test_a_persons_token_stops_working_after_30_days(users):
    issued_at = timezone.now()
    body = sign_in("agent")
    expiry = timezone.datetime.fromisoformat(body["expiry"])
    assert abs(expiry - (issued_at + timedelta(days=30))) < timedelta(minutes=1)
    with time_machine.travel(issued_at + timedelta(days=30) - timedelta(minutes=5)):
        assert works(body["token"])
    with time_machine.travel(issued_at + timedelta(days=30, minutes=5)):
        assert not works(body["token"])
    assert not works(body["token"])  # and it is gone for good, not only in the future


def test_the_lifetime_is_a_business_setting(users):
    Setting.objects.create(key="api_token_days", value=7)
    issued_at = timezone.now()
    body = sign_in("agent")
    with time_machine.travel(issued_at + timedelta(days=7, minutes=5)):
        assert not works(body["token"])


def test_an_integration_accounts_token_does_not_expire(users):
    account = users["viewer"]
    account.is_integration = True
    account.save()
    body = sign_in("viewer")
    assert body["expiry"] is None
    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert works(body["token"])


def test_no_longer_an_integration_account_loses_its_unlimited_tokens(users):
    account = users["viewer"]
    account.is_integration = True
    account.save()
    unlimited = sign_in("viewer")["token"]
    account.is_integration = False
    account.save()
    assert not works(unlimited)
    assert sign_in("viewer")["expiry"] is not None


def _change_own(user):
    form = PasswordChangeForm(user, {"old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD,
                                     "new_password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors
    form.save()


def _reset(user):
    form = SetPasswordForm(user, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors
    form.save()


def _by_the_admin(user):
    client = Client()
    client.force_login(type(user).objects.get(username="admin"))
    response = client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[-2000:]


def _set_password(user):
    user.set_password(NEW_PASSWORD)
    user.save()


@pytest.mark.parametrize("change", [_change_own, _reset, _by_the_admin, _set_password],
                         ids=["own change", "reset", "admin", "set_password"])
def test_a_password_change_revokes_every_token_of_the_user(users, change):
    old = [sign_in("station_a")["token"], sign_in("station_a")["token"]]
    others = sign_in("station_b")["token"]
    change(type(users["station_a"]).objects.get(pk=users["station_a"].pk))
    assert not any(works(token) for token in old)
    assert not ApiToken.objects.filter(user=users["station_a"]).exists()
    assert works(others)
    assert works(sign_in("station_a", NEW_PASSWORD)["token"])


def test_deactivation_revokes_the_tokens(users):
    token = sign_in("station_a")["token"]
    client = Client()
    client.force_login(users["admin"])
    response = client.post(reverse("admin:accounts_user_changelist"),
                           {"action": "deactivate", "_selected_action": [users["station_a"].pk]})
    assert response.status_code == 302
    assert not works(token)
    assert not ApiToken.objects.filter(user=users["station_a"]).exists()


def test_the_token_table_holds_no_usable_key(users):
    token = sign_in("agent")["token"]
    row = ApiToken.objects.get(user=users["agent"])
    stored = [str(value) for value in ApiToken.objects.filter(pk=row.pk).values().get().values()]
    assert not any(token in value for value in stored)
    assert row.digest == hashlib.sha512(token.encode()).hexdigest()  # a one-way digest of it
    assert not works(row.digest) and not works(row.token_key)
    with connection.cursor() as cursor:  # nothing else holds a token either: the old table is gone
        assert "authtoken_token" not in connection.introspection.table_names(cursor)


def test_the_migration_drops_the_old_plaintext_tokens(db):
    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0003_api_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef0123456789abcdef01234567')")
        # What the migration uses of its schema editor (SQLite refuses a real one inside a test's transaction).
        migration.drop_plaintext_tokens(apps, SimpleNamespace(connection=connection, execute=cursor.execute))
    assert "authtoken_token" not in connection.introspection.table_names()


def test_a_user_lists_and_revokes_own_tokens_through_the_api(users):
    first, current = sign_in("agent")["token"], sign_in("agent")["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {current}")
    listed = client.get("/api/v1/auth/tokens/").json()
    assert [t["prefix"] for t in listed] == [current[:8], first[:8]]
    assert [t["current"] for t in listed] == [True, False]
    assert all(len(t["prefix"]) == 8 for t in listed)
    assert client.delete(f"/api/v1/auth/tokens/{listed[1]['id']}/").status_code == 204
    assert not works(first) and works(current)
    assert client.delete(f"/api/v1/auth/tokens/{listed[0]['id']}/").status_code == 204  # sign out
    assert not works(current)


def test_another_users_token_cannot_be_revoked_or_seen(users):
    victim = sign_in("station_b")["token"]
    victim_id = ApiToken.objects.get(user=users["station_b"]).pk
    intruder = APIClient()
    intruder.credentials(HTTP_AUTHORIZATION=f"Token {sign_in('station_a')['token']}")
    response = intruder.delete(f"/api/v1/auth/tokens/{victim_id}/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert victim_id not in [t["id"] for t in intruder.get("/api/v1/auth/tokens/").json()]
    page = Client()
    page.force_login(users["station_a"])
    assert page.post(reverse("accounts:token_revoke", args=[victim_id])).status_code == 404
    assert works(victim)


def test_the_tokens_page_lists_and_revokes_in_chinese(users):
    token = sign_in("station_a")["token"]
    page = Client()
    page.force_login(users["station_a"])
    html = page.get(reverse("accounts:tokens")).content.decode()
    assert "我的接口令牌" in html and token[:8] in html and token not in html and "30 天后失效" in html
    row = ApiToken.objects.get(user=users["station_a"])
    response = page.post(reverse("accounts:token_revoke", args=[row.pk]), follow=True)
    assert "令牌已吊销" in response.content.decode()
    assert not works(token)
    assert "暂无有效令牌" in page.get(reverse("accounts:tokens")).content.decode()


def test_the_administrator_lists_and_revokes_anyones_tokens(users):
    token = sign_in("station_a")["token"]
    row = ApiToken.objects.get(user=users["station_a"])
    admin = Client()
    admin.force_login(users["admin"])
    listing = admin.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert token[:8] in listing and "station_a" in listing and token not in listing
    assert admin.get(reverse("admin:accounts_apitoken_add")).status_code == 403  # issued by signing in only
    response = admin.post(reverse("admin:accounts_apitoken_delete", args=[row.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not works(token)


def test_old_tokens_give_way_beyond_the_per_user_limit(users, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 3}
    issued = [issue(users["agent"])[1] for _ in range(4)]
    assert [works(t) for t in issued] == [False, True, True, True]


@pytest.mark.parametrize("header", ["Token " + "é" * 20, "Token " + "a" * 5000, "Token", "Token a b"])
def test_a_malformed_token_header_is_401_never_500(db, header):
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] in ("authentication_failed", "not_authenticated")
