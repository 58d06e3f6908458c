"""axe-core (vendored under tests/browser/vendor/axe-core, never served) on the main pages, each as the
role that works in it, on a desktop and on a phone: no critical and no serious violation. The table of
every violation found is printed and written to var/screenshots/axe-violations-<width>.txt (kept with
the CI screenshots)."""
from pathlib import Path

import pytest

from complaints.services import ticket_dispatch

from .conftest import DESKTOP, PHONE, SCREENSHOTS, settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# (name, user, url); "{ticket}" is a dispatched complaint of station A (its upload form shown).
MAIN_PAGES = [
    ("login", None, "/accounts/login/"),
    ("my-work", "station_a", "/queue/my-work/"),
    ("dispatch queue", "lead", "/queue/dispatch/"),
    ("ticket list", "supervisor", "/tickets/"),
    ("ticket detail", "station_a", "/tickets/{ticket}/"),
    ("intake", "agent", "/intake/"),
    ("dashboard", "supervisor", "/reports/"),
    ("bulletin", "supervisor", "/reports/bulletin/"),
    ("risk list", "supervisor", "/risk/"),
    ("outages", "agent", "/outages/"),
    ("knowledge", "agent", "/knowledge/"),
]
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                      target: v.nodes[0].target.join(" ")}));
}"""


def axe_violations(page) -> list[dict]:
    settled(page)
    if page.locator("[data-chart]").count():
        page.wait_for_selector("[data-chart][data-chart-ready='1']")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through the DevTools protocol: the page's CSP stays on
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_have_no_critical_or_serious_axe_violation(open_as, live_server, demo_day, make_ticket,
                                                               users, units, viewport):
    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    rows, bad = [], []
    for name, user, url in MAIN_PAGES:
        page = open_as(user, viewport=viewport, is_mobile=viewport is PHONE)
        response = page.goto(live_server.url + url.format(ticket=ticket.number))
        assert response.status == 200, (name, response.status)
        found = axe_violations(page)
        rows += [(name, v["impact"], v["id"], v["nodes"], v["target"]) for v in found] or [(name, "—", "none", 0, "")]
        bad += [(name, v["id"]) for v in found if v["impact"] in ("critical", "serious")]
        page.context.close()
    table = "\n".join(f"| {n} | {i} | {r} | {c} | {t} |" for n, i, r, c, t in rows)
    table = "| page | impact | rule | nodes | first node |\n|---|---|---|---|---|\n" + table
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"axe-violations-{viewport['width']}.txt").write_text(table + "\n", encoding="utf-8")
    print("\n" + table)
    assert bad == [], table
