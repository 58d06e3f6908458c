"""About 300 demo tickets spread over the last six weeks, in every state.

They are written through the real services with the clock moved back (time-machine), so
their timelines, history and SLA clocks are what the system itself would have recorded."""
import random
from datetime import datetime, timedelta

import time_machine
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, Unit, UnitKind, User
from complaints.models import Category, Channel, Kind, ServiceArea, ServiceType, Ticket
from complaints.services import (
    IntakeData,
    investigation_issue,
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

COUNT = 300
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


def seed_demo_tickets(count: int = COUNT, seed: int = 95598) -> int:
    if Ticket.objects.exists():
        return 0
    rng = random.Random(seed)
    people = _people()
    stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("code"))
    _service_areas(stations, people)
    categories = {c.code: c for c in Category.objects.filter(code__in=COMPLAINTS)}
    now = timezone.now()
    customers = [(_name(rng), f"1{rng.choice('358')}{rng.randrange(10**8, 10**9)}", f"31{rng.randrange(10**8, 10**9)}",
                  rng.choice(VILLAGES)) for _ in range(count * 2 // 3)]
    created = 0
    for i in range(count):
        start = _working_time(now - timedelta(days=42) + timedelta(days=42) * (i / count), rng)
        if start >= now - timedelta(minutes=5):
            continue
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
            address=f"{station.name.replace('供电所', '')}{village}{rng.randrange(1, 90)}号",
            description=("举报：抄表员收取好处费" if kind == Kind.REPORT else COMPLAINTS[code]),
            received_at=start, service_type=service_type,
            paid_at=start if service_type else None,
            regulator_ref=f"12398-{start:%Y%m%d}-{i:04d}" if channel == Channel.REGULATOR_12398 else "",
            mood=rng.choice(["calm", "calm", "agitated", "demands_complaint"]),
        )
        try:
            _life(data, station, start, now, rng, people)
            created += 1
        except ApplicationError:
            continue
    return created + _examples(stations[0], categories, people, now)


def _examples(station: Unit, categories, people, now: datetime) -> int:
    """One of each thing the supervision office must act on: a major event whose flash report is
    not sent yet, a supervision order escalated to level 2, and a half-year follow-up call due."""

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
    return 4


def _life(data: IntakeData, station: Unit, start: datetime, now: datetime, rng: random.Random, people) -> None:
    """Register a ticket and take it as far along the loop as the time since allows. A report (举报) is
    handled by the discipline office, never by the station it names."""
    handler = people["handlers"][station.code]
    if data.kind == Kind.REPORT:
        station, handler = people["discipline"].unit, people["discipline"]
    target = rng.choices(["archived", "reviewed", "replied", "contacted", "dispatched", "returned", "registered",
                          "withdrawn", "late"], [40, 7, 7, 10, 12, 3, 7, 3, 11])[0]
    late = target == "late"  # left alone long enough to breach its clocks
    steps = [
        (timedelta(minutes=rng.randrange(5, 50)), "dispatch"),
        (timedelta(hours=rng.randrange(1, 20) + (40 if late else 0)), "contact"),
        (timedelta(hours=rng.randrange(8, 80) + (120 if late else 0)), "reply"),
        (timedelta(hours=rng.randrange(1, 12)), "review"),
        (timedelta(hours=rng.randrange(1, 20)), "callback"),
    ]
    order = ["registered", "dispatched", "contacted", "replied", "reviewed", "archived"]
    stop = order.index(target) if target in order else len(order) - 1
    with time_machine.travel(start, tick=False):
        ticket, _ = ticket_register(actor=people["agent"], data=data)
    at = start
    if target == "withdrawn":
        with time_machine.travel(at + timedelta(hours=3), tick=False):
            ticket_withdraw(ticket=ticket, actor=people["agent"], reason="客户来电表示问题已自行解决，申请撤诉")
        return
    for n, (delay, action) in enumerate(steps, start=1):
        at += delay
        if at >= now or n > stop:
            return
        with time_machine.travel(at, tick=False), transaction.atomic():
            ticket = _step(action, ticket, station, handler, people, rng, target, data)
        if action == "dispatch" and target == "returned":
            return


def _step(action, ticket, station, handler, people, rng, target, data) -> Ticket:
    """One step of the loop; returns the ticket as the services left it (the next step reads it)."""
    if action == "dispatch":
        dispatcher = people["discipline"] if ticket.kind == Kind.REPORT else people["lead"]
        ticket = ticket_dispatch(ticket=ticket, actor=dispatcher, unit=station)
        if target == "returned":
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
        result = rng.choices(["satisfied", "unsatisfied", "unreachable"], [80, 12, 8])[0]
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
            handler.set_password(DEMO_PASSWORD)
            handler.save()
            handler.groups.add(group)
        handlers[station.code] = handler
    return {**users, "handlers": handlers}


def _service_areas(stations, people) -> None:
    for station in stations:
        for village in VILLAGES[:3]:
            place = station.name.replace("供电所", "")
            ServiceArea.objects.get_or_create(
                code=f"{station.code}-{VILLAGES.index(village)}",
                defaults={"name": f"{place}{village}", "keywords": f"{place}{village}", "unit": station,
                          "contact": people["handlers"][station.code]})


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _working_time(day: datetime, rng: random.Random) -> datetime:
    local = timezone.localtime(day).replace(hour=rng.randrange(8, 20), minute=rng.randrange(60), second=0,
                                            microsecond=0)
    return local


