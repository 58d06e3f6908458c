"""The working calendar as the clocks use it: loaded once from the database into each process and
reloaded when an administrator changes it (core.memo; `changed()` on every CalendarDay / CalendarYear
save and delete, and after an import)."""
from accounts.models import Role
from core.config import setting
from core.memo import Memo
from sla.models import CalendarDay, CalendarYear
from sla.workcal import WorkCalendar


def _load() -> dict:
    holidays, workdays, regional = set(), set(), []
    for day, is_workday, unit_path in CalendarDay.objects.values_list("date", "is_workday", "unit__path"):
        if unit_path:
            regional.append((unit_path, day))
        elif is_workday:
            workdays.add(day)
        else:
            holidays.add(day)
    known = set(CalendarYear.objects.values_list("year", flat=True))
    return {"national": WorkCalendar(holidays=holidays, workdays=workdays, known_years=known),
            "regional": regional, "by_unit": {}}


CALENDAR = Memo("calendar", _load, max_age=300.0)


def get_calendar(unit=None) -> WorkCalendar:
    """The national calendar, plus the regional days off of `unit` and its ancestors."""
    loaded = CALENDAR.get()
    national = loaded["national"]
    if unit is None or not loaded["regional"]:
        return national
    key, by_unit = unit.path, loaded["by_unit"]
    if key not in by_unit:
        extra = [day for path, day in loaded["regional"] if key.startswith(path)]
        by_unit[key] = national.with_extra_holidays(extra) if extra else national
    return by_unit[key]


def known_years() -> list[int]:
    return sorted(get_calendar().known_years)


def can_import_holidays(user) -> bool:
    """Administrators and the supervision office keep the working calendar up to date."""
    return user.is_superuser or user.has_role(Role.ADMIN, Role.SUPERVISOR) or user.has_perm("sla.add_calendarday")


def missing_next_year(today) -> int | None:
    """Next year, when it is on or after `calendar_reminder_from` (MM-DD, default 11-01) and next
    year's holidays are not known yet; else None."""
    month, day = (int(part) for part in str(setting("calendar_reminder_from")).split("-"))
    if (today.month, today.day) < (month, day) or today.year + 1 in get_calendar().known_years:
        return None
    return today.year + 1
