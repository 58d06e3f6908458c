"""An English walk: every main page rendered for an English-speaking user has no Chinese character
outside customer and organisation data (strings stored in the database: names, addresses, what the
customer said, unit and category names, article texts). Visible text, the attributes people hear or
see (title, aria-label, placeholder, alt) and the charts' options sent by the server are checked."""
import re

import pytest
from django.apps import apps
from django.db import models

from complaints.services import ticket_dispatch
from notifications.models import Notification

from .conftest import DESKTOP, PHONE, screenshot, settled
from .test_accessibility import MAIN_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAN = re.compile(r"[\u4e00-\u9fff]+")
ENGLISH_PAGES = MAIN_PAGES + [
    ("notifications", "station_a", "/notifications/"), ("supervision", "supervisor", "/queue/supervision/")]
# What the page says, without the language switch's own "中文".
PAGE_TEXT = """() => {
  const root = document.documentElement.cloneNode(true);
  root.querySelectorAll('[lang="zh-hans"], style, script:not([type="application/json"])')
      .forEach(e => e.remove());
  const parts = [document.title, root.querySelector("body").innerText || root.querySelector("body").textContent];
  root.querySelectorAll("[title], [aria-label], [placeholder], [alt]").forEach(e => {
    for (const a of ["title", "aria-label", "placeholder", "alt"]) if (e.hasAttribute(a)) parts.push(e.getAttribute(a));
  });
  root.querySelectorAll('script[type="application/json"]').forEach(e => parts.push(e.textContent));
  return parts.join("\\n");
}"""


def stored_strings() -> list[str]:
    """Every Chinese text stored in the database except notifications (whose texts are ours), longest first."""
    found = set()
    for model in apps.get_models():
        if model is Notification or model._meta.proxy:
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        for row in model._default_manager.values_list(*fields) if fields else ():
            found.update(v.strip() for v in row if isinstance(v, str) and HAN.search(v))
    pieces = found | {line.strip() for text in found for line in text.splitlines()}
    return sorted((p for p in pieces if p), key=len, reverse=True)


def chinese_outside_data(text: str, data: list[str]) -> list[str]:
    for value in data:
        text = text.replace(value, " ")
    return sorted(set(HAN.findall(text)))


def walk(open_as, live_server, pages, ticket, *, viewport=DESKTOP) -> dict:
    """{page: [Chinese left after removing stored data]} for the pages that have any."""
    data = stored_strings()
    found = {}
    for name, user, url in pages:
        page = open_as(user, viewport=viewport, locale="en-US")
        response = page.goto(live_server.url + url.format(ticket=ticket.number))
        assert response.status == 200, (name, response.status)
        assert page.evaluate("document.documentElement.lang") == "en", name
        settled(page)
        left = chinese_outside_data(page.evaluate(PAGE_TEXT), data)
        if left:
            found[name] = left
        if name == "dashboard":
            screenshot(page, f"english_dashboard_{viewport['width']}")
        page.context.close()
    return found


def report(found: dict) -> str:
    return "\n".join(f"{name}: {' '.join(words)}" for name, words in found.items())


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_english_pages_have_no_chinese_outside_data(open_as, live_server, demo_day, make_ticket, users, units,
                                                    viewport):
    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    found = walk(open_as, live_server, ENGLISH_PAGES, ticket, viewport=viewport)
    assert found == {}, report(found)

