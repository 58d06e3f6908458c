"""The notifications API: own notifications only, newest first, unread count, mark read."""
import pytest
from rest_framework.test import APIClient

from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


def test_list_and_read(users, django_assert_max_num_queries):
    me, other = users["station_a"], users["station_b"]
    for n in range(3):
        notify(users=[me], ticket=None, kind="test", message=f"第{n}条", email=False)
    notify(users=[other], ticket=None, kind="test", message="别人的", email=False)
    client = APIClient()
    client.force_authenticate(me)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/notifications/").json()
    assert body["unread"] == 3 and [r["message"] for r in body["results"]] == ["第2条", "第1条", "第0条"]
    first = body["results"][0]["id"]
    response = client.post(f"/api/v1/notifications/{first}/read/")
    assert response.status_code == 200 and response.json() == {"id": first, "unread": 2}
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["unread"] == 2
    theirs = Notification.objects.get(user=other).pk
    assert client.post(f"/api/v1/notifications/{theirs}/read/").status_code == 404
    assert client.post("/api/v1/notifications/abc/read/").status_code == 404
    assert Notification.objects.get(pk=theirs).read_at is None


def test_admin_outbox_retry(client, users):
    from notifications.models import OutboxMessage

    failed = OutboxMessage.objects.create(channel="email", recipient="a@x.cn", body="b", state="failed",
                                          attempts=5, last_error="SMTP down")
    client.force_login(users["admin"])
    assert client.get("/admin/notifications/outboxmessage/").status_code == 200
    assert client.get("/admin/notifications/notification/").status_code == 200
    response = client.post("/admin/notifications/outboxmessage/",
                           {"action": "retry", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == "pending" and failed.attempts == 0
