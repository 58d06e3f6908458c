"""Tests for sla.workcal (pure Python; no database, no Django)."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from chinese_calendar import constants as cc

from sla.workcal import (
    TZ,
    DayRow,
    Due,
    WorkCalendar,
    format_due,
    national_calendar,
    national_from_chinesecalendar,
)

CAL = national_calendar()
PKG_YEARS = {d.year for d in cc.holidays} | {d.year for d in cc.workdays}


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def due_day(y: int, m: int, d: int) -> datetime:
    """due_at for a limit ending at 24:00 of y-m-d."""
    return datetime(y, m, d, tzinfo=TZ) + timedelta(days=1)


# --- DOMAIN.md section 4 examples ------------------------------------------------------------


def test_friday_plus_one_is_monday_24():
    assert date(2026, 3, 13).weekday() == 4
    due = CAL.add_working_days(at(2026, 3, 13, 16), 1)
    assert due == Due(due_day(2026, 3, 16), True)


def test_national_day_2026_plus_one():
    due = CAL.add_working_days(at(2026, 9, 30, 15), 1)
    assert due.due_at == datetime.fromisoformat("2026-10-09T00:00+08:00")
    assert due.calendar_known
    assert format_due(due.due_at) == "2026-10-08 24:00"


# --- package data and make-up days ------------------------------------------------------------


def test_2026_table_matches_state_council_notice():
    rows = [r for r in national_from_chinesecalendar() if r.day.year == 2026]
    off = {r.day for r in rows if not r.is_workday}
    spans = [(1, 1, 3), (2, 15, 23), (4, 4, 6), (5, 1, 5), (6, 19, 21), (9, 25, 27)]
    spans.append((10, 1, 7))
    assert off == {date(2026, m, d) for m, a, b in spans for d in range(a, b + 1)}
    assert {r.day for r in rows if r.is_workday} == {
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
        date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10),
    }  # fmt: skip
    assert DayRow(date(2026, 10, 1), "国庆节", False) in rows
    assert DayRow(date(2026, 2, 14), "春节", True) in rows


def test_2025_table_matches_package_and_notice():
    off = {d for d in CAL.holidays if d.year == 2025}
    spans = [(1, 1, 1), (1, 28, 31), (2, 1, 4), (4, 4, 6), (5, 1, 5), (5, 31, 31)]
    spans += [(6, 1, 2), (10, 1, 8)]
    assert off == {date(2025, m, d) for m, a, b in spans for d in range(a, b + 1)}
    assert off == {d for d in cc.holidays if d.year == 2025}
    assert {d for d in CAL.workdays if d.year == 2025} == {
        date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("start", "days", "last"),
    [
        pytest.param((2026, 2, 13, 10), 1, (2026, 2, 14), id="2026 Sat 14 Feb make-up"),
        pytest.param((2026, 1, 2, 10), 1, (2026, 1, 4), id="2026 Sun 4 Jan make-up"),
        pytest.param((2025, 12, 31, 17), 1, (2026, 1, 4), id="across New Year 2026"),
        pytest.param(
            (2026, 2, 13, 10), 2, (2026, 2, 24), id="2026 Spring Festival 15-23 Feb"
        ),
        pytest.param((2026, 2, 27, 10), 1, (2026, 2, 28), id="2026 Sat 28 Feb make-up"),
        pytest.param((2025, 1, 24, 9), 1, (2025, 1, 26), id="2025 Sun 26 Jan make-up"),
        pytest.param(
            (2025, 1, 27, 9), 1, (2025, 2, 5), id="2025 Spring Festival 28 Jan-4 Feb"
        ),
        pytest.param((2025, 2, 7, 9), 1, (2025, 2, 8), id="2025 Sat 8 Feb make-up"),
        pytest.param(
            (2025, 5, 30, 9), 1, (2025, 6, 3), id="2025 Dragon Boat 31 May-2 Jun"
        ),
        pytest.param((2025, 9, 26, 9), 1, (2025, 9, 28), id="2025 Sun 28 Sep make-up"),
        pytest.param(
            (2025, 9, 30, 9), 1, (2025, 10, 9), id="2025 National Day 1-8 Oct"
        ),
        pytest.param(
            (2025, 10, 10, 9), 1, (2025, 10, 11), id="2025 Sat 11 Oct make-up"
        ),
    ],
)
def test_make_up_days_and_holiday_spans(start, days, last):
    assert CAL.add_working_days(at(*start), days) == Due(due_day(*last), True)


# --- start instant ----------------------------------------------------------------------------


def test_start_on_holiday_skips_rest_of_holiday():
    assert CAL.add_working_days(at(2026, 10, 3, 10), 1).due_at == due_day(2026, 10, 8)
    assert CAL.add_working_days(at(2026, 10, 1, 0), 2).due_at == due_day(2026, 10, 9)


@pytest.mark.parametrize(("hh", "mm"), [(0, 0), (23, 59)])
def test_start_day_never_counts(hh, mm):
    due = CAL.add_working_days(at(2026, 3, 11, hh, mm), 1)  # Wednesday
    assert due.due_at == due_day(2026, 3, 12)


def test_utc_start_uses_local_date():
    # 2026-09-30T20:00Z is 1 Oct 04:00 in Shanghai.
    due = CAL.add_working_days(datetime(2026, 9, 30, 20, tzinfo=UTC), 1)
    assert due.due_at == due_day(2026, 10, 8)
    # Thu 2026-03-12T17:00Z is Fri 13 Mar 01:00 local: counting starts on Saturday,
    # so the due day is Monday, not Friday.
    due = CAL.add_working_days(datetime(2026, 3, 12, 17, tzinfo=UTC), 1).due_at
    assert due == due_day(2026, 3, 16)
    assert due.tzinfo is TZ


def test_resolution_four_days_across_national_day_2026():
    # 8 Oct Thu, 9 Fri, 10 Sat (make-up), 11 Sun off, 12 Mon.
    assert CAL.add_working_days(at(2026, 9, 30, 15), 4).due_at == due_day(2026, 10, 12)
    # 25-27 Sep off, 28/29/30 Sep count, 1-7 Oct off, 8 Oct is the 4th.
    assert CAL.add_working_days(at(2026, 9, 24, 15), 4).due_at == due_day(2026, 10, 8)


# --- against a day-by-day reference -----------------------------------------------------------


def reference(start: datetime, days: int) -> Due:
    """Day-by-day count on the chinese_calendar tables; weekends only outside them."""
    d = start.astimezone(TZ).date()
    first = d + timedelta(days=1)
    while days:
        d += timedelta(days=1)
        # Same rule as chinese_calendar.is_workday, without its slow per-call checks.
        if d.year in PKG_YEARS:
            days -= d in cc.workdays or (d.weekday() < 5 and d not in cc.holidays)
        else:
            days -= d.weekday() < 5
    known = all(y in PKG_YEARS for y in range(first.year, d.year + 1))
    return Due(datetime(d.year, d.month, d.day, tzinfo=TZ) + timedelta(days=1), known)


def test_matches_day_by_day_reference():
    rng = random.Random(20260930)
    lo, hi = date(2002, 6, 1).toordinal(), date(2033, 12, 31).toordinal()
    unknown = 0
    for _ in range(500):
        d = date.fromordinal(rng.randint(lo, hi))
        tz = TZ if rng.random() < 0.7 else UTC
        hh, mm = rng.randint(0, 23), rng.randint(0, 59)
        start = datetime(d.year, d.month, d.day, hh, mm, tzinfo=tz)
        days = rng.choice(
            [rng.randint(1, 12), rng.randint(1, 300), rng.randint(1, 3000)]
        )
        due = CAL.add_working_days(start, days)
        assert due == reference(start, days), (start, days)
        # The last counted day (24:00 of it) ends exactly `days` working days after start.
        last_instant = due.due_at - timedelta(microseconds=1)
        assert CAL.working_days_between(start, last_instant) == days
        unknown += not due.calendar_known
    assert 50 < unknown < 450  # both kinds of result were exercised


# --- unknown years ----------------------------------------------------------------------------


def test_unknown_year_weekends_only():
    assert 2031 not in CAL.known_years and not CAL.is_known(date(2031, 10, 1))
    # 1 Oct 2031 would surely be a holiday, but nothing is known: plain Mon-Fri.
    assert CAL.add_working_days(at(2031, 9, 30), 1) == Due(due_day(2031, 10, 1), False)
    # Friday -> Monday
    assert CAL.add_working_days(at(2031, 10, 3), 1) == Due(due_day(2031, 10, 6), False)


def test_span_into_unknown_year_is_flagged():
    last_known = max(PKG_YEARS)
    assert last_known + 1 not in CAL.known_years
    assert CAL.add_working_days(at(last_known, 12, 28, 10), 1).calendar_known
    due = CAL.add_working_days(at(last_known, 12, 28, 10), 10)
    assert due.due_at.year == last_known + 1 and not due.calendar_known
    # Starting on 31 Dec: the start day is not examined, the next year is.
    assert not CAL.add_working_days(at(last_known, 12, 31, 10), 1).calendar_known


# --- regional additions -----------------------------------------------------------------------


def test_regional_extra_holidays():
    # Mon 20 and Tue 21 Apr 2026 stand in for Guangxi's 壮族三月三
    # (two days off set by the region's yearly notice).
    sanyuesan = [date(2026, 4, 20), date(2026, 4, 21)]
    guangxi = CAL.with_extra_holidays(sanyuesan)
    start = at(2026, 4, 17, 16)  # Friday
    assert CAL.add_working_days(start, 1).due_at == due_day(2026, 4, 20)
    assert guangxi.add_working_days(start, 1).due_at == due_day(2026, 4, 22)
    assert guangxi.add_working_days(start, 3).due_at == due_day(2026, 4, 24)
    assert not guangxi.is_working_day(date(2026, 4, 20))
    assert CAL.is_working_day(date(2026, 4, 20))  # national calendar unchanged
    assert guangxi.known_years == CAL.known_years


# --- smaller pieces ---------------------------------------------------------------------------


def test_is_working_day_and_between():
    assert CAL.is_working_day(date(2026, 2, 14))  # Saturday make-up
    assert not CAL.is_working_day(date(2026, 10, 1))
    assert not CAL.is_working_day(date(2026, 9, 26))  # weekend holiday
    assert CAL.working_days_between(at(2026, 9, 30, 15), at(2026, 10, 9, 12)) == 2
    assert CAL.working_days_between(at(2026, 9, 30, 15), at(2026, 9, 30, 23)) == 0
    assert CAL.working_days_between(at(2026, 10, 9), at(2026, 9, 1)) == 0


def test_from_rows_defaults_known_years():
    rows = [(date(2040, 1, 2), "x", False), (date(2040, 1, 7), "y", True)]
    cal = WorkCalendar.from_rows(rows)
    assert cal.known_years == {2040}
    assert not cal.is_working_day(date(2040, 1, 2))  # Monday off
    assert cal.is_working_day(date(2040, 1, 7))  # Saturday make-up


def test_format_due():
    midnight = datetime.fromisoformat("2026-10-09T00:00+08:00")
    assert format_due(midnight) == "2026-10-08 24:00"
    assert format_due(at(2026, 10, 8, 15, 30)) == "2026-10-08 15:30"
    # 16:00 UTC is 00:00 on 9 Oct in Shanghai
    assert format_due(datetime(2026, 10, 8, 16, tzinfo=UTC)) == "2026-10-08 24:00"
    assert format_due(at(2026, 1, 1)) == "2025-12-31 24:00"


@pytest.mark.parametrize("days", [0, -1, -100])
def test_days_must_be_positive(days):
    with pytest.raises(ValueError):
        CAL.add_working_days(at(2026, 3, 13), days)


def test_naive_datetimes_rejected():
    naive = datetime(2026, 3, 13, 16)
    with pytest.raises(ValueError):
        CAL.add_working_days(naive, 1)
    with pytest.raises(ValueError):
        CAL.working_days_between(naive, at(2026, 3, 20))
    with pytest.raises(ValueError):
        format_due(naive)


def test_large_n_matches_reference():
    start = at(2026, 3, 13, 16)
    assert CAL.add_working_days(start, 100_000) == reference(start, 100_000)
