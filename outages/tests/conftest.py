from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import ServiceArea


@pytest.fixture
def areas(units, users):
    village = ServiceArea.objects.create(code="A-XF", name="幸福村", keywords="幸福村", unit=units["GS-A1-1"],
                                         contact=users["station_a"])
    other = ServiceArea.objects.create(code="B-HP", name="和平村", keywords="和平村", unit=units["GS-B1-1"],
                                       contact=users["station_b"])
    return {"village": village, "other": other}


@pytest.fixture
def make_event(users, units, areas):
    """make_event(**overrides) → an event entered through the service by station_a."""
    from outages.services import OutageData, outage_create

    def make(actor=None, **overrides):
        fields = dict(kind="fault", cause="10千伏城关线故障跳闸", unit=units["GS-A1-1"],
                      start_at=timezone.now() - timedelta(minutes=30), service_areas=[areas["village"]],
                      keywords="城关线")
        fields.update(overrides)
        fields.setdefault("expected_restore_at", fields["start_at"] + timedelta(hours=4))
        return outage_create(actor=actor or users["station_a"], data=OutageData(**fields))

    return make
