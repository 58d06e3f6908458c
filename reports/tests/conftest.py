"""A hand-counted month of tickets (March 2025, Asia/Shanghai), written through the services.

  T1  complaint 95598_phone FW01  received 03-01 00:30  GS-A1-1  contact on time, substantiated, satisfied,
                                                                 at fault (warning, 张三)  → archived first time
  T2  complaint 12398       YX01  received 02-28 23:30  GS-A1-1  not substantiated, satisfied → archived (February)
  T3  complaint 95598_phone YX02  received 03-10        GS-A1-1  substantiated, unsatisfied → re-dispatched,
                                                                 contact, reply, satisfied → archived (2nd time)
  T4  complaint 95598_phone FW02  received 03-05        GS-B1-1  withdrawn
  T5  enquiry   95598_online —    received 03-15        not dispatched (intake KF)
  T6  complaint 95598_phone YW01  received 03-12        GS-A1-2  first contact late (breached), reply late
                                                                 (breached), not substantiated, callback unreachable
  T7  complaint 12398       YW02  received 2024-03-25   GS-A1-1  dispatched, still open (last year)
  T8  complaint 95598_phone FW01  received 03-18        not dispatched; same caller and item as T1 → repeat

Time is frozen at 2025-03-20 10:00 while the tickets are made, then moved to 2025-03-28 10:00
(T6's late steps); tests run at that instant.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"reports-{tmp_path.name}"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def handler_a2(units):
    from django.contrib.auth.models import Group

    from accounts.models import User

    user = User.objects.create(username="station_a2", first_name="钱承办", unit=units["GS-A1-2"])
    user.groups.add(Group.objects.get(name="handler"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world(make_ticket, users, units, handler_a2):
    from complaints.models import Category
    from complaints.services import (
        ticket_callback,
        ticket_contact,
        ticket_dispatch,
        ticket_reply,
        ticket_responsibility,
        ticket_review,
        ticket_withdraw,
    )

    cat = {c.code: c for c in Category.objects.all()}
    lead, sup = users["lead"], users["supervisor"]
    n = iter(range(100))

    def new(received, code, **kw):
        i = next(n)
        kw.setdefault("customer_phone", f"1390000{i:04d}")
        kw.setdefault("account_no", f"31000{i:05d}")
        return make_ticket(received_at=received, category=cat.get(code), **kw)

    def handle(t, handler, *, substantiated, callback="satisfied"):
        t = ticket_contact(ticket=t, actor=handler, method="phone", note="已联系")
        t = ticket_reply(ticket=t, actor=handler, substantiated=substantiated, cause="原因" + t.number[-3:],
                         measures="措施" + t.number[-3:], reply_text="已答复")
        t = ticket_review(ticket=t, actor=sup, approved=True)
        return ticket_callback(ticket=t, actor=sup, result=callback, note="回访") if callback else t

    a1, b1 = units["GS-A1-1"], units["GS-B1-1"]
    with time_machine.travel(at(2025, 3, 20, 10), tick=False) as traveller:
        t1 = new(at(2025, 3, 1, 0, 30), "FW01", customer_phone="13911112222", account_no="3100099999")
        t1 = handle(ticket_dispatch(ticket=t1, actor=lead, unit=a1), users["station_a"], substantiated=True)
        t1 = ticket_responsibility(ticket=t1, actor=sup, at_fault=True, person="张三", decision="warning",
                                   note="服务态度差")
        t2 = new(at(2025, 2, 28, 23, 30), "YX01", channel="12398")
        t2 = handle(ticket_dispatch(ticket=t2, actor=lead, unit=a1), users["station_a"], substantiated=False)
        t3 = new(at(2025, 3, 10, 9), "YX02")
        t3 = handle(ticket_dispatch(ticket=t3, actor=lead, unit=a1), users["station_a"], substantiated=True,
                    callback="unsatisfied")
        t3 = handle(t3, users["station_a"], substantiated=True)
        t4 = new(at(2025, 3, 5, 9), "FW02")
        t4 = ticket_dispatch(ticket=t4, actor=lead, unit=b1)
        t4 = ticket_withdraw(ticket=t4, actor=users["agent"], reason="客户撤诉")
        t5 = new(at(2025, 3, 15, 9), None, kind="enquiry", channel="95598_online")
        t7 = new(at(2024, 3, 25, 9), "YW02", channel="12398")
        t7 = ticket_dispatch(ticket=t7, actor=lead, unit=a1)
        t8 = new(at(2025, 3, 18, 9), "FW01", customer_phone="13911112222", account_no="3100099999")
        t6 = new(at(2025, 3, 12, 9), "YW01")
        t6 = ticket_dispatch(ticket=t6, actor=lead, unit=units["GS-A1-2"])
        traveller.move_to(at(2025, 3, 24, 10))
        t6 = ticket_contact(ticket=t6, actor=handler_a2, method="phone", note="迟联系")
        traveller.move_to(at(2025, 3, 28, 10))
        t6 = ticket_reply(ticket=t6, actor=handler_a2, substantiated=False, cause="线路", measures="检修",
                          reply_text="已答复")
        t6 = ticket_review(ticket=t6, actor=sup, approved=True)
        t6 = ticket_callback(ticket=t6, actor=sup, result="unreachable", note="无人接听")
        assert t8.is_repeat and not t1.is_repeat
        assert t3.redispatch_count == 1 and t3.status == "archived"
        yield {"T1": t1, "T2": t2, "T3": t3, "T4": t4, "T5": t5, "T6": t6, "T7": t7, "T8": t8,
               "now": at(2025, 3, 28, 10), "traveller": traveller}


@pytest.fixture
def march():
    from reports.figures import Period

    return Period(2025, 3)


def later(world, **kw):
    return world["now"] + timedelta(**kw)
