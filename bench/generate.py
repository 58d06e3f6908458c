"""Fill the database with realistic tickets, fast (benchmarks, load tests, the demo's history).

    python -m bench.generate --count N [--seed S] [--units 120] [--days 730] [--chunk 20000]

(DATABASE_URL chooses the database, as for manage.py; `complaints.demo` calls `generate()` for the
demo's archive.)

How it works
------------
1. Reference data (roles, categories, clock policies, calendar) is seeded if missing, and a
   province of ``--units`` units or more is created idempotently on top of the demo organisation:
   cities → counties → 供电所 stations with region types and customer counts, plus one handler
   user per station (password ``Demo@12345``).
2. Ticket ids and numbers are reserved up front (the id identity and the
   ``complaints_ticket_number_seq`` sequence are advanced past the block), so intake running at
   the same time never collides with generated tickets.
3. Each ticket's life is simulated from its received time up to now with realistic delays
   (dispatch, first contact, reply, review, callback; a share late, returned, redispatched after an
   unsatisfied callback, withdrawn, or stuck for weeks). The clocks follow the product's rules,
   imported, never copied: ``sla.services``' STARTS / MEETS / CANCELS / RETIMES tables, which clocks
   apply and when each starts (``clock_applies``, ``clock_start_at``), the limits (``sla.policies.match_policy``,
   the responsible unit's region, retimed on dispatch), the due and warning instants
   (``compute_due``, ``regulator_reply_due``, the unit's working calendar) and the state as of now
   (``sla.states.state_as_of``) — cached where the answer repeats (tests/test_generate.py checks every
   clock against the services). So clock states (met / breached / running / warning / cancelled), the
   ticket's ``sla_state`` / ``next_due_at``, the status, the timestamps, the timeline events, the
   callbacks and the simple-history "+" row all agree. Addresses fall in the stations' service areas
   when there are any, and the ticket's area is what ``complaints.services.routing.route_ticket`` says.
   A documented escalation mechanism (bench/README.md, ``TicketFactory._risk``): a complaint's
   latent risk (mood, breached clocks, unsatisfied callback, the customer's earlier complaints) raises
   its chases and the chance that the customer's next ticket is a 12398 transfer or a repeat.
4. PostgreSQL: rows are produced in chunks as tab-separated COPY text in memory and streamed by a
   writer thread with ``cursor.copy_expert("COPY … FROM STDIN")`` into complaints_ticket,
   complaints_ticketevent, sla_clock, complaints_historicalticket and complaints_callback, while the
   main thread generates the next chunk (Python on one core, PostgreSQL on the other). For a large
   load the secondary indexes of those tables are dropped first and rebuilt afterwards (their exact
   definitions are read from the catalogue), and foreign-key triggers are skipped with
   ``session_replication_role = replica`` when connected as a superuser; all of it runs in one
   transaction, so an interrupted load leaves nothing behind. Then ANALYZE.
   SQLite (tests, small N): the same rows through ``bulk_create``.
"""
import io
import json
import os
import queue
import random
import threading
import time
from bisect import bisect_right
from datetime import UTC, date, datetime

if __name__ == "__main__":  # python -m bench.generate: Django is set up here, before the models are imported
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from django.db import connection, connections, transaction  # noqa: E402

from accounts.models import RegionType, Role, Unit, UnitKind, User  # noqa: E402
from complaints.models import Callback, Category, Ticket, TicketEvent  # noqa: E402
from complaints.services.routing import route_ticket  # noqa: E402
from sla.calendar import get_calendar  # noqa: E402
from sla.models import Clock, ClockName, ClockPolicy, LimitUnit  # noqa: E402
from sla.policies import match_policy  # noqa: E402
from sla.services import (  # noqa: E402 — the clock rules' one home
    CANCELS,
    CONNECTION_TYPES,
    MAJOR_CLOCKS,
    MEETS,
    RETIMES,
    STARTS,
    calendar_unit_of,
    clock_applies,
    clock_start_at,
    compute_due,
    regulator_reply_due,
    ticket_region_type,
)
from sla.states import BREACHED, RUNNING, WARNING, state_as_of  # noqa: E402

DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0
LOCAL_OFFSET = 8 * HOUR  # Asia/Shanghai, no DST
EPOCH_ORD = date(1970, 1, 1).toordinal()
LOAD_TABLES = ["complaints_ticket", "complaints_ticketevent", "sla_clock", "complaints_historicalticket",
               "complaints_callback"]

# --- columns (COPY order) --------------------------------------------------------------------
TICKET_COLS = [
    "id", "number", "channel", "kind", "service_type", "category_id", "severity", "received_at", "logged_at",
    "customer_name", "customer_phone", "account_no", "address", "service_area_id", "description", "mood",
    "regulator_ref", "regulator_due_at", "paid_at", "intake_unit_id", "unit_id", "handler_id", "created_by_id",
    "status", "version", "is_repeat", "is_escalated", "onsite_required", "redispatch_count", "chase_count",
    "callback_attempts", "substantiated", "at_fault", "cause", "measures", "reply_text", "callback_result",
    "dispatched_at", "first_contact_at", "replied_at", "reviewed_at", "closed_at", "updated_at", "sla_state",
    "next_due_at", "owner_unit_id",
]
HIST_COLS = [c for c in TICKET_COLS if c != "updated_at"] + [
    "history_date", "history_change_reason", "history_type", "history_user_id"]
EVENT_COLS = ["ticket_id", "at", "actor_id", "action", "from_status", "to_status", "note", "data"]
CLOCK_COLS = ["ticket_id", "name", "policy_id", "started_at", "due_at", "warn_at", "state", "completed_at",
              "warned_at", "breached_at", "calendar_known", "extended_days"]
CALLBACK_COLS = ["ticket_id", "at", "result", "note", "by_id"]
TS_COLS = {"received_at", "logged_at", "regulator_due_at", "paid_at", "dispatched_at", "first_contact_at",
           "replied_at", "reviewed_at", "closed_at", "updated_at", "next_due_at", "history_date", "at",
           "started_at", "due_at", "warn_at", "completed_at", "warned_at", "breached_at"}
TABLE_COLS = {"complaints_ticket": TICKET_COLS, "complaints_historicalticket": HIST_COLS,
              "complaints_ticketevent": EVENT_COLS, "sla_clock": CLOCK_COLS, "complaints_callback": CALLBACK_COLS}

# --- distributions ---------------------------------------------------------------------------
CHANNELS = [("95598_phone", 52), ("95598_online", 24), ("12398", 5), ("letter", 2), ("visit", 4),
            ("opinion_box", 2), ("media", 1), ("government", 10)]
