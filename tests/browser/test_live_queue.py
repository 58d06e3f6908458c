"""Live queues: a major ticket registered elsewhere (through the intake service, while the lead's
dispatch queue is open) appears in the queue within 10 s without a reload, on top, and what the lead
had checked stays checked; while a field has focus the refresh waits, so typing is never disturbed.
At 1440×900 and 390×844; screenshots of the last step: var/screenshots/live_queue_<width>.png."""
import time

import pytest

from complaints.services import ticket_dispatch
from core.models import Setting

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_new_major_ticket_appears_in_the_leads_queue_without_reload(open_as, live_server, make_ticket, viewport):
    phone = viewport is PHONE
    waiting = make_ticket(customer_name="王先生")
    page = open_as("lead", viewport=viewport, is_mobile=phone)
    page.goto(f"{live_server.url}/queue/dispatch/")
    page.evaluate("window.samePage = true")
    page.check(f'tr[data-ticket="{waiting.number}"] input[data-pick]')

    major = make_ticket(severity="major", customer_name="赵女士", description="线路断落砸伤路人，媒体已到场")
    started = time.monotonic()
    page.wait_for_selector(f'#queue-rows tr[data-ticket="{major.number}"]', timeout=10_000)
    elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed
    assert page.evaluate("window.samePage") is True
    assert page.locator("#queue-rows tr[data-ticket]").first.get_attribute("data-ticket") == major.number
    assert page.is_checked(f'tr[data-ticket="{waiting.number}"] input[data-pick]')
    assert "重大" in page.inner_text(f'tr[data-ticket="{major.number}"]')
    assert "共 2 条" in page.inner_text("#list-total")
    print(f"\nnew major ticket shown after {elapsed:.1f} s ({viewport['width']} px)")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    assert not page.console_errors, page.console_errors
    screenshot(page, f"live_queue_{viewport['width']}")


def test_refresh_waits_while_the_user_types(open_as, live_server, make_ticket):
    Setting.objects.create(key="queue_refresh_seconds", value=1)  # administrators may set the period
    first = make_ticket()
    page = open_as("lead")
    page.goto(f"{live_server.url}/queue/dispatch/")
    box = page.locator(f'tr[data-ticket="{first.number}"] input[data-filter-select]')
    box.click()
    box.type("城关")
    later = make_ticket(severity="major")
    page.wait_for_timeout(2_500)  # more than two polling periods
    assert page.locator(f'tr[data-ticket="{later.number}"]').count() == 0  # paused while typing
    assert box.input_value() == "城关" and page.evaluate("document.activeElement") is not None
    assert page.evaluate("document.activeElement.matches('input[data-filter-select]')")
    page.locator("h1").click()  # focus leaves the field: the refresh resumes
    page.wait_for_selector(f'tr[data-ticket="{later.number}"]', timeout=10_000)
    assert page.locator(f'tr[data-ticket="{first.number}"] input[data-filter-select]').input_value() == "城关"


def test_my_work_shows_a_newly_dispatched_ticket_without_reload(open_as, live_server, make_ticket, users, units):
    page = open_as("station_a")
    page.goto(f"{live_server.url}/queue/my-work/")
    page.evaluate("window.samePage = true")
    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    page.wait_for_selector(f'#queue-rows tr[data-ticket="{ticket.number}"]', timeout=10_000)
    assert page.evaluate("window.samePage") is True
    assert not page.console_errors, page.console_errors
