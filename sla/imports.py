"""Import of a year's national holiday schedule from a simple file, for years the chinesecalendar
package does not know yet (the State Council's notice appears in November). One line per day:

    2027-01-01,元旦,休
    2027-02-07,春节调休,班

(date, name, 休 = day off / 班 = make-up working day; commas or tabs; '#' starts a comment). Every
line is validated before anything is written; then that year's national rows are replaced, the year
is marked known (source "导入") and the calendar version is bumped. Used by the admin page and by
`manage.py import_holidays`."""
import csv
import io
from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core.errors import ValidationFailed
from sla.calendar import CALENDAR
from sla.models import CalendarDay, CalendarYear
from sla.workcal import DayRow

OFF = {"休", "假", "放假", "休息", "off", "holiday", "0"}
ON = {"班", "上班", "调休上班", "work", "workday", "1"}


def decode_upload(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed("文件编码无法识别，请使用 UTF-8 或 GBK 编码")


def parse_schedule(text: str, *, year: int | None = None) -> tuple[int, list[DayRow]]:
    """Parse and validate every line; raise ValidationFailed listing each bad line (with its
    number) so nothing is saved if any line is wrong."""
    errors: list[str] = []
    rows: list[DayRow] = []
    seen: dict[date, int] = {}
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        delimiter = "\t" if "\t" in line else ","
        parts = [p.strip() for p in next(csv.reader(io.StringIO(line.replace("，", ",")), delimiter=delimiter))]
        if len(parts) == 2:
            parts = [parts[0], "", parts[1]]
        if len(parts) != 3:
            errors.append(f"第{number}行：应为「日期,名称,休/班」三项，实际为 {len(parts)} 项")
            continue
        day_text, name, flag = parts
        if number == 1 and day_text.lower() in ("date", "日期"):
            continue  # a header line
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            errors.append(f"第{number}行：日期「{day_text}」无效，应为 YYYY-MM-DD")
            continue
        if flag in OFF:
            is_workday = False
        elif flag in ON:
            is_workday = True
        else:
            errors.append(f"第{number}行：第三项「{flag}」无效，应为「休」(放假) 或「班」(调休上班)")
            continue
        if len(name) > 40:
            errors.append(f"第{number}行：名称过长(最多40字)")
            continue
        if day in seen:
            errors.append(f"第{number}行：日期 {day} 与第{seen[day]}行重复")
            continue
        if year is not None and day.year != year:
            errors.append(f"第{number}行：日期 {day} 不属于 {year} 年")
            continue
        seen[day] = number
        rows.append(DayRow(day, name, is_workday))
    if not errors and not rows:
        errors.append("文件中没有任何日期行")
    years = {r.day.year for r in rows}
    if not errors and len(years) > 1:
        errors.append(f"文件包含多个年份({'、'.join(str(y) for y in sorted(years))})，每次只能导入一个年度")
    if errors:
        raise ValidationFailed("导入失败，未保存任何数据：" + "；".join(errors[:20]),
                               fields={"file": errors})
    return years.pop(), sorted(rows)


@transaction.atomic
def import_year(year: int, rows: list[DayRow], *, note: str = "", user=None) -> int:
    """Replace `year`'s national rows with `rows` and mark the year known. Regional rows stay."""
    CalendarDay.objects.filter(unit__isnull=True, date__year=year).delete()
    bulk_create_with_history([CalendarDay(date=r.day, name=r.name, is_workday=r.is_workday) for r in rows],
                             CalendarDay, default_user=user, default_change_reason="导入年度节假日")
    CalendarYear.objects.update_or_create(year=year, defaults={"source": "导入", "note": note[:200]})
    CALENDAR.changed()
    return len(rows)


def import_schedule(text: str, *, year: int | None = None, note: str = "", user=None) -> tuple[int, int]:
    """Parse, validate and import; returns (year, number of rows)."""
    year, rows = parse_schedule(text, year=year)
    return year, import_year(year, rows, note=note, user=user)
