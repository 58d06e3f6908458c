"""A known caller at intake: "使用这些信息" carries the newest visible ticket's name, address and account
number from the server (never the phone, never from masked text)."""
import re

from django.urls import reverse


def _button(body):
    match = re.search(r"<button[^>]*data-use-caller[^>]*>", body)
    return match.group(0) if match else ""


def test_use_these_details_carries_the_newest_tickets_fields(make_ticket, client_for):
    make_ticket(customer_name="旧名", address="旧地址", account_no="3100011111")
    make_ticket(customer_name="王五", address="东州市城关镇新村8号", account_no="3100022222")
    body = client_for("agent").get(reverse("complaints:earlier"), {"customer_phone": "13800138000"}).content.decode()
    button = _button(body)
    assert 'data-customer-name="王五"' in button and 'data-address="东州市城关镇新村8号"' in button
    assert 'data-account-no="3100022222"' in button
    assert "13800138000" not in button and "138****8000" not in button


def test_no_details_offered_for_a_hidden_complainant(make_ticket, client_for):
    make_ticket(kind="report", category=None, customer_name="举报人甲")
    body = client_for("agent").get(reverse("complaints:earlier"), {"customer_phone": "13800138000"}).content.decode()
    assert "举报人甲" not in body and not _button(body)
