"""An agent's repeat caller, both viewports: a 常用语 picked with the keyboard in the 直接办结 form
(placeholders filled), then a known caller's details taken at intake with one click; an empty submit
first shows every error at once."""
import re

import pytest

from complaints.models import Status, Ticket
from phrases.seed import seed_phrases

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_agent_uses_a_phrase_and_a_known_callers_details(open_as, live_server, make_ticket, viewport):
    seed_phrases()
    earlier = make_ticket(kind="enquiry", category=None, customer_name="钱先生", address="东州市城关镇新村8号",
                          account_no="3100077777", customer_phone="13712345678")
    page = open_as("agent", viewport=viewport, is_mobile=viewport is PHONE)

    page.goto(f"{live_server.url}/tickets/{earlier.number}/")
    picker = page.locator('select[data-phrase-for="id_close-reply_text"]')
    picker.focus()
    page.keyboard.press("ArrowDown")  # browsing does not insert
    assert page.input_value("#id_close-reply_text") == ""
    page.keyboard.press("Enter")
    text = page.input_value("#id_close-reply_text")
    assert text.startswith("钱先生您好") and earlier.number in text and "{" not in text

    page.goto(f"{live_server.url}/intake/")
    page.click("#intake-submit")  # empty: every error at once, before the server
    for field in ("customer_name", "customer_phone", "category", "description"):
        assert page.locator(f"#id_{field}_client_errors").is_visible(), field
    page.fill("#id_customer_phone", "13712345678")
    page.locator("[data-use-caller]").click()
    assert page.input_value("#id_customer_name") == "钱先生"
    assert page.input_value("#id_address") == "东州市城关镇新村8号"
    assert page.input_value("#id_account_no") == "3100077777"
    page.fill("#category-filter", "态度")
    page.press("#category-filter", "Enter")
    page.fill("#id_description", "再次来电反映抄表员态度问题。")
    page.click("#intake-submit")
    page.wait_for_url(re.compile(r"/tickets/\d{15}/$"))
    ticket = Ticket.objects.get(number=page.inner_text("[data-ticket-number]"))
    assert (ticket.customer_name, ticket.address, ticket.account_no) == ("钱先生", "东州市城关镇新村8号", "3100077777")
    assert ticket.status == Status.REGISTERED
    assert not page.console_errors, page.console_errors
    screenshot(page, f"f_phrase_known_caller_{'phone' if viewport is PHONE else 'desktop'}")
