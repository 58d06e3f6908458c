"""A station handler's day on a phone (390×844) and at a desk (1440×900): my-work → ticket → call the
customer (through the logged reveal) → contact → evidence upload → reply. On the phone: no sideways
scrolling, the next action within the first screen, touch targets of at least 44 px. Screenshots of the
last step: var/screenshots/phone_handler_<width>.png."""
import re
import struct
import zlib

import pytest

from complaints.models import SensitiveAccess, Status, Ticket
from complaints.services import ticket_dispatch

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOUCH = 44


def png() -> bytes:
    """A 1×1 photo as the camera would hand it over (a real PNG: uploads are checked by content)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def no_sideways_scroll(page, width):
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width, page.url


def tall_enough(locator, what):
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        if box:  # hidden ones have none
            assert box["height"] >= TOUCH, (what, i, box)


def submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_station_handler_contacts_uploads_and_replies(open_as, live_server, make_ticket, users, units, viewport):
    phone = viewport is PHONE
    ticket = ticket_dispatch(ticket=make_ticket(customer_name="周先生", customer_phone="13912345678",
                                                description="电压低，空调无法启动"),
                             actor=users["lead"], unit=units["GS-A1-1"])
    page = open_as("station_a", viewport=viewport, is_mobile=phone)
    width, height = viewport["width"], viewport["height"]

    page.goto(f"{live_server.url}/queue/my-work/")
    no_sideways_scroll(page, width)
    row = page.locator(f'tr[data-ticket="{ticket.number}"]')
    if phone:  # a card: the deadline is on screen, not off to the right
        deadline = row.locator('td[data-label]').last.bounding_box()
        assert deadline["x"] + deadline["width"] <= width
    row.locator("a.ticket-no").click()
    page.wait_for_url(re.compile(ticket.number))
    no_sideways_scroll(page, width)

    contact = page.locator('form[data-action="contact"]')
    top = contact.bounding_box()["y"]
    if phone:
        assert top < height, f"the next action starts {top:.0f} px down"
        tall_enough(contact.locator("button, select, textarea"), "contact form")
        tall_enough(page.locator("#dial-customer"), "call button")
        # Headless Chromium has no dialer: record where the page would send the phone instead.
        page.evaluate("window.App.dial = href => { window.dialled = href; }")
        page.click("#dial-customer")  # reveal (logged), then the tel: link is followed
        page.wait_for_function("() => window.dialled")
        assert page.evaluate("window.dialled") == "tel:13912345678"
        assert SensitiveAccess.objects.filter(ticket=ticket, user=users["station_a"], action="reveal").exists()
    else:
        assert not page.locator("#dial-customer").is_visible() and not page.locator("#id_file_camera").is_visible()

    contact.locator("select[name=contact-method]").select_option("phone")
    contact.locator("textarea[name=contact-note]").fill("已电话联系客户，约定明日上门测量电压")
    submit(page, contact)
    assert "已记录联系情况" in page.inner_text(".app-messages")

    upload = page.locator("#attachment-form")
    chooser = "#id_file_camera" if phone else "#id_file"
    page.set_input_files(chooser, files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png()}])
    if phone:
        assert page.get_attribute("#id_file_camera", "capture") == "environment"
        tall_enough(upload.locator("button"), "upload button")
    submit(page, upload)
    assert "已上传附件「现场.png」" in page.inner_text(".app-messages")
    assert ticket.attachments.filter(name="现场.png").exists()

    reply = page.locator('form[data-action="reply"]')
    if phone:
        assert reply.bounding_box()["y"] < height
        tall_enough(reply.locator(".form-check"), "radios")
        tall_enough(reply.locator("button"), "reply button")
    reply.locator("input[name=reply-substantiated][value=yes]").check()
    reply.locator("textarea[name=reply-cause]").fill("台区负荷过重导致末端电压偏低")
    reply.locator("textarea[name=reply-measures]").fill("调整变压器分接头，新增一条低压出线")
    reply.locator("textarea[name=reply-reply_text]").fill("已于次日完成改造，电压恢复正常，已向客户致歉")
    submit(page, reply)
    assert "已提交答复" in page.inner_text(".app-messages")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.REPLIED
    no_sideways_scroll(page, width)
    assert not page.console_errors, page.console_errors
    screenshot(page, f"phone_handler_{width}")
