"""Working-day calendar for SLA clocks (pure Python, no Django imports).

Counting rule (Civil Code arts. 201/203, DOMAIN.md section 4): the local (Asia/Shanghai) date on which
a clock starts is not counted; counting begins the next day; only working days count; the limit ends
at 24:00 of the last counted working day.  A working day is Monday-Friday not in ``holidays``, or any
day in ``workdays`` (make-up working days, 调休上班).  Years outside ``known_years`` have no holiday
data, so they are counted with weekends only and the result is flagged ``calendar_known=False``.

Public API
----------
``TZ``                                         Asia/Shanghai ``ZoneInfo``.
``Due(due_at, calendar_known)``                frozen result of ``add_working_days``.
``DayRow(day, name, is_workday)``              one holiday-table row (a NamedTuple, i.e. a
                                               ``tuple[date, str, bool]``); ``is_workday`` True
                                               marks a make-up working day, False a day off.
``WorkCalendar(holidays, workdays, known_years)``
    ``.from_rows(rows, known_years=None)``     classmethod; build from (date, name, is_workday) rows,
                                               e.g. the national table or rows from the database;
                                               ``known_years`` defaults to the years the rows touch.
    ``.is_working_day(d) -> bool``
    ``.is_known(d) -> bool``
    ``.add_working_days(start, days) -> Due``  ``days >= 1`` (0 or less: ValueError), aware ``start``.
    ``.working_days_between(start, end) -> int``
    ``.with_extra_holidays(dates) -> WorkCalendar``   regional additions (e.g. Guangxi 壮族三月三).
``national_from_chinesecalendar() -> list[DayRow]``   rows of the ``chinesecalendar`` package, sorted,
                                               names in Chinese (元旦, 春节, ...).  Weekend holidays
                                               are kept; they are harmless to ``is_working_day``.
``national_calendar() -> WorkCalendar``        cached calendar built from those rows.
``format_due(due_at) -> str``                  "YYYY-MM-DD HH:MM", a midnight shown as previous day 24:00.

Speed: working days in a span are counted in O(log k) - Mon-Fri arithmetically, plus a prefix sum
over the few days that break the Mon-Fri rule (k ~ 1000 for the national table).  The due date is
found by binary search on that count, so any N costs a few dozen such counts (tens of microseconds).
"""

from __future__ import annotations

import zoneinfo
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from chinese_calendar import constants as cc

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Due:
    # Aware, Asia/Shanghai: 00:00 of the day after the last counted working day.
    due_at: datetime
    # False if any day counted over lies in a year without holiday data.
    calendar_known: bool


class DayRow(NamedTuple):
    day: date
    name: str
    is_workday: bool  # True: make-up working day (调休上班); False: day off


def _local_date(dt: datetime) -> date:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt!r}: an aware datetime is required")
    return dt.astimezone(TZ).date()


def _weekdays_before(n: int) -> int:
    """Mon-Fri days among day numbers [0, n), where day number 0 (0001-01-01) is a Monday."""
    q, r = divmod(n, 7)
    return q * 5 + min(r, 5)