KINDS = [("complaint", 30), ("report", 2), ("opinion", 8), ("suggestion", 4), ("praise", 3), ("enquiry", 18),
         ("help", 5), ("repair", 20), ("service_request", 10)]
SERVICE_TYPES = [("reconnection", 40), ("connection_residential", 28), ("connection_low_voltage", 10),
                 ("connection_hv_single", 4), ("connection_hv_dual", 2), ("appliance_damage", 9),
                 ("meter_anomaly", 7)]
SEVERITIES = [("ordinary", 86), ("important", 12), ("major", 2)]
MOODS = [("calm", 85), ("agitated", 12), ("demands_complaint", 3)]
# Escalation mechanism (bench/README.md): a complaint's latent risk raises its chases and the chance
# that the same customer's next ticket within the window is a 12398 transfer or a repeat complaint.
MOOD_RISK = {"agitated": 1.0, "demands_complaint": 2.0}
ESCALATION_WINDOW = 90 * 86400.0
CHASE_DAYS = 3
CATEGORY_WEIGHTS = {"FW01": 14, "FW02": 6, "YX01": 6, "YX02": 5, "YX03": 14, "YX04": 4, "YX05": 8, "YX06": 5,
                    "YX07": 2, "YW01": 14, "YW02": 9, "YW03": 4, "YW04": 3, "YW05": 2, "YW06": 1, "YW07": 1,
                    "YW08": 1, "XC01": 1}
CLOSABLE = {"enquiry", "praise", "suggestion", "opinion"}
IMPORTANT_CHANNELS = {"12398", "government"}

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
            "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩凯鹏辉亮成林欣怡佳慧晨阳雪梅海波春燕"
PLACE_A = "东西南北中上下前后大小新老青白红黄石金银桃李柳松竹梅兰"
PLACE_B = "山河湖溪塘坪坝岭湾桥庄店堡沟岗圩"
PLACE_C = ["村", "社区", "组", "小区", "新村"]
CITY_NAMES = ["临江", "青山", "白沙", "金川", "云岭", "石门", "清河", "安平", "永宁", "长乐", "凤台", "桃源", "龙泉",
              "黄岩", "明溪", "南湖"]
COUNTY_SUFFIX = ["一", "二", "三", "四"]
STATION_TOWNS = ["城关", "城南", "城北", "河口", "新桥", "马坪", "柳塘", "石岭", "白鹤", "花园"]

OPENERS = ["客户来电反映", "客户反映", "客户通过网上国网反映", "客户来电称", "客户投诉", "市民反映", "客户再次来电反映",
           "客户情绪激动，反映", "客户来电咨询并反映", "用户反映"]
ISSUES = {
    "FW01": ["营业厅工作人员态度生硬，不耐烦解释", "抄表员上门时说话不礼貌", "拨打供电所电话无人接听，接通后推诿",
             "工作人员办理业务时玩手机，服务态度差"],
    "FW02": ["营业厅未按规定一次性告知办理资料，客户往返多次", "工作人员上门未出示工作证", "业务办理超时且无人解释"],
    "YX01": ["本月电表读数明显偏大，怀疑估抄", "抄表日期不固定，电费忽高忽低", "电表示数与账单不一致"],
    "YX02": ["营业厅不能刷卡缴费，只收现金", "缴费后系统未及时销账，仍收到欠费短信", "重复扣缴电费未退还"],
    "YX03": ["对阶梯电价计算有异议，认为电费过高", "峰谷电价执行不正确", "家中无人居住仍产生较高电费",
             "电费比去年同期高出一倍"],
    "YX04": ["未收到欠费通知即被停电", "催费人员多次深夜电话催收", "已缴清电费仍被催费"],
    "YX05": ["怀疑电能表计量不准，走字过快", "智能电表更换后电量异常增加", "电表箱门损坏，电表进水"],
    "YX06": ["申请新装一户一表超过时限仍未装表接电", "报装资料齐全但迟迟不予受理", "新建住房申请用电无人上门勘察"],
    "YX07": ["分布式光伏并网手续办理缓慢", "充电桩报装迟迟未接电", "增容申请超期未处理"],
    "YW01": ["故障报修后抢修人员迟迟未到", "停电多小时无人处理", "抢修人员到场后未修复即离开", "夜间停电报修无人响应"],
    "YW02": ["电压偏低，空调冰箱无法启动", "频繁停电，一周停电三次", "电压不稳，灯光忽明忽暗", "用电高峰期电压过低"],
    "YW03": ["计划停电未提前公告，影响生产经营", "停电通知时间与实际停电时间不符", "停电公告张贴位置不明显"],
    "YW04": ["停电后来电瞬间电压过高，烧坏电视机和冰箱", "雷击后家用电器损坏，要求赔偿", "线路故障导致电器损坏"],
    "YW05": ["村口电线杆倾斜存在安全隐患", "低压线路离房屋太近，担心触电", "变压器附近有树木碰线"],
    "YW06": ["施工后路面未恢复", "线路改造施工质量差，电缆裸露", "施工损坏农田庄稼未赔偿"],
    "YW07": ["变压器噪音扰民，夜间无法入睡", "配电房散热噪声大"],
    "YW08": ["农网改造后仍然电压偏低", "电网改造进度缓慢，影响正常用电"],
    "XC01": ["停电信息宣传不到位", "电价政策调整未告知客户"],
}
OTHER_TEXT = {
    "report": ["举报供电所工作人员吃拿卡要", "举报有人私拉乱接窃电", "举报抄表员收取好处费", "举报施工队违规收费"],
    "opinion": ["对停电安排有意见，希望避开农忙时节", "认为营业厅营业时间太短", "对电费账单格式有意见，看不懂"],
    "suggestion": ["建议增加自助缴费终端", "建议停电前提前三天短信通知", "建议网上国网增加电费明细查询功能"],
    "praise": ["表扬抢修人员冒雨连夜抢修恢复供电", "表扬供电所工作人员热情周到", "感谢营业厅工作人员耐心解答"],
    "enquiry": ["咨询阶梯电价计算方法", "咨询峰谷电价如何申请", "咨询分布式光伏并网流程", "咨询电费缴纳方式",
                "咨询过户需要的资料", "咨询电动汽车充电桩报装流程", "咨询计划停电时间"],
    "help": ["家中老人独居，请求帮助检查线路", "表箱被雨水淋湿，请求派人查看", "电卡充值失败，请求协助"],
    "repair": ["家中突然停电，整栋楼无电", "门口电线断落在地上", "表箱冒烟有焦糊味", "片区停电，请尽快抢修",
               "空开频繁跳闸无法合上", "变压器发出异响后停电"],
    "service_request": ["申请办理新装用电", "已缴清欠费，申请复电", "申请更换电能表", "申请增容",
                        "申请校验电能表", "家电损坏申请鉴定赔偿"],
}
DEMANDS = ["要求尽快处理并答复", "要求给予合理解释", "要求上门核实", "要求相关人员道歉", "要求赔偿损失", "希望尽快解决",
           "要求退还多收电费", "要求三日内回复", "", ""]
