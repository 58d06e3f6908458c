"""Each workflow action through its page endpoint: allowed, refused for the wrong role, and a
stale page (old version) getting the conflict message with nothing changed."""
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Attachment, ExtensionRequest, Status, SupervisionOrder, Ticket
from complaints.services import (
    ticket_extension_request,
)
from tests import samples

pytestmark = pytest.mark.django_db
STALE = "该工单已被他人修改，请刷新后重试"


def post(client, user, ticket, action, data, version=None, next=None):
    client.force_login(user)
    payload = {"version": ticket.version if version is None else version}
    payload.update({f"{action}-{k}": v for k, v in data.items()})
    if next:
        payload["next"] = next
    return client.post(reverse("complaints:act", args=[ticket.number, action]), payload)


def msgs(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


# --- dispatch -------------------------------------------------------------------------------

def test_dispatch_allowed(client, users, units, make_ticket):
    t = make_ticket()
    response = post(client, users["lead"], t, "dispatch", {"unit": units["GS-A1-1"].pk})
    assert response.status_code == 302
    t = fresh(t)
    assert t.status == Status.DISPATCHED and t.unit == units["GS-A1-1"]
    assert any("已派发至" in m for m in msgs(response))


def test_an_action_does_not_load_the_whole_page_before_it_acts(client, users, units, make_ticket,
                                                               django_assert_max_num_queries):
    t = make_ticket()
    client.force_login(users["lead"])
    client.get("/")  # the user's grants are cached from now on, as on a running system
    # Sign-in, scope check, the locked update with its clocks, history, timeline and notifications;
    # the page's timeline, clocks, contacts … are read only when the page is shown again.
    # +4 for the risk rescore (risk app): a savepoint pair, the ticket's counts, the customer's history.
    with django_assert_max_num_queries(34):
        assert post(client, users["lead"], t, "dispatch", {"unit": units["GS-A1-1"].pk}).status_code == 302


def test_dispatch_from_queue_returns_to_queue(client, users, units, make_ticket):
    t = make_ticket()
    queue = reverse("complaints:dispatch_queue")
    response = post(client, users["lead"], t, "dispatch", {"unit": units["GS-A1-1"].pk}, next=queue)
    assert response.status_code == 302 and response["Location"] == queue


def test_dispatch_refused_to_agent(client, users, units, make_ticket):
    t = make_ticket()
    response = post(client, users["agent"], t, "dispatch", {"unit": units["GS-A1-1"].pk})
    assert response.status_code == 403
    assert "您的角色无权执行「派发」" in response.content.decode()
    assert fresh(t).status == Status.REGISTERED


def test_dispatch_stale_version(client, users, units, make_ticket):
    t = make_ticket()
    response = post(client, users["lead"], t, "dispatch", {"unit": units["GS-A1-1"].pk}, version=t.version - 1)
    assert response.status_code == 302
    assert STALE in msgs(response)
    assert fresh(t).status == Status.REGISTERED and fresh(t).version == t.version


def test_dispatch_missing_unit_shows_field_error(client, users, make_ticket):
    t = make_ticket()
    response = post(client, users["lead"], t, "dispatch", {"unit": ""})
    assert response.status_code == 400
    assert 'id="id_dispatch-unit_errors"' in response.content.decode()


# --- unit actions ---------------------------------------------------------------------------

def test_contact_allowed_wrong_role_stale(client, users, dispatched):
    response = post(client, users["agent"], dispatched, "contact", {"method": "phone", "reached": "yes"})
    assert response.status_code == 403 and fresh(dispatched).status == Status.DISPATCHED
    response = post(client, users["station_a"], dispatched, "contact", {"method": "phone", "reached": "yes"},
                    version=dispatched.version + 5)
    assert STALE in msgs(response) and fresh(dispatched).status == Status.DISPATCHED
    response = post(client, users["station_a"], dispatched, "contact",
                    {"method": "phone", "reached": "yes", "note": "已电话联系"})
    assert response.status_code == 302
    assert fresh(dispatched).status == Status.CONTACTED and fresh(dispatched).contacts.count() == 1


def test_contact_other_station_404(client, users, dispatched):
    response = post(client, users["station_b"], dispatched, "contact", {"method": "phone", "reached": "yes"})
    assert response.status_code == 404


def test_return_with_reason(client, users, dispatched):
    response = post(client, users["station_a"], dispatched, "return", {"reason": ""})
    assert response.status_code == 400 and fresh(dispatched).status == Status.DISPATCHED
    response = post(client, users["station_a"], dispatched, "return", {"reason": "不属于本所"})
    assert response.status_code == 302 and fresh(dispatched).status == Status.RETURNED


def test_reply_allowed_and_service_errors(client, users, contacted):
    data = {"substantiated": "yes", "cause": "态度问题", "measures": "批评教育", "reply_text": "已致歉"}
    response = post(client, users["supervisor"], contacted, "reply", data)
    assert response.status_code == 403
    response = post(client, users["station_a"], contacted, "reply", {**data, "cause": ""})
    assert response.status_code == 400 and "已致歉" in response.content.decode()
    response = post(client, users["station_a"], contacted, "reply", data)
    t = fresh(contacted)
    assert t.status == Status.REPLIED and t.substantiated is True and t.reply_text == "已致歉"


def test_reply_in_wrong_state_is_conflict(client, users, dispatched):
    data = {"substantiated": "no", "cause": "c", "measures": "m", "reply_text": "r"}
    response = post(client, users["station_a"], dispatched, "reply", data)
    assert response.status_code == 302
    assert any("不能答复" in m for m in msgs(response))
    assert fresh(dispatched).status == Status.DISPATCHED


def test_extension_request_and_decision(client, users, dispatched):
    response = post(client, users["station_a"], dispatched, "extend", {"days": "2", "reason": "需现场勘查"})
    assert response.status_code == 302
    assert ExtensionRequest.objects.filter(ticket=dispatched, decision="pending").count() == 1
    t = fresh(dispatched)
    response = post(client, users["station_a"], t, "extension_decision", {"approved": "yes"})
    assert response.status_code == 403
    response = post(client, users["supervisor"], t, "extension_decision", {"approved": "yes", "note": "同意"})
    assert response.status_code == 302
    assert ExtensionRequest.objects.get(ticket=t).decision == "approved"


def test_assign_handler(client, users, dispatched):
    response = post(client, users["manager_a"], dispatched, "assign", {"handler": users["station_a"].pk})
    assert response.status_code == 302 and fresh(dispatched).handler == users["station_a"]
    response = post(client, users["manager_a"], fresh(dispatched), "assign", {"handler": users["station_b"].pk})
    assert response.status_code == 400  # not a person of the unit: not even offered


def test_note_chase_add_info(client, users, dispatched):
    assert post(client, users["station_a"], dispatched, "note", {"text": "已约定明日上门"}).status_code == 302
    t = fresh(dispatched)
    assert post(client, users["agent"], t, "chase", {"note": "客户来电催促"}).status_code == 302
    t = fresh(t)
    assert t.chase_count == 1
    assert post(client, users["agent"], t, "add_info", {"text": "客户补充：已多次反映"}).status_code == 302
    assert post(client, users["viewer"], fresh(t), "note", {"text": "x"}).status_code == 403


# --- supervision ----------------------------------------------------------------------------

def test_review_approve_and_reject(client, users, replied):
    response = post(client, users["station_a"], replied, "review", {"approved": "yes"})
    assert response.status_code == 403
    response = post(client, users["supervisor"], replied, "review", {"approved": "no", "comment": ""})
    assert response.status_code == 400 and "退回答复时请填写审核意见" in response.content.decode()
    response = post(client, users["supervisor"], replied, "review", {"approved": "no", "comment": "答复不完整"})
    assert fresh(replied).status == Status.CONTACTED


def test_review_stale(client, users, replied):
    response = post(client, users["supervisor"], replied, "review", {"approved": "yes"}, version=1)
    assert STALE in msgs(response) and fresh(replied).status == Status.REPLIED


def test_callback_unsatisfied_redispatches(client, users, reviewed):
    response = post(client, users["agent"], reviewed, "callback", {"result": "unsatisfied"})
    assert response.status_code == 403
    response = post(client, users["supervisor"], reviewed, "callback", {"result": "unsatisfied", "note": "不满意"})
    t = fresh(reviewed)
    assert t.status == Status.DISPATCHED and t.redispatch_count == 1


def test_callback_satisfied_archives(client, users, reviewed):
    post(client, users["supervisor"], reviewed, "callback", {"result": "satisfied"})
    assert fresh(reviewed).status == Status.ARCHIVED


def test_supervise_and_responsibility(client, users, replied):
    response = post(client, users["supervisor"], replied, "supervise", {"kind": "supervision", "content": "限期办结"})
    assert response.status_code == 302 and SupervisionOrder.objects.filter(ticket=replied).count() == 1
    t = fresh(replied)
    response = post(client, users["supervisor"], t, "responsibility", {"at_fault": "yes", "decision": ""})
    assert response.status_code == 400 and "有责投诉须填写考核意见" in response.content.decode()
    response = post(client, users["supervisor"], t, "responsibility",
                    {"at_fault": "yes", "decision": "warning", "person": "某抄表员"})
    t = fresh(t)
    assert t.at_fault is True and t.accountabilities.count() == 1
    assert post(client, users["station_a"], t, "supervise", {"kind": "supervision", "content": "x"}).status_code == 403


def test_withdraw_and_close(client, users, make_ticket):
    t = make_ticket()
    assert post(client, users["station_a"], t, "withdraw", {"reason": "x"}).status_code == 404  # not theirs
    response = post(client, users["agent"], t, "withdraw", {"reason": "客户撤诉"})
    assert fresh(t).status == Status.WITHDRAWN
    enquiry = make_ticket(kind="enquiry", category=None, customer_phone="13600136000")
    response = post(client, users["agent"], enquiry, "close", {"reply_text": "已答复"})
    assert response.status_code == 302 and fresh(enquiry).status == Status.ARCHIVED


def test_unknown_action_404(client, users, make_ticket):
    t = make_ticket()
    assert post(client, users["lead"], t, "explode", {}).status_code == 404


def test_missing_version_is_conflict(client, users, units, make_ticket):
    t = make_ticket()
    client.force_login(users["lead"])
    response = client.post(reverse("complaints:act", args=[t.number, "dispatch"]),
                           {"dispatch-unit": units["GS-A1-1"].pk})
    assert STALE in msgs(response) and fresh(t).status == Status.REGISTERED


# --- attachments ----------------------------------------------------------------------------

def test_attachment_upload_and_download(client, users, dispatched, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(users["station_a"])
    upload = SimpleUploadedFile("现场照片.png", samples.png(), content_type="image/png")
    response = client.post(reverse("complaints:attachment_upload", args=[dispatched.number]), {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get(ticket=dispatched)
    url = reverse("complaints:attachment_download", args=[dispatched.number, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(users["station_b"])
    assert client.get(url).status_code == 404


def test_attachment_bad_type_refused(client, users, dispatched, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(users["station_a"])
    upload = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="text/html")
    response = client.post(reverse("complaints:attachment_upload", args=[dispatched.number]), {"file": upload})
    assert response.status_code == 400 and "只能上传" in response.content.decode()
    assert not Attachment.objects.exists()


# --- notifications --------------------------------------------------------------------------

def test_notifications_list_and_mark_read(client, users, dispatched):
    from notifications.models import Notification

    client.force_login(users["station_a"])
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200 and dispatched.number in response.content.decode()
    item = Notification.objects.filter(user=users["station_a"]).first()
    response = client.post(reverse("notifications:open", args=[item.pk]))
    assert response["Location"] == reverse("complaints:detail", args=[dispatched.number])
    assert Notification.objects.get(pk=item.pk).read_at is not None
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(user=users["station_a"], read_at__isnull=True).exists()
    client.force_login(users["station_b"])
    assert client.post(reverse("notifications:open", args=[item.pk])).status_code == 404


def test_extension_pending_listed_on_supervision(client, users, dispatched):
    ticket_extension_request(ticket=dispatched, actor=users["station_a"], days=3, reason="复杂")
    client.force_login(users["supervisor"])
    body = client.get(reverse("complaints:supervision")).content.decode()
    assert dispatched.number in body
