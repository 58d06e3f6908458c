"""Playwright + Debian's Chromium against pytest-django's live_server."""
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run there otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (make browser)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield instance
        instance.close()


@pytest.fixture
def login(browser, live_server):
    """login("agent") → a Playwright page signed in as that demo user (own browser context)."""
    contexts = []

    def go(username, password="Demo@12345"):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("form:has(input[name=password]) button[type=submit]")
        assert "/accounts/login/" not in page.url, f"login failed for {username}: " + page.inner_text("main")
        return page

    yield go
    for context in contexts:
        context.close()


def settled(page) -> None:
    """The page and what htmx loads into it on arrival (the intake's clock preview, say) are in.
    Playwright's "networkidle" waits for half a second of silence, after every page."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def open_as(browser, live_server, users):
    """open_as("lead", viewport=PHONE, locale="en") → a Playwright page signed in by session cookie
    (no login form: the pages under test are what matters), in its own browser context."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def go(username=None, *, viewport=DESKTOP, locale="zh-CN", is_mobile=False):
        context = browser.new_context(locale=locale, viewport=viewport, is_mobile=is_mobile, has_touch=is_mobile)
        context.set_default_timeout(15_000)
        contexts.append(context)
        if username:
            client = Client()
            client.force_login(users[username])
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.console_errors = errors
        return page

    yield go
    for context in contexts:
        context.close()


@pytest.fixture
def demo_day(reference):
    """A small demo centre (tickets in every state, outages, knowledge articles), through the services."""
    from complaints.demo import seed_demo_tickets
    from knowledge.demo import seed_demo_articles
    from outages.demo import seed_demo_outages

    seed_demo_tickets(count=40)
    seed_demo_outages()
    seed_demo_articles()