DETAILS = ["已多次反映未解决", "影响正常生活", "家中有老人小孩", "影响店铺经营", "涉及周边十余户", "养殖场受影响",
           "正值高温天气", "春节前夕", "", "", ""]
CAUSES = ["经核实，因线路老化导致", "经核实，抄表员估抄造成", "经现场检查，表计运行正常", "经查，系客户内部线路故障",
          "经核实，工作人员解释不到位", "经查，因计划检修停电"]
MEASURES = ["已更换老化线路并恢复正常供电", "已重新抄表并退补电费", "已对相关人员批评教育",
            "已现场校验电能表并向客户解释", "已安排专人跟踪处理", "已调整变压器分接头改善电压"]
REPLIES = ["已向客户说明处理情况，客户表示认可", "已电话答复客户处理结果", "已上门向客户解释并致歉",
           "已告知客户相关政策及办理流程"]
CLOSE_REPLIES = ["已当场解答客户咨询", "已记录客户建议并致谢", "已向客户解释相关政策", "已转达表扬并致谢"]
CONTACT_NOTES = ["已电话联系客户，约定上门时间", "已联系客户了解详细情况", "已到现场查看", "已短信告知客户受理情况"]
RETURN_REASONS = ["不属于本单位管辖范围", "地址有误，需重新核实派发"]
WITHDRAW_REASONS = ["客户来电表示问题已自行解决，申请撤诉", "客户表示误解，撤回投诉"]


def _cum(pairs):
    total, cum = 0, []
    for _, w in pairs:
        total += w
        cum.append(total)
    return [v for v, _ in pairs], cum


def _ts(value):
    return None if value is None else datetime.fromtimestamp(int(value), UTC)


def _dt(value: float) -> datetime:
    """Epoch seconds → the exact aware instant (the clock rules' input; written rows keep whole seconds)."""
    return datetime.fromtimestamp(value, UTC)


_DAY_PREFIX: dict[int, str] = {}
_SECOND_OF_DAY = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(86400)]


def _fmt_ts(value) -> str:
    """Epoch seconds → COPY text in UTC (whole seconds; cached per day and second of day)."""
    if value is None:
        return "\\N"
    day, second = divmod(int(value), 86400)
    prefix = _DAY_PREFIX.get(day)
    if prefix is None:
        prefix = _DAY_PREFIX[day] = f"{date.fromordinal(EPOCH_ORD + day):%Y-%m-%d} "
    return prefix + _SECOND_OF_DAY[second]


def _fmt_null(value) -> str:
    return "\\N" if value is None else str(value)


# Columns that may hold NULL (timestamps are handled by _fmt_ts); booleans print as True/False,
# which PostgreSQL accepts.
NULLABLE = {"category_id", "service_area_id", "unit_id", "handler_id", "created_by_id", "substantiated", "at_fault",
            "policy_id", "history_change_reason", "history_user_id", "actor_id", "by_id", "intake_unit_id"}


def _formatter(table: str):
    """A compiled row → COPY text line function for `table` (one f-string, no per-value branching
    except for nullable and timestamp columns)."""
    parts = []
    for k, col in enumerate(TABLE_COLS[table]):
        if col in TS_COLS:
            parts.append(f"{{T(r[{k}])}}")
        elif col in NULLABLE:
            parts.append(f"{{N(r[{k}])}}")
        else:
            parts.append(f"{{r[{k}]}}")
    source = "lambda r: f'" + "\\t".join(parts) + "'"
    return eval(source, {"T": _fmt_ts, "N": _fmt_null})  # noqa: S307 — built from constants above


# --- organisation ------------------------------------------------------------------------------

