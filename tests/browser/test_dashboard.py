"""The dashboard renders in Chromium under the strict CSP with its charts drawn (a canvas inside
each chart box). Screenshot: var/screenshots/dashboard.png."""
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium not installed"),
]


@pytest.fixture
def page(live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        yield context
        context.close()
        browser.close()


def _login(context, live_server, user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_its_charts(page, live_server, make_ticket, users, units):
    from complaints.services import ticket_dispatch

    for channel, unit in (("95598_phone", "GS-A1-1"), ("12398", "GS-A1-2"), ("95598_online", "GS-B1-1")):
        ticket_dispatch(ticket=make_ticket(channel=channel), actor=users["lead"], unit=units[unit])
    make_ticket(kind="enquiry", category=None)
    _login(page, live_server, users["viewer"])
    errors = []
    tab = page.new_page()
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
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
    Path("var/screenshots").mkdir(parents=True, exist_ok=True)
    tab.screenshot(path="var/screenshots/dashboard.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
