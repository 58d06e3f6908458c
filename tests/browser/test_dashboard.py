"""The dashboard renders in Chromium under the strict CSP with its charts drawn (a canvas inside
each chart box). Screenshot: var/screenshots/dashboard.png."""
import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_its_charts(open_as, live_server, make_ticket, users, units):
    from complaints.services import ticket_dispatch

    for channel, unit in (("95598_phone", "GS-A1-1"), ("12398", "GS-A1-2"), ("95598_online", "GS-B1-1")):
        ticket_dispatch(ticket=make_ticket(channel=channel), actor=users["lead"], unit=units[unit])
    make_ticket(kind="enquiry", category=None)
    tab = open_as("viewer")
    errors = tab.console_errors
    tab.goto(f"{live_server.url}/reports/")
    tab.wait_for_selector('[data-chart="chart-trend"] canvas', timeout=15000)
    boxes = tab.locator("[data-chart]")
    assert boxes.count() >= 8
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.locator("canvas").first.wait_for(timeout=5000)
        assert box.get_attribute("data-chart-ready") == "1"
    assert "统计看板" in tab.title()
    assert tab.locator("[data-figure=volume] .num").inner_text().strip() == "4"
    screenshot(tab, "dashboard")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
