"""Every transition through the service layer: allowed, refused by state, wrong role, wrong
unit, stale version; plus intake flags (repeat, escalated, severity) and side records."""
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from complaints.models import (
    Accountability,
    Callback,
    ExtensionRequest,
    Severity,
    Status,
    SupervisionOrder,
    TicketLink,
)
from complaints.services import (
    IntakeData,
    allowed_actions,
    ticket_add_info,
    ticket_assign,
    ticket_callback,
    ticket_chase,
    ticket_close,
    ticket_contact,
    ticket_dispatch,
    ticket_extension_decide,
    ticket_extension_request,
    ticket_register,
    ticket_reply,
    ticket_responsibility,
    ticket_return,
    ticket_review,
    ticket_supervise,
    ticket_withdraw,
)
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from notifications.models import Notification
from sla.models import ClockState

pytestmark = pytest.mark.django_db


def reply(ticket, actor):
    return ticket_reply(ticket=ticket, actor=actor, substantiated=True, cause="原因", measures="措施",
                        reply_text="答复")


class TestIntake:
    def test_number_is_date_based_and_unique(self, make_ticket):
        a, b = make_ticket(), make_ticket(customer_phone="13900000000", account_no="1")
        today = timezone.localdate().strftime("%Y%m%d")
        assert a.number.startswith(today) and b.number.startswith(today)
        assert a.number != b.number and len(a.number) == 15

    def test_repeat_complaint_is_flagged_linked_and_raised(self, make_ticket):
        first = make_ticket()
        second = make_ticket()
        assert second.is_repeat and second.severity == Severity.IMPORTANT
        assert TicketLink.objects.filter(ticket=second, other=first, kind="repeat").exists()
        assert not first.is_repeat

    def test_repeat_window_is_a_setting(self, make_ticket):
        from core.models import Setting

        first = make_ticket()
        with time_machine.travel(first.received_at + timedelta(days=31)):
            assert not make_ticket().is_repeat
        Setting.objects.create(key="repeat_window_days", value=60)  # takes effect at once
        with time_machine.travel(first.received_at + timedelta(days=31)):
            assert make_ticket().is_repeat

    def test_12398_after_95598_is_escalated_and_important(self, make_ticket, category):
        from complaints.models import Category

        make_ticket()
        other_category = Category.objects.get(code="YX01")
        escalated = make_ticket(channel="12398", category=other_category, regulator_ref="NEA-1")
        assert escalated.is_escalated and not escalated.is_repeat
        assert escalated.severity == Severity.IMPORTANT
        assert TicketLink.objects.filter(ticket=escalated, kind="escalated").exists()

    def test_repeat_12398_requires_onsite_investigation(self, make_ticket):
        make_ticket()
        assert make_ticket(channel="12398").onsite_required

    def test_major_notifies_supervision_office(self, make_ticket, users):
        ticket = make_ticket(severity="major")
        assert Notification.objects.filter(user=users["supervisor"], ticket=ticket, kind="major").exists()

    def test_handler_cannot_register(self, users, category):
        with pytest.raises(PermissionDenied):
            ticket_register(actor=users["station_a"], data=IntakeData(
                channel="95598_phone", kind="complaint", customer_name="x", customer_phone="1", description="d",
                category=category))

    @pytest.mark.parametrize("field,value,message", [
        ("channel", "fax", "渠道无效"),
        ("customer_name", "  ", "请填写客户姓名"),
        ("description", "", "请填写诉求内容"),
        ("customer_phone", "abc", "电话号码只能包含数字和 -"),
        ("category", None, "投诉须选择分类"),
    ])
    def test_bad_input_is_refused_and_nothing_saved(self, make_ticket, field, value, message):
        from complaints.models import Ticket

        with pytest.raises(ValidationFailed) as err:
            make_ticket(**{field: value})
        assert message in err.value.fields[field]
        assert Ticket.objects.count() == 0

    def test_future_received_time_refused(self, make_ticket):
        with pytest.raises(ValidationFailed) as err:
            make_ticket(received_at=timezone.now() + timedelta(hours=1))
        assert "received_at" in err.value.fields

    def test_idempotency_key_returns_first_ticket(self, users, category):
        data = IntakeData(channel="95598_online", kind="complaint", customer_name="李四", customer_phone="13700000000",
                          description="d", category=category)
        first, created = ticket_register(actor=users["agent"], data=data, idempotency_key="k-1")
        again, created_again = ticket_register(actor=users["agent"], data=data, idempotency_key="k-1")
        assert created and not created_again and first.pk == again.pk


