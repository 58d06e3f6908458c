"""An outage call in a real browser: the agent types the caller's phone, name and address, the
outage covering the address appears before any description is typed, and one click logs the call
as an outage enquiry closed at intake — in well under 30 seconds."""
import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import ServiceArea, Status, Ticket

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_answers_an_outage_call_in_one_click(login, live_server, users, units):
    from outages.services import OutageData, outage_create

    area = ServiceArea.objects.create(code="A-XF", name="幸福村", keywords="幸福村", unit=units["GS-A1-1"],
                                      contact=users["station_a"])
    event = outage_create(actor=users["station_a"], data=OutageData(
        kind="fault", cause="雷雨导致10千伏幸福线跳闸，正在抢修", unit=units["GS-A1-1"],
        start_at=timezone.now() - timedelta(minutes=20), expected_restore_at=timezone.now() + timedelta(hours=2),
        service_areas=[area]))
    page = login("agent")
    started = time.monotonic()
    page.goto(f"{live_server.url}/intake/")
    page.fill("#id_customer_phone", "13912340000")
    page.fill("#id_customer_name", "刘女士")
    page.fill("#id_address", "东州市城关镇幸福村3组")
    card = page.locator(f'#outage-panel [data-outage="{event.pk}"]')
    card.wait_for()
    assert "幸福线跳闸" in card.inner_text()
    assert page.input_value("#id_description") == ""  # shown before the description is typed
    with page.expect_navigation():
        card.locator("[data-outage-call]").click()
    page.wait_for_url(re.compile(r"/tickets/\d{15}/$"))
    elapsed = time.monotonic() - started
    ticket = Ticket.objects.get(number=page.inner_text("[data-ticket-number]"))
    assert (ticket.kind, ticket.status) == ("enquiry", Status.ARCHIVED)
    assert ticket.outage_call.event_id == event.pk and ticket.unit_id is None  # no dispatch
    assert elapsed < 30, elapsed
    assert not page.console_errors, page.console_errors
    screenshot(page, "outage_call")
