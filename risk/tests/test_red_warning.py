"""Crossing the red threshold issues one 投诉风险预警单 per crossing, notifies the unit's managers
and the supervision office; the risk list (page and API) shows what the user's scope holds."""
import pytest

from complaints import services as s
from complaints.models import SupervisionOrder
from core.config import setting
from core.models import Setting
from notifications.models import Notification
from risk.models import Level, TicketRisk
from risk.services import risk_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def half_red(db):
    """One chase is worth half the red threshold: two chases cross it."""
    Setting.objects.create(key="risk_weight_chases", value=setting("risk_level_red") / 2)


def change_setting(key, value):
    row = Setting.objects.get(key=key)
    row.value = value
    row.save()  # clears the settings cache (post_save)


def warnings_of(ticket):
    return SupervisionOrder.objects.filter(ticket=ticket, kind=SupervisionOrder.OrderKind.RISK_WARNING)


def test_crossing_red_issues_one_warning_and_notifies(half_red, dispatched, users):
    s.ticket_chase(ticket=dispatched.number, actor=users["agent"])
    assert not warnings_of(dispatched).exists()
    s.ticket_chase(ticket=dispatched.number, actor=users["agent"])
    risk = TicketRisk.objects.get(ticket=dispatched)
    assert risk.level == Level.RED and risk.red_since is not None
    order = warnings_of(dispatched).get()
    assert order.automatic and order.issued_by is None and order.due_at > order.issued_at
    assert "客户催办 2 次" in order.content
    assert dispatched.events.filter(action="auto_supervise", data__kind="risk_warning").count() == 1
    told = set(Notification.objects.filter(ticket=dispatched, kind="risk_warning").values_list("user__username",
                                                                                              flat=True))
    assert {"manager_a", "supervisor"} <= told
    # Staying red (another chase, a sweep) issues nothing more.
    s.ticket_chase(ticket=dispatched.number, actor=users["agent"])
    risk_sweep()
    assert warnings_of(dispatched).count() == 1


def test_leaving_red_rearms_the_warning(half_red, dispatched, users):
    for _ in range(2):
        s.ticket_chase(ticket=dispatched.number, actor=users["agent"])
    assert warnings_of(dispatched).count() == 1
    change_setting("risk_weight_chases", 1)
    risk_sweep()
    assert TicketRisk.objects.get(ticket=dispatched).red_since is None
    change_setting("risk_weight_chases", setting("risk_level_red"))
    risk_sweep()
    assert warnings_of(dispatched).count() == 2  # a second crossing, a second warning


def test_warning_answered_and_closed_like_any_order(half_red, dispatched, users):
    for _ in range(2):
        s.ticket_chase(ticket=dispatched.number, actor=users["agent"])
    order = warnings_of(dispatched).get()
    s.supervision_reply(ticket=dispatched.number, actor=users["station_a"], order_id=order.pk, text="已上门致歉")
    order.refresh_from_db()
    assert order.replied_at is not None


def test_a_failed_warning_never_fails_the_action_and_is_issued_later(half_red, dispatched, users, monkeypatch,
                                                                     caplog):
    from django.db import DatabaseError

    def broken(*_args, **_kw):
        raise DatabaseError("supervision table locked")

    s.ticket_chase(ticket=dispatched.number, actor=users["agent"])
    monkeypatch.setattr("risk.services._issue_warnings", broken)
    ticket = s.ticket_chase(ticket=dispatched.number, actor=users["agent"])
    assert ticket.chase_count == 2
    assert "the next rescoring will" in caplog.text
    risk = TicketRisk.objects.get(ticket=dispatched)
    assert risk.level == Level.RED and risk.red_since is None and not warnings_of(dispatched).exists()
    monkeypatch.undo()
    risk_sweep()  # the score did not change; the unwarned red crossing is warned now, once
    assert warnings_of(dispatched).count() == 1 and TicketRisk.objects.get(ticket=dispatched).red_since
    risk_sweep()
    assert warnings_of(dispatched).count() == 1
