"""Sensitive customers (敏感客户): ≥ N complaints in 12 months (setting; boundary N−1 / N), any 12398
ticket, or marked by hand with a reason (recorded, removable with a reason); listed with their
tickets; the intake panel shows the mark; phone numbers masked."""
import pytest
from django.urls import reverse

from complaints.models import Category
from core.config import setting
from risk.models import SensitiveCustomer, TicketRisk
from risk.selectors import sensitive_status

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def complaints(make_ticket, n, **kw):
    codes = list(Category.objects.filter(parent__isnull=False).values_list("code", flat=True))
    # a different category each time: not repeats (the boundary is about the count only)
    return [make_ticket(customer_phone=PHONE, account_no="", category=Category.objects.get(code=codes[i]), **kw)
            for i in range(n)]


def earlier_panel(client_for, phone=PHONE):
    return client_for("agent").get(reverse("complaints:earlier"), {"customer_phone": phone}).content.decode()


def test_one_complaint_short_of_n_is_not_sensitive(make_ticket, client_for):
    complaints(make_ticket, setting("sensitive_complaints_n") - 1)
    assert sensitive_status(phone=PHONE) is None
    assert 'id="sensitive-mark"' not in earlier_panel(client_for)


def test_n_complaints_make_the_customer_sensitive(make_ticket, client_for):
    n = setting("sensitive_complaints_n")
    tickets = complaints(make_ticket, n)
    status = sensitive_status(phone=PHONE)
    assert status["complaints"] == n and f"12个月内投诉 {n} 件" in status["reasons"]
    assert 'id="sensitive-mark"' in earlier_panel(client_for)
    # the last one is scored sensitive (its own count reached N)
    assert any(f["code"] == "sensitive" for f in TicketRisk.objects.get(ticket=tickets[-1]).factors)


def test_any_12398_ticket_makes_the_customer_sensitive(make_ticket):
    make_ticket(channel="12398", regulator_ref="NEA-77", customer_phone=PHONE, account_no="")
    assert "12个月内12398工单 1 件" in sensitive_status(phone=PHONE)["reasons"]


def test_mark_by_hand_with_reason_then_remove(client_for, make_ticket, users):
    ticket = make_ticket(customer_phone=PHONE, account_no="")
    client = client_for("supervisor")
    response = client.post(reverse("risk:sensitive_mark"), {"phone": PHONE, "reason": "多次到营业厅吵闹"})
    assert response.status_code == 302
    mark = SensitiveCustomer.objects.get()
    assert (mark.reason, mark.marked_by.username) == ("多次到营业厅吵闹", "supervisor")
    assert "多次到营业厅吵闹" in earlier_panel(client_for)
    assert TicketRisk.objects.get(ticket=ticket).score == setting("risk_weight_sensitive")  # rescored at once
    page = client.get(reverse("risk:sensitive")).content.decode()
    assert "139****5678" in page and PHONE not in page and ticket.number in page
    client.post(reverse("risk:sensitive_remove", args=[mark.pk]), {"reason": "已和解"})
    mark.refresh_from_db()
    assert mark.removed_at and mark.removed_reason == "已和解" and mark.removed_by.username == "supervisor"
    assert sensitive_status(phone=PHONE) is None
    assert TicketRisk.objects.get(ticket=ticket).score == 0


def test_mark_needs_a_key_and_a_reason(client_for):
    client = client_for("supervisor")
    response = client.post(reverse("risk:sensitive_mark"), {"phone": "", "reason": "x"}, follow=True)
    assert "户号和电话至少填写一项" in response.content.decode()
    response = client_for("supervisor").post(reverse("risk:sensitive_mark"), {"phone": PHONE, "reason": " "},
                                             follow=True)
    assert "请填写标记原因" in response.content.decode()
    assert not SensitiveCustomer.objects.exists()


def test_only_the_supervision_office_marks(client_for):
    assert client_for("station_a").get(reverse("risk:sensitive")).status_code == 403
    client_for("agent").post(reverse("risk:sensitive_mark"), {"phone": PHONE, "reason": "x"})
    assert not SensitiveCustomer.objects.exists()


def test_a_report_does_not_make_its_customer_sensitive(make_ticket, users, units):
    from complaints.services import ticket_dispatch

    for _ in range(setting("sensitive_complaints_n")):
        ticket_dispatch(ticket=make_ticket(kind="report", customer_phone=PHONE, account_no=""),
                        actor=users["discipline"], unit=units["JJ"])
    assert sensitive_status(phone=PHONE) is None