def ensure_org(min_units: int, rnd: random.Random) -> dict:
    """The demo organisation plus generated cities/counties/stations until there are at least
    `min_units` units, and a handler user per station. Idempotent."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.demo import DEMO_PASSWORD, seed_org, seed_users

    with transaction.atomic():
        units = seed_org()
        seed_users(units)
        root = units["SGS"]
        city_no = 0
        while Unit.objects.count() < min_units and city_no < len(CITY_NAMES) * 4:
            city_no += 1
            name = CITY_NAMES[(city_no - 1) % len(CITY_NAMES)] + ("" if city_no <= len(CITY_NAMES) else str(city_no))
            code = f"BM-C{city_no:02d}"
            city = Unit.objects.filter(code=code).first() or Unit.objects.create(
                code=code, name=f"{name}供电公司", kind=UnitKind.CITY, parent=root)
            for x in range(1, 4):
                ccode = f"{code}-X{x}"
                county = Unit.objects.filter(code=ccode).first() or Unit.objects.create(
                    code=ccode, name=f"{name}{COUNTY_SUFFIX[x - 1]}县供电公司", kind=UnitKind.COUNTY, parent=city,
                    region_type=RegionType.URBAN if x == 1 else RegionType.RURAL)
                for s in range(1, 4):
                    scode = f"{ccode}-S{s}"
                    if Unit.objects.filter(code=scode).exists():
                        continue
                    region = (RegionType.URBAN if s == 1 and x == 1 else
                              RegionType.REMOTE if (city_no + x + s) % 7 == 0 else RegionType.RURAL)
                    town = STATION_TOWNS[(city_no * 3 + x * 2 + s) % len(STATION_TOWNS)]
                    Unit.objects.create(code=scode, name=f"{name}{COUNTY_SUFFIX[x - 1]}县{town}供电所",
                                        kind=UnitKind.STATION, parent=county, region_type=region,
                                        customer_count=rnd.randint(15, 120) * 1000)
        stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("id"))
        handler_group = Group.objects.get(name=Role.HANDLER)
        handlers = {}
        for user in User.objects.filter(groups=handler_group, unit__kind=UnitKind.STATION).order_by("id"):
            handlers.setdefault(user.unit_id, user.id)
        missing = [s for s in stations if s.id not in handlers]
        if missing:
            password = make_password(DEMO_PASSWORD)
            new = User.objects.bulk_create([
                User(username=f"handler_{s.code.lower()}", first_name=f"{s.name[-6:]}承办", unit=s, password=password,
                     email=f"handler_{s.code.lower()}@demo.local") for s in missing])
            if connection.vendor != "postgresql":  # bulk_create sets pks on PostgreSQL and SQLite ≥ 3.35
                new = list(User.objects.filter(username__in=[u.username for u in new]))
            handler_group.user_set.add(*new)
            for user in new:
                handlers[user.unit_id] = user.id
    return {"root": root, "units": units, "stations": stations, "handlers": handlers}


# --- the generator ------------------------------------------------------------------------------

class _Facts:
    """What the clock rules (sla.services) read of a ticket, as the generated ticket stands."""

    __slots__ = ("kind", "channel", "severity", "service_type", "paid_at", "received_at", "service_area",
                 "service_area_id", "intake_unit", "unit", "dispatched_at", "regulator_due_at", "pk")

    def __init__(self, kind, channel, severity, service_type, paid_at, received_at, service_area, intake_unit):
        self.kind, self.channel, self.severity, self.service_type = kind, channel, severity, service_type
        self.paid_at, self.received_at, self.intake_unit = paid_at, received_at, intake_unit
        self.service_area, self.service_area_id = service_area, service_area.id if service_area else None
        self.unit = self.dispatched_at = self.regulator_due_at = self.pk = None


class TicketFactory:
    """Produces the rows of a block of tickets; everything in epoch seconds until written."""

    def __init__(self, *, rnd: random.Random, now: float, org: dict, agents: list[int], reviewers: list[int],
                 count: int, stuck_share: float = 0.002):
        self.r = rnd
        self.now = now
        self.stuck_share = stuck_share
        self.stations = org["stations"]
        self.handlers = org["handlers"]
        units = org["units"]
        self.kf_id = units["KF"].id if "KF" in units else org["root"].id
        self.agents = agents or [None]
        self.reviewers = reviewers or self.agents
        self.station_cum = []
        total = 0
        for s in self.stations:
            total += max(s.customer_count, 5000)
            self.station_cum.append(total)
        self.station_total = total
        # Customers per station: ~0.6 per expected ticket, drawn with a skew, so a phone or an
        # account number comes back a few times (and a handful of callers call often).
        self.pools = [max(50, int(count * max(s.customer_count, 5000) / total * 0.6)) for s in self.stations]
        self.county_of = {s.id: s.parent_id for s in self.stations}
        self.station_meta = [(s.id, s.code, s.region_type, s.name.replace("供电所", "")) for s in self.stations]
        self.unit_json = {s.id: json.dumps({"unit": s.code}) for s in self.stations}
        cats = {c.code: c.id for c in Category.objects.filter(parent__isnull=False)}
        cat_pairs = [((code, cats[code]), w) for code, w in CATEGORY_WEIGHTS.items() if code in cats]
        if not cat_pairs:
            raise GeneratorError("no complaint categories: run seed_reference")
        self.categories, self.category_cum = _cum(cat_pairs)
        self.channels, self.channel_cum = _cum(CHANNELS)
        self.kinds, self.kind_cum = _cum(KINDS)
        self.service_types, self.service_type_cum = _cum(SERVICE_TYPES)
        self.severities, self.severity_cum = _cum(SEVERITIES)
        self.moods, self.mood_cum = _cum(MOODS)
        self.customers: dict[int, tuple[int, float, float]] = {}  # cid → (complaints, latent risk, closed at)
        # Grid routing (complaints.services.routing, the product's rule): where a station has service
        # areas, its customers live in them, so the address names one and the ticket is routed there.
        from complaints.models import AccountRegistration, ServiceArea

        areas: dict[int, list] = {}
        for area in ServiceArea.objects.exclude(keywords="").order_by("code"):
            areas.setdefault(area.unit_id, []).append(area.keywords.split()[0])
        self.area_words = [areas.get(s.id, []) for s in self.stations]
        self.registered = {r.account_no: r.service_area for r in
                           AccountRegistration.objects.select_related("service_area__unit")}
        self.routing = bool(areas or self.registered)
        self.unit_by_id = Unit.objects.in_bulk()
        self._policy_cache: dict = {}
        self._wd_cache: dict = {}
        self._calendar_of: dict = {}

    # clocks: the product's rules (sla.services, sla.policies), cached where their answer repeats --------
    def policy(self, clock: str, facts: "_Facts", region: str):
        """match_policy() for these facts; its answer depends only on the key below."""
        key = (clock, facts.kind, facts.channel, facts.severity, facts.service_type, region)
        if key not in self._policy_cache:
            self._policy_cache[key] = match_policy(clock, facts, region)
        return self._policy_cache[key]

    def due(self, policy, start: float, clock: str, unit) -> tuple[float, float, bool]:
        """compute_due() in epoch seconds. A working-day due depends only on the start's local date
        and the calendar (sla.workcal), so it is computed once per (policy, calendar unit, date) and
        the warning instant put at the policy's share of that span, as compute_due does
        (tests/test_generate.py checks every generated clock against compute_due)."""
        if policy.limit_unit == LimitUnit.WORKING_DAYS:
            calendar = self._calendar_of.get(unit.id if unit else None)
            if calendar is None:  # units without regional days off share the national calendar
                calendar = self._calendar_of[unit.id if unit else None] = get_calendar(unit)
            key = (policy.id, id(calendar), int((start + LOCAL_OFFSET) // DAY))
            hit = self._wd_cache.get(key)
            if hit is None:
                due_at, _warn, known = compute_due(policy, _dt(start), unit=unit, clock=clock)
                hit = self._wd_cache[key] = (due_at.timestamp(), known)
            due, known = hit
            return due, start + (due - start) * float(policy.warn_ratio), known
        due_at, warn_at, known = compute_due(policy, _dt(start), unit=unit, clock=clock)
        return due_at.timestamp(), warn_at.timestamp(), known

    # one block ----------------------------------------------------------------------------
    def block(self, ids: list[int], times: list[float], numbers: list[str]) -> dict[str, list[tuple]]:
        r = self.r
        n = len(ids)
        rand = r.random

        def choice(seq):  # faster than Random.choice, same idea
            return seq[int(rand() * len(seq))]

        channels = r.choices(self.channels, cum_weights=self.channel_cum, k=n)
        kinds = r.choices(self.kinds, cum_weights=self.kind_cum, k=n)
        severities = r.choices(self.severities, cum_weights=self.severity_cum, k=n)
        moods = r.choices(self.moods, cum_weights=self.mood_cum, k=n)
        cats = r.choices(self.categories, cum_weights=self.category_cum, k=n)
        stypes = r.choices(self.service_types, cum_weights=self.service_type_cum, k=n)
        out = {t: [] for t in LOAD_TABLES}
        tickets, events, clocks_out, hist, callbacks = (out[t] for t in LOAD_TABLES)
        now = self.now
        customers = self.customers
        for i in range(n):
            tid, recv = ids[i], times[i]
            channel, kind, severity, mood = channels[i], kinds[i], severities[i], moods[i]
            # the customer: a pool per station so phones and accounts repeat
            sidx = min(bisect_right(self.station_cum, rand() * self.station_total), len(self.station_meta) - 1)
            unit_id, unit_code, region, place = self.station_meta[sidx]
            cid = unit_id * 1_000_003 + int(self.pools[sidx] * rand() ** 1.6)
            # escalation: the customer's earlier complaint left a latent risk (see _risk)
            prior, prior_risk, prior_at = customers.get(cid, (0, 0.0, 0.0))
            is_escalated = repeats = False
            if prior and recv - prior_at <= ESCALATION_WINDOW and kind != "report":
                if rand() < min(0.5, 0.03 + 0.08 * prior_risk):
                    channel, kind, is_escalated = "12398", "complaint", True
                elif rand() < min(0.5, 0.04 + 0.08 * prior_risk):
                    kind, repeats = "complaint", True
            if channel in IMPORTANT_CHANNELS and kind in CLOSABLE:
                kind = "complaint"
            if channel in IMPORTANT_CHANNELS and severity == "ordinary":
                severity = "important"
            service_type = stypes[i] if kind == "service_request" else ""
            category_code, category_id = cats[i]
            if kind not in ("complaint", "report") and not (kind in ("opinion", "suggestion") and rand() < 0.5):
                category_id, category_code = None, ""
            is_repeat = kind == "complaint" and (repeats or rand() < 0.03)
            if is_repeat and severity == "ordinary":
                severity = "important"
            handler_id = self.handlers.get(unit_id)
            phone = f"1{'3578'[cid % 4]}{(cid * 2654435761) % 1_000_000_000:09d}"
            account = f"{3_100_000_000 + (cid * 48271) % 899_999_999}" if cid % 10 < 7 else ""
            name = SURNAMES[cid % len(SURNAMES)] + GIVEN[(cid // 7) % len(GIVEN)] + (
                GIVEN[(cid // 131) % len(GIVEN)] if cid % 3 else "")
            village = PLACE_A[(cid // 11) % len(PLACE_A)] + PLACE_B[(cid // 17) % len(PLACE_B)] + PLACE_C[cid % 5]
            words = self.area_words[sidx]
            address = f"{words[cid % len(words)] if words else place + village}{cid % 97 + 1}号"
            area = area_id = None
            if self.routing:
                area = route_ticket(account_no=account, address=address, registered=self.registered).area
                area_id = area.id if area else None
            if kind in ("complaint", "report") or category_code:
                issue = choice(ISSUES[category_code]) if category_code and kind != "report" else choice(
                    OTHER_TEXT["report"])
            else:
                issue = choice(OTHER_TEXT[kind])
            local = datetime.fromtimestamp(recv + LOCAL_OFFSET, UTC)
            detail, demand = choice(DETAILS), choice(DEMANDS)
            description = (f"{choice(OPENERS)}：{village}{issue}，{detail + '，' if detail else ''}"
                           f"{local.month}月{local.day}日起出现此情况{'，' + demand if demand else ''}。")
            intake_unit = self.county_of[unit_id] if channel in ("visit", "letter", "opinion_box") else self.kf_id
            agent = choice(self.agents)
            paid_at = recv - rand() * 1800 if service_type == "reconnection" else None
            regulator_ref = f"12398-{local.year}-{tid % 1_000_000:06d}" if channel == "12398" else ""

            # ---- the life of the ticket: (action, at, clock event, actor) -------------------
            steps = self._steps(kind, recv, service_type)
            if rand() < self.stuck_share and len(steps) > 1:  # stuck for weeks at some step
                k = r.randrange(1, len(steps))
                shift = r.uniform(20, 500) * DAY
                steps = steps[:k] + [(a, t + shift, e) for a, t, e in steps[k:]]
            steps = [s for s in steps if s[1] <= now]

            ctx_dispatched = None
            status = "registered"
            unit = None
            facts = _Facts(kind, channel, severity, service_type, None if paid_at is None else _dt(paid_at),
                           _dt(recv), area, self.unit_by_id.get(intake_unit))
            handler = None
            clocks: list[list] = []
            ver = 1
            first_contact = replied = reviewed = closed = None
            substantiated = None
            cause = measures = reply_text = callback_result = ""
            redispatch = attempts = 0
            hist_sla = hist_due = None
            last_at = recv
            first_event = len(events)
            for action, at, event in steps:
                before = status
                actor = agent
                note, data = "", "{}"
                if action == "register":
                    note = "受理登记(重复投诉)" if is_repeat else "受理登记"
                    data = f'{{"channel": "{channel}"}}'
                elif action == "dispatch":
                    unit, status, ctx_dispatched = unit_id, "dispatched", at
                    facts.unit, facts.dispatched_at = self.unit_by_id[unit_id], _dt(at)
                    data = self.unit_json[unit_id]
                elif action == "return":
                    status, handler, actor = "returned", None, handler_id
                    note, data = choice(RETURN_REASONS), self.unit_json[unit_id]
                elif action == "contact":
                    status, handler, actor = "contacted", handler_id, handler_id
                    first_contact = first_contact or at
                    note, data = choice(CONTACT_NOTES), '{"method": "phone", "reached": true}'
                elif action == "reply":
                    substantiated = rand() < 0.45 if kind in ("complaint", "report") else None
                    if kind in ("complaint", "report"):
                        cause, measures = choice(CAUSES), choice(MEASURES)
                    else:
                        cause, measures = "客户诉求属实", "已按客户诉求办理"
                    reply_text = choice(REPLIES)
                    status, replied, actor = "replied", at, handler_id
                    note = reply_text
                    data = '{"substantiated": %s}' % ("true" if substantiated else "false")
                elif action == "review":
                    status, reviewed, actor = "reviewed", at, choice(self.reviewers)
                    data = '{"approved": true}'
                elif action == "callback_bad":
                    status, redispatch, ctx_dispatched = "dispatched", redispatch + 1, at
                    attempts, callback_result = 0, "unsatisfied"
                    note = "客户对处理结果不满意"
                    data = f'{{"result": "unsatisfied", "redispatch_count": {redispatch}}}'
                    actor = choice(self.reviewers)
                    callbacks.append((tid, at, "unsatisfied", note, actor))
                elif action == "callback":
                    attempts += 1
                    callback_result = "satisfied" if rand() < 0.93 else "unreachable"
                    actor = choice(self.reviewers)
                    if callback_result == "unreachable":
                        for k in range(2):
                            callbacks.append((tid, reviewed + (at - reviewed) * (k + 1) / 3, "unreachable",
                                              "客户电话无人接听", actor))
                        attempts = 3
                    status, closed = "archived", at
                    note = "客户表示满意" if callback_result == "satisfied" else "三次回访未联系上，归档"
                    data = f'{{"result": "{callback_result}"}}'
                    callbacks.append((tid, at, callback_result, note, actor))
                elif action == "withdraw":
                    status, closed = "withdrawn", at
                    note = choice(WITHDRAW_REASONS)
                elif action == "close":
                    reply_text = choice(CLOSE_REPLIES)
                    status, closed, note = "archived", at, reply_text
                if action != "register":
                    ver += 1
                self._clocks_on(clocks, event, at, facts)
                if action == "register":
                    hist_sla, hist_due = self._sla(clocks, at)
                events.append((tid, at, actor, action, "" if action == "register" else before, status, note,
                               data))
                last_at = at
            first_clock = len(clocks_out)
            for clock_name, pid, start, due, warn, comp, cancelled, known in clocks:
                end = now if comp is None else comp
                if cancelled:
                    state = "cancelled"
                elif comp is not None:
                    state = "breached" if due < comp else "met"
                else:
                    state = state_as_of(RUNNING, due_at=due, warn_at=warn, now=now)
                clocks_out.append((tid, clock_name, pid, start, due, warn, state, comp,
                                   warn if warn <= end else None, due if due <= end else None, known, 0))
            chases = 0
            if kind == "complaint":
                risk = self._risk(mood, prior, redispatch,
                                  any(c[6] == "breached" for c in clocks_out[first_clock:]))
                customers[cid] = (prior + 1, risk, closed or recv)
                for at, status_then in self._chases(risk, recv, closed or now, events, first_event):
                    chases += 1
                    ver += 1
                    last_at = max(last_at, at)
                    events.append((tid, at, agent, "chase", status_then, status_then, "客户来电催办",
                                   f'{{"chase_count": {chases}}}'))
            sla_state, next_due = self._sla(clocks, now)
            logged = recv + 5 + rand() * 120
            common = (numbers[i], channel, kind, service_type, category_id, severity, recv, logged, name, phone,
                      account, address, area_id, description, mood, regulator_ref, None, paid_at, intake_unit)
            tickets.append((tid, *common, unit, handler, agent, status, ver, is_repeat, is_escalated, False, redispatch,
                            chases,
                            attempts, substantiated, None, cause, measures, reply_text, callback_result,
                            ctx_dispatched, first_contact, replied, reviewed, closed, last_at, sla_state, next_due,
                            unit or intake_unit))
            hist.append((tid, *common, None, None, agent, "registered", 1, is_repeat, is_escalated, False, 0, 0, 0,
                         None, None, "", "", "", "", None, None, None, None, None, hist_sla, hist_due, intake_unit,
                         logged, None, "+", agent))
        return out

    @staticmethod
    def _risk(mood: str, prior: int, redispatch: int, breached: bool) -> float:
        """The latent escalation risk a complaint leaves with its customer (documented in bench/README.md)."""
        return (MOOD_RISK.get(mood, 0.0) + (1.5 if breached else 0.0) + (1.5 if redispatch else 0.0)
                + 0.5 * min(prior, 4))

    def _chases(self, risk: float, recv: float, end: float, events: list, first_event: int):
        """(at, status at that instant) of the customer's chase calls in the ticket's first days."""
        last = min(end, recv + CHASE_DAYS * DAY, self.now)
        if last <= recv + HOUR:
            return []
        rand, p, out = self.r.random, min(0.7, 0.05 + 0.15 * risk), []
        while len(out) < 4 and rand() < p:
            out.append(recv + HOUR + rand() * (last - recv - HOUR))
        out.sort()
        result = []
        for at in out:
            status_then = "registered"
            for e in events[first_event:]:
                if e[1] <= at:
                    status_then = e[5]
            result.append((at, status_then))
        return result

    def _steps(self, kind, recv, service_type):
        """The planned actions of a ticket as (action, at, clock event)."""
        r = self.r
        rand, expo, uni = r.random, r.expovariate, r.uniform
        steps = [("register", recv, "registered")]
        if kind in CLOSABLE and rand() < 0.75:
            steps.append(("close", recv + uni(60, 900), "closed"))
            return steps
        urgent = kind == "repair" or service_type == "reconnection"
        t = recv + expo(1 / ((8 if urgent else 15) * MINUTE)) + (uni(HOUR, 4 * HOUR) if rand() < 0.02 else 0)
        steps.append(("dispatch", t, "dispatched"))
        if rand() < 0.02:
            t += expo(1 / (3 * HOUR))
            steps.append(("return", t, "returned"))
            t += expo(1 / (2 * HOUR))
            steps.append(("dispatch", t, "dispatched"))
        for round_no in range(2):
            if urgent:
                t += expo(1 / (20 * MINUTE)) + (uni(HOUR, 3 * HOUR) if rand() < 0.04 else 0)
            else:
                t += expo(1 / (5 * HOUR)) + (uni(DAY, 3 * DAY) if rand() < 0.04 else 0)
            steps.append(("contact", t, "contacted"))
            if kind == "repair":
                t += expo(1 / (1.2 * HOUR))
            elif service_type == "reconnection":
                t += expo(1 / (25 * MINUTE))
            elif service_type in CONNECTION_TYPES:
                t += uni(2, 8) * DAY
            else:
                t += uni(0.3, 3.5) * DAY + (uni(3, 8) * DAY if rand() < 0.05 else 0)
            steps.append(("reply", t, "replied"))
            t += expo(1 / (6 * HOUR))
            steps.append(("review", t, "reviewed"))
            t += expo(1 / (6 * HOUR)) + (uni(DAY, 2 * DAY) if rand() < 0.02 else 0)
            if round_no == 0 and rand() < 0.03:
                steps.append(("callback_bad", t, "redispatched"))
                continue
            steps.append(("callback", t, "archived"))
            break
        if rand() < 0.015:
            k = r.randrange(2, len(steps))
            at = steps[k - 1][1] + (steps[k][1] - steps[k - 1][1]) * rand()
            steps = steps[:k] + [("withdraw", at, "withdrawn")]
        return steps

    def _clocks_on(self, clocks, event, at, facts: "_Facts"):
        """sla.services.clocks_on for one event, on the in-memory clocks: the MEETS / CANCELS / RETIMES /
        STARTS tables, and each new clock's applicability, start instant, policy and due from the
        product's functions (the major-event clocks are left out: the generator sends no major reports)."""
        meets, cancels = MEETS.get(event, ()), CANCELS.get(event, ())
        if meets or cancels:
            for c in clocks:
                if c[5] is None and not c[6]:
                    if c[0] in meets:
                        c[5] = at
                    elif c[0] in cancels:
                        c[5], c[6] = at, True
        region = ticket_region_type(facts)
        calendar_unit = calendar_unit_of(facts)
        for name in RETIMES.get(event, ()):
            latest = next((c for c in reversed(clocks) if c[0] == name and not c[6]), None)
            if latest is None or latest[5] is not None:
                continue
            policy = self.policy(name, facts, region)
            if policy is not None and policy.id != latest[1]:
                latest[1] = policy.id
                latest[3], latest[4], latest[7] = self.due(policy, latest[2], name, calendar_unit)
        at_dt = None
        for name in STARTS.get(event, ()):
            if name in MAJOR_CLOCKS or not clock_applies(facts, name):
                continue
            at_dt = at_dt or _dt(at)
            start = clock_start_at(facts, name, at_dt).timestamp()
            if name == ClockName.REGULATOR_REPLY:
                due_at, warn_at, known = regulator_reply_due(facts, _dt(start))
                clocks.append([name, None, start, due_at.timestamp(), warn_at.timestamp(), None, False, known])
                continue
            policy = self.policy(name, facts, region)
            if policy is None:
                continue
            due, warn, known = self.due(policy, start, name, calendar_unit)
            clocks.append([name, policy.id, start, due, warn, None, False, known])

    @staticmethod
    def _sla(clocks, at):
        active = [(c[3], c[4]) for c in clocks if c[5] is None and not c[6]]
        if not active:
            return "none", None
        nearest = min(d for d, _ in active)
        states = {state_as_of(RUNNING, due_at=d, warn_at=w, now=at) for d, w in active}
        return next(s for s in (BREACHED, WARNING, RUNNING) if s in states), nearest


