"""The demo (`make run`): a normal working day at a customer-service centre.

- **Archive**: about 2,400 tickets received over the 14 months before the last two weeks, through the
  bench generator (bench/generate.py — the same clock rules, policies and calendar as the services,
  history rows and timelines), all worked to the end, so the 12-month trend and year-over-year mean
  something.
- **The last two weeks**: about 150 tickets written through the real services with the clock moved
  back (time-machine), so their timelines, history and SLA clocks are what the system itself would
  have recorded. Most are handled within time (dispatch within the hour, contact the same or next
  day, reply within the resolution limit, callback within the day); a few are slow (in warning) and
  a few late (breached), as in a normal centre; a couple just came in and wait for dispatch.
- Addresses are in the stations' service areas (网格), so grid routing suggests the unit."""
import random
from datetime import datetime, timedelta

import time_machine
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_password_hash
from accounts.models import Role, Unit, UnitKind, User
from complaints.models import Category, Channel, Kind, ServiceArea, ServiceType, Ticket
from complaints.services import (
    IntakeData,
    investigation_issue,
    major_report_submit,
    supervision_sweep,
    ticket_callback,
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
from core.config import setting
from core.errors import ApplicationError

COUNT = 150  # the last RECENT_DAYS, through the services
RECENT_DAYS = 14
HISTORY = 2400  # the archive before that, through the bench generator
HISTORY_DAYS = 425  # ≥ 13 full months before the recent days: the trend and year-over-year have data
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "军", "杰", "涛", "明", "超", "秀英", "桂兰"]
VILLAGES = ["幸福村", "和平村", "建设路", "东风小区", "向阳村", "新华街", "光明社区", "红星村"]
COMPLAINTS = {
    "FW01": "营业厅工作人员态度生硬，解释不耐烦",
    "FW02": "抄表员上门未出示工作证",
    "YX01": "电表读数与实际不符，本月电费异常偏高",
    "YX03": "阶梯电价计算有误，要求核实电费",
    "YX04": "未收到停电催费通知即被停电",
    "YX05": "怀疑电能表计量不准，申请校验",
    "YX06": "新房申请一户一表，超期未装表",
    "YW01": "报修后抢修人员迟迟未到",
    "YW02": "晚上电压偏低，空调无法启动，频繁停电",
    "YW03": "计划停电未提前公告，影响生产",
    "YW04": "突然停电后恢复供电，家中电视烧坏",
    "YW05": "村口电线杆倾斜，存在安全隐患",
}
# How briskly a ticket is worked: most on time, a few slow (their clocks warn), a few late (breached).
PACES = [("normal", 86), ("slow", 8), ("late", 6)]
JUST_IN = 3  # tickets received in the last half hour, waiting in the dispatch queue


def seed_demo_history(count: int = HISTORY, *, days: int = HISTORY_DAYS, seed: int = 12398) -> int:
    """The archive: `count` tickets received over `days` before the recent RECENT_DAYS, generated in
    bulk by bench/generate.py (its clocks follow sla.services' rules; none left stuck for weeks)."""
    from bench.generate import generate

    if count <= 0:
        return 0
    end = (timezone.now() - timedelta(days=RECENT_DAYS)).timestamp()
    rows = generate(count, seed=seed, units=0, days=days, end=end, stuck_share=0.0, copy=False,
                    log=lambda line: None)
    return rows["complaints_ticket"]