class TestTransitions:
    def test_dispatch_starts_contact_and_resolution_clocks(self, dispatched):
        clocks = {c.name: c for c in dispatched.clocks.all()}
        assert clocks["dispatch"].state == ClockState.MET
        assert clocks["first_contact"].state == ClockState.RUNNING
        assert clocks["resolution"].due_at > clocks["first_contact"].due_at

    def test_dispatch_refused_for_handler(self, make_ticket, users, units):
        with pytest.raises(PermissionDenied):
            ticket_dispatch(ticket=make_ticket(), actor=users["viewer"], unit=units["GS-A1-1"])

    def test_dispatch_twice_is_a_conflict(self, dispatched, users, units):
        with pytest.raises(Conflict):
            ticket_dispatch(ticket=dispatched, actor=users["lead"], unit=units["GS-B1-1"])

    def test_other_station_cannot_see_or_act(self, dispatched, users):
        with pytest.raises(NotFound):
            ticket_contact(ticket=dispatched, actor=users["station_b"], method="phone")

    def test_stale_version_is_a_conflict_and_changes_nothing(self, dispatched, users):
        stale = dispatched.version - 1
        with pytest.raises(Conflict) as err:
            ticket_contact(ticket=dispatched, actor=users["station_a"], method="phone", expected_version=stale)
        assert err.value.code == "stale"
        dispatched.refresh_from_db()
        assert dispatched.status == Status.DISPATCHED

    def test_return_within_window_then_redispatch(self, dispatched, users, units):
        returned = ticket_return(ticket=dispatched, actor=users["station_a"], reason="不属于本所")
        assert returned.status == Status.RETURNED
        assert {c.name: c.state for c in returned.clocks.all()}["first_contact"] == ClockState.CANCELLED
        again = ticket_dispatch(ticket=returned, actor=users["lead"], unit=units["GS-B1-1"])
        assert again.unit == units["GS-B1-1"]

    def test_return_after_one_working_day_refused(self, dispatched, users):
        with time_machine.travel(timezone.now() + timedelta(days=6)), pytest.raises(Conflict):
            ticket_return(ticket=dispatched, actor=users["station_a"], reason="太晚了")

    def test_return_needs_reason(self, dispatched, users):
        with pytest.raises(ValidationFailed):
            ticket_return(ticket=dispatched, actor=users["station_a"], reason=" ")

    def test_contact_meets_first_contact(self, contacted, users):
        assert contacted.status == Status.CONTACTED and contacted.first_contact_at
        assert contacted.handler == users["station_a"]
        assert {c.name: c.state for c in contacted.clocks.all()}["first_contact"] == ClockState.MET

    def test_unreached_contact_keeps_status(self, dispatched, users):
        ticket = ticket_contact(ticket=dispatched, actor=users["station_a"], method="phone", reached=False)
        assert ticket.status == Status.DISPATCHED

    def test_reply_before_contact_refused(self, dispatched, users):
        with pytest.raises(Conflict):
            reply(dispatched, users["station_a"])

    def test_reply_meets_resolution(self, contacted, users):
        ticket = reply(contacted, users["station_a"])
        assert ticket.status == Status.REPLIED and ticket.substantiated
        assert {c.name: c.state for c in ticket.clocks.all()}["resolution"] == ClockState.MET

    def test_rejected_review_goes_back_to_unit(self, contacted, users):
        ticket = reply(contacted, users["station_a"])
        with pytest.raises(ValidationFailed):
            ticket_review(ticket=ticket, actor=users["supervisor"], approved=False, comment="")
        ticket = ticket_review(ticket=ticket, actor=users["supervisor"], approved=False, comment="答复不完整")
        assert ticket.status == Status.CONTACTED
        assert Notification.objects.filter(user=users["station_a"], kind="reply_rejected").exists()

    def test_handler_cannot_review(self, contacted, users):
        ticket = reply(contacted, users["station_a"])
        with pytest.raises(PermissionDenied):
            ticket_review(ticket=ticket, actor=users["station_a"], approved=True)

    def test_review_starts_callback_clock(self, reviewed):
        assert reviewed.status == Status.REVIEWED
        callback = reviewed.clocks.get(name="callback")
        assert callback.due_at - callback.started_at == timedelta(hours=24)

    def test_satisfied_callback_archives(self, reviewed, users):
        ticket = ticket_callback(ticket=reviewed, actor=users["supervisor"], result="satisfied")
        assert ticket.status == Status.ARCHIVED and ticket.closed_at
        assert ticket.sla_state == "none"

    def test_unsatisfied_callback_redispatches_with_fresh_clocks(self, reviewed, users):
        ticket = ticket_callback(ticket=reviewed, actor=users["supervisor"], result="unsatisfied")
        assert ticket.status == Status.DISPATCHED and ticket.redispatch_count == 1
        resolutions = ticket.clocks.filter(name="resolution").order_by("id")
        assert [c.state for c in resolutions] == [ClockState.MET, ClockState.RUNNING]

    def test_unreachable_archives_after_the_set_number_of_tries(self, reviewed, users):
        ticket = reviewed
        for _ in range(2):
            ticket = ticket_callback(ticket=ticket, actor=users["supervisor"], result="unreachable")
            assert ticket.status == Status.REVIEWED
        ticket = ticket_callback(ticket=ticket, actor=users["supervisor"], result="unreachable")
        assert ticket.status == Status.ARCHIVED
        assert Callback.objects.filter(ticket=ticket).count() == 3

    def test_withdraw_cancels_clocks(self, dispatched, users):
        ticket = ticket_withdraw(ticket=dispatched, actor=users["agent"], reason="客户撤诉")
        assert ticket.status == Status.WITHDRAWN
        assert not ticket.clocks.filter(state__in=["running", "warning"]).exists()
        with pytest.raises(Conflict):
            ticket_withdraw(ticket=ticket, actor=users["agent"], reason="again")

    def test_close_at_intake_only_for_enquiries(self, make_ticket, users):
        enquiry = make_ticket(kind="enquiry", category=None)
        closed = ticket_close(ticket=enquiry, actor=users["agent"], reply_text="已解答电价政策")
        assert closed.status == Status.ARCHIVED
        with pytest.raises(Conflict):
            ticket_close(ticket=make_ticket(customer_phone="1390000", account_no="9"), actor=users["agent"],
                         reply_text="x")


