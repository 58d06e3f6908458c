"""/api/v1/outages/: push (idempotent by source id), list filters, update, restore, errors."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outages.models import OutageEvent

pytestmark = pytest.mark.django_db


def _body(**overrides):
    body = {"kind": "fault", "cause": "10千伏城关线故障跳闸", "unit": "GS-A1-1", "service_areas": ["A-XF"],
            "keywords": "城关线", "start_at": (timezone.now() - timedelta(minutes=20)).isoformat(),
            "source_system": "pms", "source_id": "TD-2026-0001"}
    body.update(overrides)
    return body


def test_push_twice_creates_once_then_updates(client_as, areas):
    client = client_as("lead")
    first = client.post(reverse("api-outages"), _body(), format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["active"] is True and first.json()["service_areas"] == [{"code": "A-XF", "name": "幸福村"}]
    expected = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    second = client.post(reverse("api-outages"), _body(expected_restore_at=expected.isoformat()), format="json")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert OutageEvent.objects.get().expected_restore_at == expected
    restored = client.post(reverse("api-outages"), _body(restored_at=timezone.now().isoformat()), format="json")
    assert restored.status_code == 200 and restored.json()["restored_at"] and restored.json()["active"] is False
    assert OutageEvent.objects.count() == 1


def test_list_active_and_by_area(client_as, make_event, areas, django_assert_max_num_queries):
    active = make_event()
    planned = make_event(kind="planned", start_at=timezone.now() + timedelta(days=8), service_areas=[areas["other"]],
                         keywords="", unit=areas["other"].unit, actor=areas["other"].contact)
    client = client_as("agent")
    assert [e["id"] for e in client.get(reverse("api-outages") + "?active=1").json()["results"]] == [active.pk]
    assert [e["id"] for e in client.get(reverse("api-outages") + "?service_area=B-HP").json()["results"]] == [
        planned.pk]
    for _ in range(5):
        make_event()
    with django_assert_max_num_queries(6):  # token, user, groups…, events, their areas: not per event
        assert len(client.get(reverse("api-outages")).json()["results"]) == 7


def test_update_and_restore(client_as, make_event):
    event = make_event()
    client = client_as("station_a")
    changed = client.patch(reverse("api-outage-detail", args=[event.pk]), {"cause": "树线矛盾引起跳闸"}, format="json")
    assert changed.status_code == 200 and changed.json()["cause"] == "树线矛盾引起跳闸"
    assert changed.json()["service_areas"] == [{"code": "A-XF", "name": "幸福村"}]  # kept
    done = client.post(reverse("api-outage-restore", args=[event.pk]), {}, format="json")
    assert done.status_code == 200 and done.json()["restored_at"]
    again = client.post(reverse("api-outage-restore", args=[event.pk]), {}, format="json")
    assert again.json()["restored_at"] == done.json()["restored_at"]


def test_errors_are_structured(client_as, make_event, areas):
    event = make_event()
    bad = client_as("lead").post(reverse("api-outages"), _body(kind="storm", source_id=""), format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]
    late = client_as("lead").post(reverse("api-outages"), _body(
        expected_restore_at=(timezone.now() - timedelta(hours=1)).isoformat()), format="json")
    assert late.status_code == 400 and "expected_restore_at" in late.json()["error"]["fields"]
    other_unit = client_as("station_b").patch(reverse("api-outage-detail", args=[event.pk]), {"cause": "x"},
                                              format="json")
    assert other_unit.status_code == 403 and other_unit.json()["error"]["code"] == "forbidden"
    assert client_as("agent").post(reverse("api-outage-restore", args=[event.pk]), {}).status_code == 403
    assert client_as("agent").get(reverse("api-outage-detail", args=["99999"])).status_code == 404
    assert client_as("agent").get(reverse("api-outage-detail", args=["x"])).status_code == 404
    assert client_as("agent").get(reverse("api-outages") + "?active=maybe").status_code == 400


def test_in_the_schema(client_as):
    schema = client_as("agent").get(reverse("api-schema") + "?format=json").json()
    assert {"/api/v1/outages/", "/api/v1/outages/{id}/", "/api/v1/outages/{id}/restore/"} <= set(schema["paths"])


def test_ticket_intake_answers_the_matched_outage(client_as, make_event):
    event = make_event()
    body = {"channel": "95598_phone", "kind": "repair", "description": "家里停电了",
            "customer": {"name": "李四", "phone": "13900139000", "address": "东州市城关镇幸福村8组"}}
    response = client_as("agent").post(reverse("api-tickets"), body, format="json")
    assert response.status_code == 201, response.json()
    assert [(o["id"], o["is_active"], o["cause"]) for o in response.json()["outages"]] == [
        (event.pk, True, event.cause)]
    elsewhere = client_as("agent").post(reverse("api-tickets"), {**body, "customer": {
        "name": "李四", "phone": "13900139001", "address": "和平村"}}, format="json")
    assert elsewhere.json()["outages"] == []


def test_an_update_answers_with_the_new_areas(client_as, areas, units, users):
    from complaints.models import ServiceArea

    ServiceArea.objects.create(code="A-HX", name="红星村", keywords="红星村", unit=units["GS-A1-1"],
                               contact=users["station_a"])
    client = client_as("lead")
    assert client.post(reverse("api-outages"), _body(), format="json").status_code == 201
    second = client.post(reverse("api-outages"), _body(service_areas=["A-XF", "A-HX"]), format="json")
    assert second.status_code == 200, second.json()
    assert sorted(a["code"] for a in second.json()["service_areas"]) == ["A-HX", "A-XF"]
    assert sorted(OutageEvent.objects.get().service_areas.values_list("code", flat=True)) == ["A-HX", "A-XF"]
