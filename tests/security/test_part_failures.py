"""A part failing never fails the work: with Redis (cache and broker) stopped every signed-in request
and token call answers, and the notifications queued meanwhile are delivered once when it returns;
with the database unreachable a signed-in request gets the Chinese 503 page (JSON under /api/).

The Redis here is the test's own redis-server on a free loopback port, started and stopped by it."""
import shutil
import socket
import subprocess
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from complaints.models import Status, Ticket
from notifications.models import OutboxMessage
from tests.broker import broker_at

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def own_redis(settings):
    """Cache and Celery broker on the test's own Redis, as deployed (one REDIS_URL for both)."""
    from core import cache as soft_cache

    server = OwnRedis()
    server.start()
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": server.url,
                                   "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}}}
    soft_cache._state.update(down_until=0.0, was_down=False, logged_at=float("-inf"))
    with broker_at(server.url, {"socket_connect_timeout": 1, "max_retries": 1}):
        yield server
        server.stop()
    soft_cache._state.update(down_until=0.0, was_down=False, logged_at=float("-inf"))


def test_redis_stopped_every_request_answers_then_each_notification_is_delivered_once(
        own_redis, client_as, client_for, users, category, mailoutbox, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from notifications.tasks import deliver_outbox

    cache.set("probe", 1)
    assert cache.get("probe") == 1  # really on that Redis …
    own_redis.stop()
    assert cache.get("probe") is None  # … which is now gone

    def call(client, method, url, body=None, ok=(200, 201)):
        with django_capture_on_commit_callbacks(execute=True):  # the after-commit enqueue runs for real
            response = getattr(client, method)(url, body, format="json") if body is not None else \
                getattr(client, method)(url)
        assert response.status_code in ok, (url, response.status_code, response.content[:300])
        return response

    ticket = call(client_as("agent"), "post", "/api/v1/tickets/", {
        "channel": "95598_phone", "kind": "complaint", "category": category.code, "severity": "major",
        "customer": {"name": "张三", "phone": "13800138000"}, "description": "停电未通知\n已停两天"}).json()
    number = ticket["number"]
    steps = [
        ("lead", "dispatch", {"unit": "GS-A1-1"}), ("station_a", "return", {"reason": "不属本所"}),
        ("lead", "dispatch", {"unit": "GS-A1-1"}), ("manager_a", "assign", {"handler": "station_a"}),
        ("agent", "chase", {"note": "客户催办"}), ("agent", "add-info", {"text": "补充：已停电两天"}),
        ("supervisor", "supervise", {"kind": "supervision", "content": "尽快处理"}),
        ("station_a", "extend", {"days": 3, "reason": "需现场勘查"}),
        ("supervisor", "extension-decision", {"approved": True}),
        ("station_a", "contact", {"method": "phone"}), ("station_a", "note", {"text": "备注"}),
        ("station_a", "reply", {"substantiated": True, "cause": "线路故障", "measures": "抢修",
                                "reply_text": "已恢复供电"}),
        ("supervisor", "review", {"approved": True}),
        ("supervisor", "responsibility", {"at_fault": False}),
        ("supervisor", "callback", {"result": "unsatisfied"}),
        ("agent", "withdraw", {"reason": "客户撤诉"}),
    ]
    for user, action, body in steps:
        ticket = call(client_as(user), "post", f"/api/v1/tickets/{number}/{action}/",
                      {**body, "version": ticket["version"]}).json()
    assert ticket["status"] == Status.WITHDRAWN

    enquiry = call(client_as("agent"), "post", "/api/v1/tickets/", {
        "channel": "95598_phone", "kind": "enquiry", "customer": {"name": "李四", "phone": "13900139000"},
        "description": "咨询电价"}).json()
    call(client_as("agent"), "post", f"/api/v1/tickets/{enquiry['number']}/close/",
         {"reply_text": "已解答", "version": enquiry["version"]})
    # The same through pages, signed in with a session: lists, the ticket, the dashboard.
    call(client_as("station_a"), "get", "/api/v1/tickets/")
    page = client_for("station_a")
    for url in (reverse("complaints:list"), reverse("complaints:my_work"),
                reverse("complaints:detail", args=[number])):
        call(page, "get", url)
    call(client_for("viewer"), "get", reverse("reports:dashboard"))
    fresh = Ticket.objects.get(number=enquiry["number"])
    assert fresh.status == Status.ARCHIVED

    emails = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL)
    assert emails.exists() and not emails.exclude(state=OutboxMessage.State.PENDING).exists()
    assert mailoutbox == []

    own_redis.start()  # Redis is back: beat's pick-up delivers everything, each once
    deliver_outbox()
    deliver_outbox()
    assert not emails.exclude(state=OutboxMessage.State.SENT).exists()
    assert len(mailoutbox) == emails.count()
    assert len({m.extra_headers["Message-ID"] for m in mailoutbox}) == len(mailoutbox)


def test_grants_and_throttles_read_around_a_stopped_cache_and_log_once(own_redis, users, caplog):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    from accounts.grants import grants

    own_redis.stop()
    found = grants(users["supervisor"])
    assert "supervisor" in found.roles and found.permissions  # read from the database
    request = mock.Mock(user=users["agent"])
    assert all(UserRateThrottle().allow_request(request, None) for _ in range(3))  # fails open
    for _ in range(5):
        cache.get("anything")
    assert caplog.text.count("cache unavailable") == 1


def test_healthz_names_the_stopped_cache_and_answers_503(own_redis, client):
    own_redis.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["cache"] is False and body["broker"] is False and body["database"] is True
    assert body["down"] == ["broker", "cache"]


# --- the database unreachable -------------------------------------------------------------------

@pytest.fixture
def database_down():
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    return mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", refuse)


def test_signed_in_page_with_the_database_down_gets_the_chinese_503(users, database_down):
    browser = Client(raise_request_exception=False)  # as a real server: the response, not the exception
    browser.force_login(users["station_a"])
    with database_down:
        responses = [browser.get(url) for url in ("/tickets/", "/", "/healthz")]
    for response in responses:
        assert response.status_code == 503
        assert "数据库暂时不可用" in response.content.decode()


def test_signed_in_api_with_the_database_down_gets_503_json(users, client_as, database_down):
    browser = Client(raise_request_exception=False)
    browser.force_login(users["station_a"])
    token_client = client_as("station_a")
    with database_down:
        responses = [browser.get("/api/v1/tickets/"), token_client.get("/api/v1/tickets/")]
    for response in responses:
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "unavailable"
