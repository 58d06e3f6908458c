"""Three journeys of the case loop in a real browser (Chromium, headless)."""
import re

import pytest

from complaints.models import Status, Ticket
from complaints.services import ticket_contact, ticket_dispatch, ticket_reply

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_logs_a_95598_complaint(login, live_server, users):
    page = login("agent")
    page.goto(f"{live_server.url}/intake/")
    assert page.evaluate("document.activeElement.name") == "customer_phone"  # autofocus
    page.select_option("#id_channel", "95598_phone")
    page.select_option("#id_kind", "complaint")
    page.fill("#id_customer_phone", "13912345678")
    page.fill("#id_account_no", "3100055555")
    page.fill("#id_customer_name", "孙女士")
    page.fill("#id_address", "东州市城关镇幸福村3组")
    page.fill("#category-filter", "态度")
    page.press("#category-filter", "Enter")  # picks the first matching item, does not submit
    assert page.eval_on_selector("#id_category", "s => s.options[s.selectedIndex].text").endswith("服务态度")
    page.fill("#id_description", "抄表员上门时态度恶劣，要求道歉。")
    page.click("#intake-submit")
    page.wait_for_url(re.compile(r"/tickets/\d{15}/$"))
    number = page.inner_text("[data-ticket-number]")
    ticket = Ticket.objects.get(number=number)
    assert ticket.status == Status.REGISTERED and ticket.customer_name == "孙女士"
    assert ticket.category.code == "FW01"
    assert "工单号" in page.inner_text(".app-messages")
    assert "已受理" in page.inner_text(".page-header")
    assert not page.console_errors, page.console_errors
    screenshot(page, "a_agent_intake")


def test_lead_dispatches_and_station_contacts_and_replies(login, live_server, users, units, make_ticket):
    ticket = make_ticket(customer_name="周先生", description="电压低，空调无法启动")
    station = units["GS-A1-1"]

    lead = login("lead")
    lead.goto(f"{live_server.url}/queue/dispatch/")
    row = lead.locator(f'tr[data-ticket="{ticket.number}"]')
    row.locator("select").select_option(str(station.pk))
    with lead.expect_navigation():
        row.locator("button[type=submit]").click()
    assert "已派发至" in lead.inner_text(".app-messages")
    assert Ticket.objects.get(pk=ticket.pk).unit_id == station.pk

    handler = login("station_a")
    handler.goto(f"{live_server.url}/queue/my-work/")
    handler.click(f'tr[data-ticket="{ticket.number}"] a.ticket-no')
    handler.wait_for_url(re.compile(ticket.number))
    form = handler.locator('form[data-action="contact"]')
    form.locator("select[name=contact-method]").select_option("phone")
    form.locator("textarea[name=contact-note]").fill("已电话联系客户，约定明日上门测量电压")
    with handler.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "已记录联系情况" in handler.inner_text(".app-messages")

    form = handler.locator('form[data-action="reply"]')
    form.locator("input[name=reply-substantiated][value=yes]").check()
    form.locator("textarea[name=reply-cause]").fill("台区负荷过重导致末端电压偏低")
    form.locator("textarea[name=reply-measures]").fill("调整变压器分接头，新增一条低压出线")
    form.locator("textarea[name=reply-reply_text]").fill("已于次日完成改造，电压恢复正常，已向客户致歉")
    with handler.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "已提交答复" in handler.inner_text(".app-messages")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.REPLIED
    assert "已答复" in handler.inner_text(".page-header")
    assert not handler.console_errors, handler.console_errors
    screenshot(handler, "b_dispatch_contact_reply")


def test_supervisor_reviews_and_unsatisfied_callback_redispatches(login, live_server, users, units, make_ticket):
    ticket = ticket_dispatch(ticket=make_ticket(customer_name="吴女士"), actor=users["lead"], unit=units["GS-A1-1"])
    ticket_contact(ticket=ticket, actor=users["station_a"], method="phone", note="已联系")
    ticket_reply(ticket=ticket, actor=users["station_a"], substantiated=True, cause="抄表员服务意识差",
                 measures="通报批评并培训", reply_text="已致歉")

    page = login("supervisor")
    page.goto(f"{live_server.url}/queue/supervision/")
    page.click(f'#to-review tr[data-ticket="{ticket.number}"] a.ticket-no')
    page.wait_for_url(re.compile(ticket.number))
    form = page.locator('form[data-action="review"]')
    form.locator("input[name=review-approved][value=yes]").check()
    form.locator("textarea[name=review-comment]").fill("答复完整")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "审核已提交" in page.inner_text(".app-messages")

    form = page.locator('form[data-action="callback"]')
    form.locator("input[name=callback-result][value=unsatisfied]").check()
    form.locator("textarea[name=callback-note]").fill("客户对处理结果不满意，要求重新处理")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    ticket.refresh_from_db()
    assert ticket.status == Status.DISPATCHED and ticket.redispatch_count == 1
    assert ticket.unit == units["GS-A1-1"]
    header = page.inner_text(".page-header")
    assert "已派发" in header
    assert "1 次" in page.inner_text("#main-content")
    assert not page.console_errors, page.console_errors
    screenshot(page, "c_review_callback_redispatch")
