"""Token, /me/ and /units/ (token lifetime and revocation: test_tokens.py)."""
import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
PASSWORD = "Demo@12345"


@pytest.fixture
def anon():
    return APIClient()


def test_token_for_good_credentials(anon, users):
    response = anon.post("/api/v1/auth/token/", {"username": "agent", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json().keys() == {"token", "expiry"} and len(response.json()["token"]) == 64


def test_token_then_me(anon, users):
    key = anon.post("/api/v1/auth/token/", {"username": "station_a", "password": PASSWORD}, format="json").json()
    anon.credentials(HTTP_AUTHORIZATION=f"Token {key['token']}")
    body = anon.get("/api/v1/me/").json()
    assert body["username"] == "station_a"
    assert body["roles"] == ["handler"]
    assert body["role_labels"] == ["承办人员"]
    assert body["unit"] == {"code": "GS-A1-1", "name": users["station_a"].unit.name}


def test_bad_password_is_400_and_counted_by_axes(anon, users):
    response = anon.post("/api/v1/auth/token/", {"username": "agent", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert AccessAttempt.objects.filter(username="agent").get().failures_since_start == 1


def test_locked_out_after_axes_limit_even_with_right_password(anon, users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        anon.post("/api/v1/auth/token/", {"username": "agent", "password": "wrong"}, format="json")
    response = anon.post("/api/v1/auth/token/", {"username": "agent", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "token" not in response.json()


def test_missing_fields_and_malformed_json_are_400(anon, db):
    assert anon.post("/api/v1/auth/token/", {}, format="json").json()["error"]["fields"].keys() == {
        "username", "password"}
    response = anon.post("/api/v1/auth/token/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_login_scope_throttle_answers_429_with_retry_after(anon, users):
    from rest_framework.throttling import ScopedRateThrottle

    rate = ScopedRateThrottle.THROTTLE_RATES["login"]
    limit = int(rate.split("/")[0])
    codes = [anon.post("/api/v1/auth/token/", {"username": "lead", "password": PASSWORD}, format="json").status_code
             for _ in range(limit + 1)]
    assert codes[:limit] == [200] * limit
    assert codes[-1] == 429
    last = anon.post("/api/v1/auth/token/", {"username": "lead", "password": PASSWORD}, format="json")
    assert int(last["Retry-After"]) > 0
    assert last.json()["error"]["code"] == "throttled"


def test_unauthenticated_is_401_in_the_error_shape(anon, db):
    response = anon.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_units_reference_in_tree_order(client_as):
    body = client_as("viewer").get("/api/v1/units/").json()
    codes = [u["code"] for u in body]
    assert codes[0] == "SGS" and "GS-A1-1" in codes
    station = next(u for u in body if u["code"] == "GS-A1-1")
    assert station["parent"] == "XG-A1" and station["kind"] == "station" and station["kind_label"] == "供电所"