class TestRecords:
    def test_extension_request_and_approval_moves_resolution_due(self, contacted, users):
        before = contacted.clocks.get(name="resolution").due_at
        ticket = ticket_extension_request(ticket=contacted, actor=users["station_a"], days=3, reason="需施工")
        assert "extension_decision" in allowed_actions(users["supervisor"], ticket)
        with pytest.raises(Conflict):
            ticket_extension_request(ticket=ticket, actor=users["station_a"], days=2, reason="again")
        ticket = ticket_extension_decide(ticket=ticket, actor=users["supervisor"], approved=True, note="同意")
        after = ticket.clocks.get(name="resolution").due_at
        assert after - before >= timedelta(days=3)
        assert ExtensionRequest.objects.get(ticket=ticket).decision == "approved"

    def test_extension_decision_needs_the_right_role(self, contacted, users):
        ticket_extension_request(ticket=contacted, actor=users["station_a"], days=1, reason="r")
        with pytest.raises(PermissionDenied):
            ticket_extension_decide(ticket=contacted, actor=users["station_a"], approved=True)

    def test_supervise_and_chase_notify_the_unit(self, dispatched, users):
        ticket_supervise(ticket=dispatched, actor=users["supervisor"], kind="risk_warning", content="可能升级至12398")
        ticket = ticket_chase(ticket=dispatched, actor=users["agent"], note="客户来电催办")
        assert ticket.chase_count == 1
        assert SupervisionOrder.objects.filter(ticket=ticket, kind="risk_warning").count() == 1
        kinds = set(Notification.objects.filter(user=users["manager_a"]).values_list("kind", flat=True))
        assert {"risk_warning", "chased"} <= kinds

    def test_add_info_records_on_timeline(self, dispatched, users):
        ticket = ticket_add_info(ticket=dispatched, actor=users["agent"], text="客户补充：停电已三天")
        assert ticket.events.filter(action="add_info", note__contains="停电已三天").exists()

    def test_assign_only_to_unit_members(self, dispatched, users):
        with pytest.raises(ValidationFailed):
            ticket_assign(ticket=dispatched, actor=users["manager_a"], handler=users["station_b"])
        ticket = ticket_assign(ticket=dispatched, actor=users["manager_a"], handler=users["station_a"])
        assert ticket.handler == users["station_a"]

    def test_responsibility_at_fault_records_accountability(self, contacted, users, units):
        ticket = reply(contacted, users["station_a"])
        with pytest.raises(ValidationFailed):
            ticket_responsibility(ticket=ticket, actor=users["supervisor"], at_fault=True, decision="")
        ticket = ticket_responsibility(ticket=ticket, actor=users["supervisor"], at_fault=True, person="某抄表员",
                                       decision="retraining")
        assert ticket.at_fault
        record = Accountability.objects.get(ticket=ticket)
        assert record.unit == units["GS-A1-1"] and record.decision == "retraining"

    def test_every_change_leaves_history_with_user_and_timeline(self, reviewed, users):
        ticket = ticket_callback(ticket=reviewed, actor=users["supervisor"], result="satisfied")
        actions = list(ticket.events.values_list("action", "from_status", "to_status"))
        assert actions == [("register", "", "registered"), ("dispatch", "registered", "dispatched"),
                           ("contact", "dispatched", "contacted"), ("reply", "contacted", "replied"),
                           ("review", "replied", "reviewed"), ("callback", "reviewed", "archived")]
        history_users = [h.history_user.username for h in ticket.history.order_by("history_date")]
        assert history_users == ["agent", "lead", "station_a", "station_a", "supervisor", "supervisor"]

    def test_allowed_actions_follow_state_and_role(self, dispatched, users):
        assert set(allowed_actions(users["station_a"], dispatched)) >= {"return", "contact", "extend"}
        assert "reply" not in allowed_actions(users["station_a"], dispatched)
        assert "dispatch" not in allowed_actions(users["station_a"], dispatched)
        assert allowed_actions(users["viewer"], dispatched) == ["attach"]