class WorkCalendar:
    """Working-day calendar; treat as immutable (``national_calendar()`` is shared).

    "Day numbers" below are ``date.toordinal() - 1``, so day number 0 is a Monday.
    """

    __slots__ = ("_adj_days", "_adj_prefix", "holidays", "known_years", "workdays")

    def __init__(
        self,
        holidays: Iterable[date],
        workdays: Iterable[date],
        known_years: Iterable[int],
    ) -> None:
        self.holidays: frozenset[date] = frozenset(holidays)
        self.workdays: frozenset[date] = frozenset(workdays)
        self.known_years: frozenset[int] = frozenset(known_years)
        # Days whose status differs from the plain Mon-Fri rule, with their correction: -1 for a
        # weekday off, +1 for a weekend make-up day.  Weekend holidays change nothing and drop out.
        adj = sorted(
            (d.toordinal() - 1, -1 if d.weekday() < 5 else 1)
            for d in self.holidays | self.workdays
            if self.is_working_day(d) != (d.weekday() < 5)
        )
        self._adj_days: list[int] = [n for n, _ in adj]
        self._adj_prefix: list[int] = [0, *accumulate(delta for _, delta in adj)]

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[date, str, bool]],
        known_years: Iterable[int] | None = None,
    ) -> WorkCalendar:
        rows = list(rows)
        return cls(
            (d for d, _, is_workday in rows if not is_workday),
            (d for d, _, is_workday in rows if is_workday),
            {d.year for d, _, _ in rows} if known_years is None else known_years,
        )

    def __repr__(self) -> str:
        ky = self.known_years
        years = f"{min(ky)}-{max(ky)}" if ky else "none"
        return (
            f"<WorkCalendar {len(self.holidays)} holidays, "
            f"{len(self.workdays)} workdays, years {years}>"
        )

    def is_working_day(self, d: date) -> bool:
        # A date in both sets counts as working, as in chinese_calendar.is_workday.
        return d in self.workdays or (d.weekday() < 5 and d not in self.holidays)

    def is_known(self, d: date) -> bool:
        return d.year in self.known_years

    def _count(self, a: int, b: int) -> int:
        """Working days among day numbers [a, b] (0 if b < a)."""
        if b < a:
            return 0
        days, prefix = self._adj_days, self._adj_prefix
        return (
            _weekdays_before(b + 1)
            - _weekdays_before(a)
            + prefix[bisect_right(days, b)]
            - prefix[bisect_left(days, a)]
        )

    def add_working_days(self, start: datetime, days: int) -> Due:
        """Due instant of a clock of ``days`` working days started at ``start`` (aware).

        ``days`` must be >= 1: a zero-day limit has no meaning under art. 201 (it would end before
        counting begins), so 0 and negatives raise ValueError, as does a naive ``start``.
        """
        if days < 1:
            raise ValueError(f"days must be >= 1, got {days}")
        # toordinal() - 1 is the start date's day number, so this is the day after it.
        first = _local_date(start).toordinal()
        # Find the smallest day number e with _count(first, e) >= days; since the count grows
        # by at most 1 a day, e is the last counted working day.
        span = days * 7 // 5 + 7  # enough unless holidays are dense; then grow it
        while self._count(first, first + span) < days:
            span *= 2
        lo, hi = first + days - 1, first + span
        while lo < hi:
            mid = (lo + hi) // 2
            if self._count(first, mid) >= days:
                hi = mid
            else:
                lo = mid + 1
        last = date.fromordinal(lo + 1)
        first_day = date.fromordinal(first + 1)
        known = all(y in self.known_years for y in range(first_day.year, last.year + 1))
        due_at = datetime.combine(last + timedelta(days=1), time(0), tzinfo=TZ)
        return Due(due_at, known)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days after ``start``'s local date up to and including ``end``'s local date."""
        # Day number of the day after start's local date (see add_working_days).
        first = _local_date(start).toordinal()
        return self._count(first, _local_date(end).toordinal() - 1)

    def with_extra_holidays(self, dates: Iterable[date]) -> WorkCalendar:
        """A new calendar with regional days off added; ``self`` is unchanged.

        A date that is also a national make-up working day stays a working day.
        """
        holidays = self.holidays | frozenset(dates)
        return WorkCalendar(holidays, self.workdays, self.known_years)


def national_from_chinesecalendar() -> list[DayRow]:
    """National holiday table from the ``chinesecalendar`` package, sorted by date."""
    def zh(english: str) -> str:  # package values are English names of Holiday members
        try:
            return cc.Holiday(english).chinese
        except ValueError:
            return english

    rows = [DayRow(d, zh(n), False) for d, n in cc.holidays.items()]
    rows += [DayRow(d, zh(n), True) for d, n in cc.workdays.items()]
    return sorted(rows)


@lru_cache(maxsize=1)
def national_calendar() -> WorkCalendar:
    """National calendar from ``chinesecalendar``; known years are those its table covers."""
    return WorkCalendar.from_rows(national_from_chinesecalendar())


def format_due(due_at: datetime) -> str:
    """Display a deadline in Asia/Shanghai; exact midnight is shown as the previous day 24:00."""
    if due_at.tzinfo is None or due_at.utcoffset() is None:
        raise ValueError(f"naive datetime {due_at!r}: an aware datetime is required")
    local = due_at.astimezone(TZ)
    if local.time() == time(0):
        return f"{local.date() - timedelta(days=1):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"
