"""A lead bulk-dispatching ten tickets from the dispatch queue, at a desk (1440×900) and on a phone
(390×844): "select all on this page", one unit, one submit; the page shows a result per ticket
without navigating away (filters, page and scroll kept), the dispatched tickets leave the list.
On the phone the bulk controls come first and their targets are at least 44 px. Screenshots of the
last step: var/screenshots/bulk_dispatch_<width>.png."""
import pytest

from complaints.models import Status, Ticket
from complaints.services import ticket_contact, ticket_dispatch, ticket_reply

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOUCH = 44


def tall_enough(locator, what):
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        if box:
            assert box["height"] >= TOUCH and box["width"] >= TOUCH, (what, i, box)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_lead_bulk_dispatches_ten_tickets(open_as, live_server, make_ticket, units, viewport):
    phone = viewport is PHONE
    tickets = [make_ticket(customer_name=f"客户{i}", description=f"第{i}户电压偏低") for i in range(10)]
    unit = units["GS-A1-1"]
    page = open_as("lead", viewport=viewport, is_mobile=phone)
    page.goto(f"{live_server.url}/queue/dispatch/")
    page.evaluate("window.samePage = true")  # gone if the browser navigated
    width = viewport["width"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width

    if phone:
        bar = page.locator("#bulk-form").bounding_box()
        first_card = page.locator("tr[data-ticket]").first.bounding_box()
        assert bar["y"] < first_card["y"], "the bulk controls come before the cards"
        tall_enough(page.locator("tr[data-ticket] .pick-target"), "row checkbox")
        tall_enough(page.locator("#bulk-form .form-check"), "select all")
        tall_enough(page.locator("#bulk-form select, #bulk-form button[type=submit]"), "bulk controls")

    page.check("#bulk-all")
    assert page.locator("input[data-pick]:checked").count() == 10
    assert page.inner_text("#bulk-count") == "已选 10 张"
    page.select_option("#bulk-action", "dispatch")
    page.fill("#bulk-unit-filter", "城关")
    page.select_option("#id_bulk-dispatch-unit", str(unit.pk))
    page.click("[data-bulk-submit]")

    page.wait_for_selector("#bulk-result-panel")
    assert page.locator(".bulk-result-list li").count() == 10
    assert page.locator(".bulk-result-list li.is-done").count() == 10
    assert "派发：完成 10 张，未完成 0 张" in page.inner_text("#bulk-result-panel")
    for t in tickets:
        assert f"已派发至 {unit.name}" in page.inner_text(f'li[data-result="{t.number}"]')
    # The queue refreshes in place: the dispatched rows leave, the page was not reloaded.
    page.wait_for_function("() => !document.querySelector('#queue-rows tr[data-ticket]')")
    assert page.evaluate("window.samePage") is True
    assert Ticket.objects.filter(pk__in=[t.pk for t in tickets], status=Status.DISPATCHED, unit=unit).count() == 10
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert not page.console_errors, page.console_errors
    screenshot(page, f"bulk_dispatch_{width}")


def test_station_manager_bulk_assigns_on_a_phone(open_as, live_server, make_ticket, users, units):
    tickets = [ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"]) for _ in range(3)]
    page = open_as("manager_a", viewport=PHONE, is_mobile=True)
    page.goto(f"{live_server.url}/queue/my-work/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    tall_enough(page.locator("tr[data-ticket] .pick-target"), "row checkbox")
    for t in tickets[:2]:
        page.locator(f'tr[data-ticket="{t.number}"] .pick-target').tap()
    assert page.inner_text("#bulk-count") == "已选 2 张"
    page.select_option("#bulk-action", "assign")
    page.select_option("#id_bulk-assign-handler", str(users["station_a"].pk))
    tall_enough(page.locator("#bulk-form select, #bulk-form button[type=submit]"), "bulk controls")
    page.locator("[data-bulk-submit]").tap()
    page.wait_for_selector("#bulk-result-panel")
    assert page.locator(".bulk-result-list li.is-done").count() == 2
    assert [Ticket.objects.get(pk=t.pk).handler_id for t in tickets] == [users["station_a"].pk] * 2 + [None]
    # The rows refresh at once after the action (not at the next polling tick): the new versions show.
    version = Ticket.objects.get(pk=tickets[0].pk).version
    page.wait_for_selector(f'tr[data-ticket="{tickets[0].number}"][data-version="{version}"]', timeout=3_000)
    assert not page.console_errors, page.console_errors
    screenshot(page, "bulk_assign_390")


@pytest.mark.parametrize("url,user,table", [("/queue/supervision/", "supervisor", "#to-review table"),
                                            ("/tickets/", "supervisor", "#ticket-list")])
def test_supervision_desk_and_ticket_list_are_cards_on_a_phone(open_as, live_server, make_ticket, users, units,
                                                               url, user, table):
    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    ticket = ticket_contact(ticket=ticket, actor=users["station_a"], method="phone")
    ticket_reply(ticket=ticket, actor=users["station_a"], substantiated=True, cause="原因", measures="措施",
                 reply_text="答复")
    page = open_as(user, viewport=PHONE, is_mobile=True)
    page.goto(live_server.url + url)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    row = page.locator(f'{table} tr[data-ticket="{ticket.number}"]')
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"  # a card, not a table row
    for cell in row.locator("td[data-label]").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "cards_" + url.strip("/").replace("/", "_") + "_390")
