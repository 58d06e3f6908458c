"""Which events cover a caller: by service area or by an address keyword (台区/线路), active at a
time (started, not restored then) or, at intake, about to start."""
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Setting
from outages.selectors import active_events_for, outage_list

pytestmark = pytest.mark.django_db


def test_matched_by_service_area_or_by_address_keyword(make_event, areas):
    event = make_event()
    assert active_events_for(service_area=areas["village"]) == [event]
    assert active_events_for(service_area=areas["village"].pk) == [event]
    assert active_events_for(address="东州市城关镇城关线3号杆旁") == [event]  # a keyword inside the address
    assert active_events_for(service_area=areas["other"], address="和平村5组") == []
    assert active_events_for() == []


def test_active_window_boundaries(make_event, areas):
    now = timezone.now()
    event = make_event(start_at=now - timedelta(hours=2))
    area = areas["village"]
    assert active_events_for(service_area=area, at=event.start_at) == [event]  # from its very start
    assert active_events_for(service_area=area, at=event.start_at - timedelta(seconds=1)) == []
    from outages.services import outage_restore

    restored_at = now - timedelta(hours=1)
    outage_restore(actor=area.unit.service_areas.first().contact, event=event, restored_at=restored_at)
    assert active_events_for(service_area=area, at=restored_at - timedelta(seconds=1)) == [event]
    assert active_events_for(service_area=area, at=restored_at) == []  # restored: no longer active
    assert active_events_for(service_area=area) == []


def test_upcoming_planned_outage_shown_within_the_setting(make_event, areas):
    now = timezone.now()
    days = 3
    Setting.objects.create(key="outage_upcoming_days", value=days)
    soon = make_event(kind="planned", start_at=now + timedelta(days=days) - timedelta(minutes=1))
    make_event(kind="planned", start_at=now + timedelta(days=days, minutes=1))
    assert active_events_for(service_area=areas["village"], at=now) == []  # not started yet
    found = active_events_for(service_area=areas["village"], at=now, include_upcoming=True)
    assert found == [soon] and found[0].is_active is False


def test_active_first_then_by_start(make_event, areas):
    now = timezone.now()
    upcoming = make_event(kind="planned", start_at=now + timedelta(days=1))
    late = make_event(start_at=now - timedelta(minutes=5))
    early = make_event(start_at=now - timedelta(hours=1))
    assert active_events_for(service_area=areas["village"], include_upcoming=True) == [early, late, upcoming]


def test_list_filters_and_query_count(make_event, areas, django_assert_num_queries):
    now = timezone.now()
    active = make_event()
    make_event(kind="planned", start_at=now + timedelta(days=9), service_areas=[areas["other"]], keywords="")
    assert list(outage_list(active=True)) == [active]
    assert [e.kind for e in outage_list(service_area="B-HP")] == ["planned"]
    with django_assert_num_queries(2):  # events with unit, then their areas
        rows = list(outage_list())
        assert [a.code for e in rows for a in e.service_areas.all()] == ["B-HP", "A-XF"]
