"""The working calendar as the clocks use it: loaded once from the database into memory and
reloaded when an administrator changes it (a version number in the shared cache)."""
import time

from django.core.cache import cache

from sla.workcal import WorkCalendar

VERSION_KEY = "sla:calendar-version"
_CHECK_EVERY = 10.0  # seconds between looks at the shared version number

_state: dict = {"version": None, "checked": 0.0, "national": None, "regional": [], "by_unit": {}}


def bump_version() -> None:
    """Call after any change to CalendarDay / CalendarYear (admin saves, imports, seeding)."""
    cache.set(VERSION_KEY, time.time_ns(), None)
    _state["checked"] = 0.0


def _load(version) -> None:
    from sla.models import CalendarDay, CalendarYear

    holidays, workdays, regional = set(), set(), []
    for day, is_workday, unit_path in CalendarDay.objects.values_list("date", "is_workday", "unit__path"):
        if unit_path:
            regional.append((unit_path, day))
        elif is_workday:
            workdays.add(day)
        else:
            holidays.add(day)
    known = set(CalendarYear.objects.values_list("year", flat=True))
    _state.update(version=version, national=WorkCalendar(holidays=holidays, workdays=workdays, known_years=known),
                  regional=regional, by_unit={})


def get_calendar(unit=None) -> WorkCalendar:
    """The national calendar, plus the regional days off of `unit` and its ancestors."""
    now = time.monotonic()
    if _state["national"] is None or now - _state["checked"] > _CHECK_EVERY:
        version = cache.get(VERSION_KEY)
        if _state["national"] is None or version != _state["version"]:
            _load(version)
        _state["checked"] = now
    national = _state["national"]
    if unit is None or not _state["regional"]:
        return national
    key = unit.path
    if key not in _state["by_unit"]:
        extra = [day for path, day in _state["regional"] if key.startswith(path)]
        _state["by_unit"][key] = national.with_extra_holidays(extra) if extra else national
    return _state["by_unit"][key]


def known_years() -> list[int]:
    return sorted(get_calendar().known_years)


def can_import_holidays(user) -> bool:
    """Administrators and the supervision office keep the working calendar up to date."""
    from accounts.models import Role

    return user.is_superuser or user.has_role(Role.ADMIN, Role.SUPERVISOR) or user.has_perm("sla.add_calendarday")


def missing_next_year(today) -> int | None:
    """Next year, when it is on or after `calendar_reminder_from` (MM-DD, default 11-01) and next
    year's holidays are not known yet; else None."""
    from core.config import setting

    month, day = (int(part) for part in str(setting("calendar_reminder_from")).split("-"))
    if (today.month, today.day) < (month, day) or today.year + 1 in get_calendar().known_years:
        return None
    return today.year + 1
