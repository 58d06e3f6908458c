"""The risk rows in the admin are read-only (writes go through risk.services), scoped to the tickets
the administrator may see, and a marked customer's phone is masked there too."""
import pytest
from django.urls import reverse
from django.utils import timezone

from risk.models import SensitiveCustomer, TicketRisk

pytestmark = pytest.mark.django_db


def test_scores_are_shown_never_changed(admin_web, make_ticket):
    ticket = make_ticket()
    risk = TicketRisk.objects.get(ticket=ticket)
    assert admin_web.get(reverse("admin:risk_ticketrisk_changelist")).status_code == 200
    assert admin_web.get(reverse("admin:risk_ticketrisk_add")).status_code == 403
    change = reverse("admin:risk_ticketrisk_change", args=[risk.pk])
    assert admin_web.get(change).status_code == 200
    assert admin_web.post(change, {"score": 99}).status_code == 403
    assert admin_web.post(reverse("admin:risk_ticketrisk_delete", args=[risk.pk]), {"post": "yes"}).status_code == 403
    assert TicketRisk.objects.get(pk=risk.pk).score == risk.score


def test_marks_are_read_only_with_the_phone_masked(admin_web, users):
    mark = SensitiveCustomer.objects.create(phone="13912345678", reason="多次来访", marked_by=users["supervisor"],
                                            marked_at=timezone.now())
    for url in (reverse("admin:risk_sensitivecustomer_changelist"),
                reverse("admin:risk_sensitivecustomer_change", args=[mark.pk])):
        page = admin_web.get(url).content.decode()
        assert "139****5678" in page and "13912345678" not in page
    assert admin_web.get(reverse("admin:risk_sensitivecustomer_add")).status_code == 403
    for name in ("regulatorcase", "interviewlist"):
        assert admin_web.get(reverse(f"admin:risk_{name}_changelist")).status_code == 200
        assert admin_web.get(reverse(f"admin:risk_{name}_add")).status_code == 403