def seed_demo_tickets(count: int = COUNT, seed: int = 95598, *, history: int = 0) -> int:
    """`history` archived tickets first (seed_demo_history), then `count` recent ones through the
    services, then the worked examples. Nothing if there are tickets already."""
    if Ticket.objects.exists():
        return 0
    rng = random.Random(seed)
    people = _people()
    stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("code"))
    _service_areas(stations, people)
    created = seed_demo_history(history) if history else 0
    categories = {c.code: c for c in Category.objects.filter(code__in=COMPLAINTS)}
    now = timezone.now()
    customers = [(_name(rng), f"1{rng.choice('358')}{rng.randrange(10**8, 10**9)}", f"31{rng.randrange(10**8, 10**9)}",
                  rng.choice(VILLAGES)) for _ in range(count * 2 // 3)]
    for i in range(count):
        if i >= count - JUST_IN:  # just came in: waiting for dispatch, well within the hour
            start = now - timedelta(minutes=rng.randrange(4, 30))
        else:
            start = _working_time(now - timedelta(days=RECENT_DAYS) + timedelta(days=RECENT_DAYS) * (i / count), rng)
            if start >= now - timedelta(minutes=40):
                start = now - timedelta(minutes=rng.randrange(40, 600))
        name, phone, account, village = rng.choice(customers)
        station = stations[0] if i % 4 == 0 else stations[4] if i % 4 == 1 else rng.choice(stations)
        code = rng.choice(list(COMPLAINTS))
        kind = rng.choices([Kind.COMPLAINT, Kind.REPORT, Kind.OPINION, Kind.ENQUIRY, Kind.HELP, Kind.REPAIR,
                            Kind.SERVICE_REQUEST], [60, 4, 8, 8, 6, 8, 6])[0]
        channel = rng.choices([Channel.PHONE_95598, Channel.ONLINE_95598, Channel.REGULATOR_12398, Channel.LETTER,
                               Channel.VISIT, Channel.OPINION_BOX], [60, 15, 10, 5, 5, 5])[0]
        if i == 7:  # a complaint through the media: raised to major at intake (issue 15)
            kind, channel = Kind.COMPLAINT, Channel.MEDIA
        service_type = ServiceType.RECONNECTION if kind == Kind.SERVICE_REQUEST and i % 2 else ""
        data = IntakeData(
            channel=channel, kind=kind, category=categories[code] if kind in (Kind.COMPLAINT, Kind.REPORT) else None,
            customer_name=name, customer_phone=phone, account_no=account,
            address=f"{_place(station)}{village}{rng.randrange(1, 90)}号",
            description=("举报：抄表员收取好处费" if kind == Kind.REPORT else COMPLAINTS[code]),
            received_at=start, service_type=service_type,
            paid_at=start if service_type else None,
            regulator_ref=f"12398-{start:%Y%m%d}-{i:04d}" if channel == Channel.REGULATOR_12398 else "",
            mood=rng.choice(["calm", "calm", "calm", "agitated", "demands_complaint"]),
        )
        try:
            _life(data, station, start, now, rng, people, just_in=i >= count - JUST_IN)
            created += 1
        except ApplicationError:
            continue
    return created + _examples(stations[0], categories, people, now)


def _examples(station: Unit, categories, people, now: datetime) -> int:
    """One of each thing the supervision office must act on: a major event whose flash report is
    not sent yet, a supervision order escalated to level 2, a half-year follow-up call due, a report
    under investigation and a 12398 transfer received today."""

    base = dict(channel=Channel.PHONE_95598, kind=Kind.COMPLAINT, category=categories["YW01"],
                customer_phone="13700137000", address=f"{station.name.replace('供电所', '')}幸福村8号")
    with time_machine.travel(now - timedelta(minutes=20), tick=False):
        ticket_register(actor=people["agent"], data=IntakeData(
            **{**base, "customer_phone": "13700137001"}, severity="major", customer_name="孙重大",
            description="抢修人员迟迟未到，客户家中老人因停电中暑送医"))
    issued = now - timedelta(hours=float(setting("supervision_level_hours")) + 2)
    with time_machine.travel(issued - timedelta(hours=1), tick=False):
        ticket, _ = ticket_register(actor=people["agent"], data=IntakeData(
            **{**base, "customer_phone": "13700137002"}, customer_name="钱督办", description=COMPLAINTS["YW02"]))
        ticket = ticket_dispatch(ticket=ticket, actor=people["lead"], unit=station)
    with time_machine.travel(issued, tick=False):
        ticket_supervise(ticket=ticket, actor=people["supervisor"], kind="supervision",
                         content="客户多次来电反映低电压，请所长督促尽快处理并答复")
    supervision_sweep(now=now)  # unanswered past its due: escalated to the county company (level 2)

    handler = people["handlers"][station.code]
    at = now - timedelta(days=200)
    with time_machine.travel(at, tick=False):
        ticket, _ = ticket_register(actor=people["agent"], data=IntakeData(
            **{**base, "customer_phone": "13700137003"}, customer_name="周回访", description=COMPLAINTS["YW05"]))
    steps = [
        (timedelta(minutes=30), lambda t: ticket_dispatch(ticket=t, actor=people["lead"], unit=station)),
        (timedelta(hours=3), lambda t: ticket_contact(ticket=t, actor=handler, method="visit")),
        (timedelta(hours=26), lambda t: ticket_reply(ticket=t, actor=handler, substantiated=True, cause="电杆基础松动",
                                                     measures="已扶正加固电杆", reply_text="电杆已加固。")),
        (timedelta(hours=2), lambda t: ticket_review(ticket=t, actor=people["supervisor"], approved=True)),
        (timedelta(hours=3), lambda t: ticket_callback(ticket=t, actor=people["supervisor"], result="satisfied")),
    ]
    for delay, step in steps:  # archived about 200 days ago: its half-year follow-up call is due
        at += delay
        with time_machine.travel(at, tick=False):
            ticket = step(ticket)
    # A report (举报) on the station's staff: the discipline office has asked the station to look into the
    # matter — the station's 调查任务 page shows the matter, never the report or who made it.
    with time_machine.travel(now - timedelta(days=1), tick=False):
        report, _ = ticket_register(actor=people["agent"], data=IntakeData(
            **{**base, "customer_phone": "13700137004", "kind": Kind.REPORT}, customer_name="吴举报",
            description="举报：抄表员抄表时向客户索要好处费"))
        report = ticket_dispatch(ticket=report, actor=people["discipline"], unit=people["discipline"].unit)
        investigation_issue(ticket=report, actor=people["discipline"], unit=station,
                            matter="请核查本所抄表员近三个月的抄表与收费情况，并报送调查情况",
                            due_at=now + timedelta(days=5))
    # A 12398 transfer that came in today: dispatched, on the ledger of this month.
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    received = max(now - timedelta(hours=2), month_start)
    with time_machine.travel(received, tick=False):
        transfer, _ = ticket_register(actor=people["agent"], data=IntakeData(
            **{**base, "customer_phone": "13700137005", "channel": Channel.REGULATOR_12398},
            customer_name="郑监管", regulator_ref=f"12398-{local:%Y%m%d}-9001", description=COMPLAINTS["YW02"]))
    with time_machine.travel(received + (now - received) / 4, tick=False):
        ticket_dispatch(ticket=transfer, actor=people["lead"], unit=station)
    return 5


def _life(data: IntakeData, station: Unit, start: datetime, now: datetime, rng: random.Random, people,
          just_in: bool = False) -> None:
    """Register a ticket and work it through the loop at its pace, as far as the time since allows
    (what is not done by now is where the ticket stands). A report (举报) is handled by the discipline
    office, never by the station it names."""
    handler = people["handlers"][station.code]
    if data.kind == Kind.REPORT:
        station, handler = people["discipline"].unit, people["discipline"]
    pace = rng.choices([p for p, _ in PACES], [w for _, w in PACES])[0]
    late_step = rng.choice(["contact", "reply", "callback"]) if pace == "late" else ""
    slow_step = rng.choice(["contact", "reply", "callback"]) if pace == "slow" else ""
    with time_machine.travel(start, tick=False):
        ticket, _ = ticket_register(actor=people["agent"], data=data)
    if just_in:
        return
    if ticket.takes_major_reports:  # the major event's flash report and same-day summary, sent in time
        for delay, kind in ((timedelta(minutes=35), "flash"), (timedelta(hours=4), "summary")):
            if start + delay < now:
                with time_machine.travel(start + delay, tick=False):
                    ticket = major_report_submit(
                        ticket=ticket, actor=people["lead"], kind=kind, what="媒体报道客户反映的停电问题，已安排核实",
                        place=data.address, impact="涉及一户居民", measures="已派抢修人员到场处置")
    if rng.random() < 0.03:
        with time_machine.travel(start + timedelta(hours=3), tick=False):
            ticket_withdraw(ticket=ticket, actor=people["agent"], reason="客户来电表示问题已自行解决，申请撤诉")
        return
    at = start
    urgent = data.kind == Kind.REPAIR or data.service_type == ServiceType.RECONNECTION
    actions = ["dispatch", "contact", "reply", "review", "callback"]
    attempts = 0
    while actions:
        action = actions.pop(0)
        at += _delay(action, rng, slow=action == slow_step, late=action == late_step, urgent=urgent,
                     retry=action == "callback" and attempts > 0)
        if at >= now:
            return
        with time_machine.travel(at, tick=False), transaction.atomic():
            ticket = _step(action, ticket, station, handler, people, rng, data, settle=attempts >= 2 or
                           ticket.redispatch_count > 0)
        if action == "dispatch" and ticket.status == "returned":  # back in the lead's queue: re-dispatched
            at += timedelta(minutes=rng.randrange(10, 40))
            if at >= now:
                return
            with time_machine.travel(at, tick=False):
                ticket = ticket_dispatch(ticket=ticket, actor=people["lead"], unit=station,
                                         note="已核实地址属本所供电范围")
        elif action == "callback":
            attempts += 1
            if ticket.status == "dispatched":  # unsatisfied: handled again from first contact
                actions, slow_step, late_step, attempts = ["contact", "reply", "review", "callback"], "", "", 0
            elif ticket.status == "reviewed":  # unreachable: called again a few hours later
                actions = ["callback"]


def _delay(action: str, rng: random.Random, *, slow: bool, late: bool, urgent: bool = False,
           retry: bool = False) -> timedelta:
    """How long a step takes: within its limit (dispatch 1 h, first contact 1 working day — a repair's
    arrival 45/90 min, a reconnection 2 h —, reply 4–5 working days, callback 24 h), close to it when
    slow, past it when late."""
    if urgent and action in ("dispatch", "contact", "reply"):
        return timedelta(minutes={"dispatch": rng.uniform(3, 12), "contact": rng.uniform(10, 30),
                                  "reply": rng.uniform(15, 50)}[action])
    hours = {
        "dispatch": rng.uniform(0.08, 0.6),
        "contact": rng.uniform(0.5, 7) + (rng.uniform(14, 20) if slow else 0) + (rng.uniform(40, 60) if late else 0),
        "reply": rng.uniform(20, 66) + (rng.uniform(25, 35) if slow else 0) + (rng.uniform(110, 150) if late else 0),
        "review": rng.uniform(0.5, 6),
        "callback": (rng.uniform(2, 4) if retry else rng.uniform(0.5, 10) + (rng.uniform(9, 12) if slow else 0)
                     + (rng.uniform(26, 40) if late else 0)),
    }[action]
    return timedelta(hours=hours)


def _step(action, ticket, station, handler, people, rng, data, settle: bool = False) -> Ticket:
    """One step of the loop; returns the ticket as the services left it (the next step reads it).
    `settle`: the callback after a second handling or a third attempt reaches a satisfied customer."""
    if action == "dispatch":
        dispatcher = people["discipline"] if ticket.kind == Kind.REPORT else people["lead"]
        ticket = ticket_dispatch(ticket=ticket, actor=dispatcher, unit=station)
        if ticket.kind != Kind.REPORT and rng.random() < 0.03:
            ticket = ticket_return(ticket=ticket, actor=handler, reason="该地址不属于本所供电范围，请核实后重新派发")
    elif action == "contact":
        ticket = ticket_contact(ticket=ticket, actor=handler, method=rng.choice(["phone", "phone", "visit"]),
                                note="已与客户取得联系，约定上门核实")
        if rng.random() < 0.08:
            ticket = ticket_extension_request(ticket=ticket, actor=handler, days=3, reason="需协调施工队更换线路")
            ticket = ticket_extension_decide(ticket=ticket, actor=people["supervisor"], approved=True,
                                             note="同意延期")
    elif action == "reply":
        substantiated = rng.random() < 0.55
        cause = "情况属实，系工作人员处理不当" if substantiated else "系客户误解政策"
        ticket = ticket_reply(ticket=ticket, actor=handler, substantiated=substantiated, cause="经现场核实，" + cause,
                              measures="已向客户解释并整改" if substantiated else "已向客户详细解释相关政策",
                              reply_text="您反映的问题已核实处理，感谢您的监督。")
    elif action == "review":
        ticket = ticket_review(ticket=ticket, actor=people["supervisor"], approved=True, comment="答复规范")
        if ticket.substantiated and ticket.kind == Kind.COMPLAINT and rng.random() < 0.6:
            ticket = ticket_responsibility(ticket=ticket, actor=people["supervisor"], at_fault=True, unit=station,
                                           person=_name(rng), decision=rng.choice(["warning", "retraining",
                                                                                   "deduction"]),
                                           note="按四不放过原则处理")
    elif action == "callback":
        result = "satisfied" if settle else rng.choices(["satisfied", "unsatisfied", "unreachable"], [86, 7, 7])[0]
        ticket = ticket_callback(ticket=ticket, actor=people["supervisor"], result=result, note="电话回访")
    return ticket


def _people() -> dict:
    users = {u.username: u for u in User.objects.filter(username__in=["agent", "lead", "supervisor", "discipline"])}
    handlers = {}
    group = Group.objects.get(name=Role.HANDLER)
    for station in Unit.objects.filter(kind=UnitKind.STATION):
        handler = User.objects.filter(unit=station, groups=group).order_by("id").first()
        if handler is None:  # every station gets a handler so its demo tickets can move
            handler = User(username=f"h_{station.code.lower().replace('-', '_')}", first_name=f"{station.name}承办人",
                           unit=station, email="")
            handler.password = demo_password_hash()
            handler.save()
            handler.groups.add(group)
        handlers[station.code] = handler
    return {**users, "handlers": handlers}


def _place(station: Unit) -> str:
    return station.name.replace("供电所", "")


def _service_areas(stations, people) -> None:
    """Every village of the demo addresses is a service area (网格) of its station, with the
    station's handler as grid contact: grid routing suggests the unit for the demo tickets."""
    for station in stations:
        for n, village in enumerate(VILLAGES):
            ServiceArea.objects.get_or_create(
                code=f"{station.code}-{n}",
                defaults={"name": f"{_place(station)}{village}", "keywords": f"{_place(station)}{village}",
                          "unit": station, "contact": people["handlers"][station.code]})


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _working_time(day: datetime, rng: random.Random) -> datetime:
    local = timezone.localtime(day).replace(hour=rng.randrange(8, 20), minute=rng.randrange(60), second=0,
                                            microsecond=0)
    return local


