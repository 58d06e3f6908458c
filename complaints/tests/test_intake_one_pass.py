"""Intake errors in one pass: an empty submit names every missing field at once (the form's own and the
intake service's rules together), and an over-long description is refused with its count, kept in the
field, never cut."""
import re

from django.urls import reverse

from complaints.models import Ticket


def _empty_submit(**overrides):
    data = {"channel": "95598_phone", "kind": "complaint", "category": "", "severity": "ordinary",
            "service_type": "", "received_at": "", "customer_name": "", "customer_phone": "", "account_no": "",
            "address": "", "description": "", "mood": "calm", "idempotency_key": "k-empty"}
    data.update(overrides)
    return data


def test_empty_submit_shows_every_error_at_once(client_for):
    response = client_for("agent").post(reverse("complaints:intake"), _empty_submit())
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("customer_name", "description", "customer_phone", "category"):
        assert f'id="id_{field}_errors"' in body, field
    assert "联系电话和户号至少填写一项" in body and "投诉须选择分类" in body
    assert "请检查标红的 4 项：" in body and "分类" in body.split("请检查标红的 4 项：")[1].split("<")[0]
    assert 'class="form-label required" for="id_category"' in body
    assert not Ticket.objects.exists()


def test_description_beyond_the_limit_is_refused_and_kept(client_for):
    text = "停" * 5001
    response = client_for("agent").post(reverse("complaints:intake"), _empty_submit(
        customer_name="李四", customer_phone="13900139000", category="", kind="enquiry", description=text))
    assert response.status_code == 400
    body = response.content.decode()
    assert "诉求内容最多 5000 字，现有 5001 字" in body
    assert text in body  # the whole text is back in the field
    tag = re.search(r'<textarea[^>]*id="id_description"[^>]*>', body).group(0)
    assert "maxlength" not in tag and 'data-max="5000"' in tag  # a paste is never cut by the browser
    assert not Ticket.objects.exists()