# --- writing ---------------------------------------------------------------------------------------

def _times(rnd: random.Random, start: float, end: float, n: int) -> list[float]:
    """n sorted instants in [start, end) with a daytime-heavy hour profile."""
    hours = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 10, 12, 12, 11, 10, 9, 8, 7, 5, 3, 2]
    cum = []
    total = 0
    for h in hours:
        total += h
        cum.append(total)
    hour_of = rnd.choices(range(24), cum_weights=cum, k=n)
    first_day = int((start + LOCAL_OFFSET) // DAY)
    last_day = int((end + LOCAL_OFFSET) // DAY)
    out = []
    for h in hour_of:
        day = rnd.randint(first_day, last_day)
        t = day * DAY - LOCAL_OFFSET + h * HOUR + rnd.random() * HOUR
        if start <= t < end:
            out.append(t)
        else:
            out.append(start + rnd.random() * (end - start))
    out.sort()
    return out


class _Writer(threading.Thread):
    """Consumes (table, StringIO) from a queue and COPYs them on its own connection, inside one
    transaction that also drops and rebuilds the secondary indexes."""

    def __init__(self, q: queue.Queue, *, rebuild: bool, log):
        super().__init__(daemon=True)
        self.q, self.rebuild, self.log = q, rebuild, log
        self.error: BaseException | None = None
        self.rows = dict.fromkeys(LOAD_TABLES, 0)
        self.copy_seconds = self.index_seconds = 0.0

    def run(self):
        conn = connections["default"]
        try:
            with transaction.atomic(using="default"), conn.cursor() as cur:
                raw = cur.cursor
                cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cur.fetchone()[0]:
                    cur.execute("SET LOCAL session_replication_role = replica")
                cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
                cur.execute("SET LOCAL synchronous_commit = off")
                indexes = []
                if self.rebuild:
                    cur.execute(
                        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                        "WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace "
                        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
                        [LOAD_TABLES])
                    indexes = cur.fetchall()
                    for name, _ in indexes:
                        cur.execute(f'DROP INDEX "{name}"')
                while True:
                    item = self.q.get()
                    if item is None:
                        break
                    if isinstance(item, BaseException):
                        raise item
                    started = time.monotonic()
                    for table, buf, count in item:
                        cols = ", ".join(TABLE_COLS[table])
                        raw.copy_expert(f"COPY {table} ({cols}) FROM STDIN", buf)
                        self.rows[table] += count
                    self.copy_seconds += time.monotonic() - started
                started = time.monotonic()
                cur.execute("SET LOCAL max_parallel_maintenance_workers = 2")
                for name, sql in indexes:
                    t0 = time.monotonic()
                    cur.execute(sql)
                    if time.monotonic() - t0 > 5:
                        self.log(f"    index {name}: {time.monotonic() - t0:.1f} s")
                self.index_seconds = time.monotonic() - started
                if indexes:
                    self.log(f"  rebuilt {len(indexes)} indexes in {self.index_seconds:.1f} s")
        except BaseException as exc:  # reported by the main thread
            self.error = exc
            while self.q.get() is not None:  # unblock the producer until it signals the end
                pass
        finally:
            conn.close()


def generate(count: int, *, seed: int = 1, units: int = 120, days: int = 730, chunk: int = 20_000,
             no_rebuild: bool = False, end: float | None = None, stuck_share: float = 0.002, copy: bool = True,
             log=print) -> dict:
    """Add `count` tickets received over the `days` before `end` (default: now), their lives simulated
    up to now. Returns the rows written per table. `stuck_share`: the share of tickets left stuck for
    weeks at some step (the demo's history passes 0: a normal centre's archive). `copy=False`: write
    through bulk_create on the caller's connection and transaction even on PostgreSQL (the demo, a
    test), instead of COPY from a writer thread on a connection of its own."""
    if count <= 0:
        raise GeneratorError("--count must be positive")
    from django.contrib.auth.models import Group

    from accounts.roles import ensure_roles
    from complaints.seed import seed_categories
    from sla.seed import seed_calendar, seed_policies

    started = time.monotonic()
    rnd = random.Random(seed)
    if not Category.objects.filter(parent__isnull=False).exists() or not ClockPolicy.objects.exists():
        ensure_roles()
        seed_categories()
        seed_policies()
        seed_calendar()
    elif not Group.objects.filter(name=Role.HANDLER).exists():
        ensure_roles()
    org = ensure_org(units, rnd)
    agents = list(User.objects.filter(groups__name=Role.AGENT).values_list("id", flat=True))
    reviewers = list(User.objects.filter(groups__name=Role.SUPERVISOR).values_list("id", flat=True))
    now = time.time()
    factory = TicketFactory(rnd=rnd, now=now, org=org, agents=agents, reviewers=reviewers, count=count,
                            stuck_share=stuck_share)
    first_id, first_seq = _reserve(count)
    log(f"generating {count:,} tickets (ids from {first_id}, {len(org['stations'])} stations, {connection.vendor})")
    span_end = now if end is None else min(end, now)
    span_start = span_end - days * DAY
    chunks = max(1, (count + chunk - 1) // chunk)
    per = count / chunks
    span = (span_start, span_end)
    if connection.vendor == "postgresql" and copy:
        existing = _estimate_rows()
        rebuild = not no_rebuild and count >= 50_000 and count >= existing
        rows = _load_postgresql(factory, rnd, first_id, first_seq, count, chunks, per, span, now, rebuild, log)
    else:
        rows = _load_bulk(factory, rnd, first_id, first_seq, count, chunks, per, span, now)
    elapsed = time.monotonic() - started
    total = sum(rows.values())
    detail = ", ".join(f"{t.split('_', 1)[1]} {n:,}" for t, n in rows.items())
    log(f"{count:,} tickets ({total:,} rows: {detail}) in {elapsed:.1f} s — "
        f"{count / elapsed:,.0f} tickets/s, {total / elapsed:,.0f} rows/s")
    return rows


class GeneratorError(Exception):
    pass


# ids and numbers ---------------------------------------------------------------------------
def _reserve(count: int) -> tuple[int, int]:
    from complaints.models import TicketCounter
    from complaints.services.numbering import SEQUENCE

    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("LOCK TABLE complaints_ticket IN SHARE ROW EXCLUSIVE MODE")
            cur.execute("SELECT pg_get_serial_sequence('complaints_ticket', 'id')")
            id_seq = cur.fetchone()[0]
            cur.execute("SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM complaints_ticket), "
                        f"(SELECT last_value FROM {id_seq}))")
            first_id = cur.fetchone()[0] + 1
            cur.execute("SELECT setval(%s, %s)", [id_seq, first_id + count - 1])
            cur.execute("SELECT nextval(%s)", [SEQUENCE])
            first_seq = cur.fetchone()[0]
            cur.execute("SELECT setval(%s, %s)", [SEQUENCE, first_seq + count - 1])
        else:
            first_id = (Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
            counter, _ = TicketCounter.objects.select_for_update().get_or_create(id=1)
            first_seq = counter.value + 1
            counter.value += count
            counter.save()
    return first_id, first_seq


def _estimate_rows() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM (SELECT 1 FROM complaints_ticket LIMIT 2000000) t")
        return cur.fetchone()[0]


def _block_args(rnd, first_id, first_seq, c, chunks, per, span, count):
    span_start, span_end = span
    lo, hi = round(c * per), min(count, round((c + 1) * per))
    n = hi - lo
    width = (span_end - span_start) / chunks
    times = _times(rnd, span_start + c * width, min(span_end, span_start + (c + 1) * width), n)
    ids = list(range(first_id + lo, first_id + hi))
    numbers = []
    for k, t in enumerate(times):
        d = date.fromordinal(EPOCH_ORD + int((t + LOCAL_OFFSET) // DAY))
        numbers.append(f"{d:%Y%m%d}{(first_seq + lo + k) % 10_000_000:07d}")
    return ids, times, numbers


# PostgreSQL ---------------------------------------------------------------------------------
def _load_postgresql(factory, rnd, first_id, first_seq, count, chunks, per, span, now, rebuild, log):
    q: queue.Queue = queue.Queue(maxsize=2)
    writer = _Writer(q, rebuild=rebuild, log=log)
    writer.start()
    formatters = {t: _formatter(t) for t in LOAD_TABLES}
    gen_seconds = 0.0
    last_report = time.monotonic()
    try:
        for c in range(chunks):
            if writer.error:
                break
            t0 = time.monotonic()
            ids, times, numbers = _block_args(rnd, first_id, first_seq, c, chunks, per, span, count)
            rows = factory.block(ids, times, numbers)
            item = []
            for table in LOAD_TABLES:
                fmt = formatters[table]
                buf = io.StringIO("\n".join([fmt(row) for row in rows[table]]) + "\n")
                item.append((table, buf, len(rows[table])))
            gen_seconds += time.monotonic() - t0
            q.put(item)
            if time.monotonic() - last_report > 15:
                last_report = time.monotonic()
                log(f"  {ids[-1] - first_id + 1:,} / {count:,} generated")
    except BaseException as exc:
        q.put(exc)
        raise
    finally:
        q.put(None)
        writer.join()
    if writer.error:
        raise GeneratorError(f"load failed: {writer.error!r}") from writer.error
    log(f"  generate {gen_seconds:.1f} s, COPY {writer.copy_seconds:.1f} s (overlapped), "
        f"index rebuild {writer.index_seconds:.1f} s")
    t0 = time.monotonic()
    with connection.cursor() as cur:
        for table in LOAD_TABLES + ["accounts_unit", "accounts_user"]:
            cur.execute(f"ANALYZE {table}")
    _sweep_mark(now)
    log(f"  ANALYZE {time.monotonic() - t0:.1f} s")
    return writer.rows


# SQLite and others ---------------------------------------------------------------------------
def _load_bulk(factory, rnd, first_id, first_seq, count, chunks, per, span, now):
    history_model = Ticket.history.model
    models = {"complaints_ticket": Ticket, "complaints_historicalticket": history_model,
              "complaints_ticketevent": TicketEvent, "sla_clock": Clock, "complaints_callback": Callback}
    totals = dict.fromkeys(LOAD_TABLES, 0)
    with transaction.atomic():
        for c in range(chunks):
            ids, times, numbers = _block_args(rnd, first_id, first_seq, c, chunks, per, span, count)
            rows = factory.block(ids, times, numbers)
            for table in LOAD_TABLES:
                cols = TABLE_COLS[table]
                objs = []
                for row in rows[table]:
                    values = {}
                    for col, v in zip(cols, row, strict=True):
                        if col in TS_COLS:
                            v = _ts(v)
                        elif col == "data":
                            v = json.loads(v)
                        values[col] = v
                    objs.append(models[table](**values))
                models[table].objects.bulk_create(objs, batch_size=500)
                totals[table] += len(objs)
    _sweep_mark(now)
    return totals


def _sweep_mark(now: float) -> None:
    """The generated clock states are as a sweep at `now` would leave them."""
    from sla.models import SweepRun

    SweepRun.objects.update_or_create(id=1, defaults={"last_run_at": _ts(now)})


def main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--count", "--n", type=int, required=True, help="tickets to add")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    parser.add_argument("--units", type=int, default=120, help="create units until there are at least this many")
    parser.add_argument("--days", type=int, default=730, help="received times spread over this many days")
    parser.add_argument("--chunk", type=int, default=20_000, help="tickets per COPY chunk")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="PostgreSQL: keep indexes during the load (default: drop and rebuild when the "
                             "load is at least 50,000 tickets and as large as the table)")
    args = parser.parse_args(argv)
    try:
        generate(args.count, seed=args.seed, units=args.units, days=args.days, chunk=args.chunk,
                 no_rebuild=args.no_rebuild)
    except GeneratorError as exc:
        parser.exit(2, f"error: {exc}\n")


if __name__ == "__main__":
    main()
