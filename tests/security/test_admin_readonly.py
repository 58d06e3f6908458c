"""The admin is not a second path for ticket state: tickets and their history are read-only there,
customer details are masked, and the sensitive-access log cannot be edited."""
import pytest
from django.urls import reverse

from complaints.models import SensitiveAccess, Status

pytestmark = pytest.mark.django_db


def test_ticket_list_with_filters(admin_web, dispatched):
    ticket = dispatched()
    url = reverse("admin:complaints_ticket_changelist")
    response = admin_web.get(url, {"status__exact": "dispatched"})
    assert response.status_code == 200
    assert [t.number for t in response.context["cl"].result_list] == [ticket.number]
    assert not admin_web.get(url, {"status__exact": "archived"}).context["cl"].result_list
    assert "customer_name" not in response.content.decode()


def test_ticket_cannot_be_added_changed_or_deleted(admin_web, dispatched):
    ticket = dispatched()
    assert admin_web.get(reverse("admin:complaints_ticket_add")).status_code == 403
    change = reverse("admin:complaints_ticket_change", args=[ticket.pk])
    page = admin_web.get(change)
    assert page.status_code == 200  # view only
    html = page.content.decode()
    assert 'name="_save"' not in html and "138****8000" in html and "13800138000" not in html
    assert admin_web.post(change, {"status": Status.ARCHIVED, "customer_name": "x"}).status_code == 403
    delete = reverse("admin:complaints_ticket_delete", args=[ticket.pk])
    assert admin_web.post(delete, {"post": "yes"}).status_code == 403
    response = admin_web.post(reverse("admin:complaints_ticket_changelist"),
                              {"action": "delete_selected", "_selected_action": [ticket.pk], "post": "yes"})
    assert response.status_code in (200, 302, 403)
    ticket.refresh_from_db()
    assert ticket.status == Status.DISPATCHED and ticket.customer_name == "张三"


def test_ticket_history_is_shown_but_cannot_be_reverted(admin_web, dispatched):
    ticket = dispatched()
    history = reverse("admin:complaints_ticket_history", args=[ticket.pk])
    response = admin_web.get(history)
    assert response.status_code == 200
    assert "lead" in response.content.decode() or "李班长" in response.content.decode()
    first = ticket.history.order_by("history_date").first()  # the "registered" version
    form_url = reverse("admin:complaints_ticket_simple_history", args=[ticket.pk, first.history_id])
    view = admin_web.get(form_url)
    assert view.status_code == 200
    assert "13800138000" not in view.content.decode()
    assert admin_web.post(form_url, {}).status_code == 403
    assert admin_web.post(form_url, {"_change_history": "1"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Status.DISPATCHED
    assert ticket.history.count() == 2


def test_history_is_read_only_for_every_audited_model_in_the_admin():
    from django.contrib import admin as django_admin
    from simple_history.admin import SimpleHistoryAdmin

    from core.admin import ReadOnlyHistoryAdmin

    for model, model_admin in django_admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, ReadOnlyHistoryAdmin), model


def test_sensitive_access_log_is_read_only(admin_web, dispatched, users):
    ticket = dispatched()
    row = SensitiveAccess.objects.create(ticket=ticket, user=users["agent"], field="customer_phone")
    assert admin_web.get(reverse("admin:complaints_sensitiveaccess_changelist")).status_code == 200
    assert admin_web.get(reverse("admin:complaints_sensitiveaccess_add")).status_code == 403
    change = reverse("admin:complaints_sensitiveaccess_change", args=[row.pk])
    assert admin_web.get(change).status_code == 200
    assert admin_web.post(change, {"field": "x"}).status_code == 403
    assert admin_web.post(reverse("admin:complaints_sensitiveaccess_delete", args=[row.pk]),
                      {"post": "yes"}).status_code == 403
    assert SensitiveAccess.objects.filter(pk=row.pk, field="customer_phone").exists()
