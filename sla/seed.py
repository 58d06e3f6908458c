"""Reference data for the clocks: the national holiday table and the default policies."""
from django.db import transaction

from sla.calendar import CALENDAR
from sla.models import CalendarDay, CalendarYear, ClockName, ClockPolicy, LimitUnit
from sla.workcal import national_from_chinesecalendar

C, WD, H, M = ClockName, LimitUnit.WORKING_DAYS, LimitUnit.HOURS, LimitUnit.MINUTES
# (clock, limit unit, amount, criteria, priority, basis) — DOMAIN.md §4 defaults.
DEFAULT_POLICIES = [
    (C.DISPATCH, H, 1, {}, 0, "受理后1小时内派发"),
    (C.FIRST_CONTACT, WD, 1, {}, 0, "首日联系制：派发后1个工作日内联系客户"),
    (C.RESOLUTION, WD, 5, {}, -10, "其他诉求：5个工作日内答复"),
    (C.RESOLUTION, WD, 4, {"kind": "complaint"}, 0, "投诉：派发后4个工作日内处理答复"),
    (C.RESOLUTION, WD, 9, {"kind": "report"}, 0, "举报：9个工作日"),
    (C.RESOLUTION, WD, 10, {"channel": "12398"}, 10, "12398转办：10个工作日或转办单要求时限"),
    (C.CALLBACK, H, 24, {}, 0, "审核后24小时内回访"),
    (C.RECONNECTION, H, 2, {"service_type": "reconnection"}, 0, "缴费后2小时内复电(22:00后顺延至次日10:00)"),
    (C.REPAIR_ARRIVAL, M, 45, {"kind": "repair", "region_type": "urban"}, 0, "抢修到达：城区45分钟"),
    (C.REPAIR_ARRIVAL, M, 90, {"kind": "repair", "region_type": "rural"}, 0, "抢修到达：农村90分钟"),
    (C.REPAIR_ARRIVAL, M, 120, {"kind": "repair", "region_type": "remote"}, 0, "抢修到达：特殊边远2小时"),
    (C.REPAIR_ARRIVAL, M, 45, {"kind": "repair"}, -1, "抢修到达：地区未知按城区45分钟"),
    (C.CONNECTION, WD, 5, {"service_type": "connection_residential"}, 0, "居民装表接电5个工作日"),
    (C.CONNECTION, WD, 6, {"service_type": "connection_low_voltage"}, 0, "低压非居民6个工作日"),
    (C.CONNECTION, WD, 22, {"service_type": "connection_hv_single"}, 0, "高压单电源22个工作日"),
    (C.CONNECTION, WD, 32, {"service_type": "connection_hv_dual"}, 0, "高压双电源32个工作日"),
]


@transaction.atomic
def seed_policies() -> int:
    """Create the default policy rows once; an administrator's later edits are kept."""
    if ClockPolicy.objects.exists():
        return 0
    ClockPolicy.objects.bulk_create(
        ClockPolicy(clock=clock, limit_unit=unit, amount=amount, priority=priority, note=note, **criteria)
        for clock, unit, amount, criteria, priority, note in DEFAULT_POLICIES)
    return len(DEFAULT_POLICIES)


@transaction.atomic
def seed_calendar() -> int:
    """Load every year the chinesecalendar package knows; years already in the table (perhaps
    edited by an administrator) are left alone."""
    rows = national_from_chinesecalendar()
    have = set(CalendarYear.objects.values_list("year", flat=True))
    new_rows = [r for r in rows if r.day.year not in have]
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=r.day, name=r.name, is_workday=r.is_workday) for r in new_rows], ignore_conflicts=True)
    years = sorted({r.day.year for r in new_rows})
    CalendarYear.objects.bulk_create([CalendarYear(year=y) for y in years], ignore_conflicts=True)
    if years:
        CALENDAR.changed()
    return len(new_rows)
