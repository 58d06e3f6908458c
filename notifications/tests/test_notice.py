"""Notification texts are shown in the reader's language: stored as a msgid with parameters
(notifications.notice.Notice) and translated when shown; the stored message and e-mail stay Chinese."""
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from complaints.models import SupervisionOrder
from complaints.services import ticket_dispatch, ticket_supervise
from notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    # An English request leaves English active in this thread; later tests expect Chinese.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _english(msgid: str, **params) -> str:
    with translation.override("en"):
        return gettext(msgid) % {k: gettext(v) if isinstance(v, str) else v for k, v in params.items()}


def test_a_dispatch_notice_reads_in_each_readers_language(make_ticket, users, units):
    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    notice = Notification.objects.get(user=users["station_a"], kind="dispatched")
    chinese = f"新派工单 {ticket.number}，请在时限内联系客户"
    assert notice.message == chinese
    with translation.override("zh-hans"):
        assert notice.text == chinese
    english = _english("新派工单 %(number)s，请在时限内联系客户", number=ticket.number)
    with translation.override("en"):
        assert notice.text == english and ticket.number in english and english != chinese
    mail = OutboxMessage.objects.filter(recipient=users["station_a"].email).first()
    assert mail is None or chinese in mail.body  # e-mail is written once, in Chinese

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["station_a"])
    html = client.get("/notifications/").content.decode()
    assert english in html and chinese not in html


def test_a_parameter_that_is_a_label_is_translated_and_peoples_words_are_not(dispatched, users):
    ticket_supervise(ticket=dispatched, actor=users["supervisor"], kind="supervision", content="请今天回电")
    notice = Notification.objects.filter(user=users["station_a"], kind="supervision").latest("id")
    label = SupervisionOrder.OrderKind.SUPERVISION.label
    with translation.override("zh-hans"):
        assert notice.params["order"] == str(label)  # the label is stored as its msgid (Chinese)
    with translation.override("en"):
        text, english_label = notice.text, str(label)
    assert "请今天回电" in text and english_label in text and "收到" not in text


def test_an_old_notice_without_a_template_shows_its_message():
    notice = Notification(message="旧通知", template="")
    with translation.override("en"):
        assert notice.text == "旧通知"
