"""Importing a year's holiday schedule: file, admin page and management command."""
import pytest
from django.core.management import CommandError, call_command

from core.errors import ValidationFailed
from sla.calendar import get_calendar
from sla.imports import import_schedule
from sla.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

GOOD = """# 2031 测试安排
2031-01-01,元旦,休
2031-01-02,元旦,休
2031-01-04,元旦调休,班
"""


def test_good_file_replaces_year_and_bumps_calendar(reference):
    from datetime import date

    assert not get_calendar().is_known(date(2031, 1, 1))
    CalendarDay.objects.create(date="2031-05-01", name="旧数据")
    year, count = import_schedule(GOOD, note="测试")
    assert (year, count) == (2031, 3)
    assert set(CalendarDay.objects.filter(date__year=2031).values_list("name", flat=True)) == {"元旦", "元旦调休"}
    assert CalendarYear.objects.get(year=2031).source == "导入"
    calendar = get_calendar()
    assert calendar.is_known(date(2031, 6, 1))
    assert not calendar.is_working_day(date(2031, 1, 2)) and calendar.is_working_day(date(2031, 1, 4))


@pytest.mark.parametrize(("text", "needle"), [
    (GOOD + "2031-02-30,错日期,休\n", "第5行"),
    (GOOD + "2031-03-01,某日,放羊\n", "第5行"),
    (GOOD + "2031-01-01,重复,休\n", "第5行"),
    (GOOD + "2032-01-01,元旦,休\n", "多个年份"),
    ("2031-01-01\n", "第1行"),
    ("", "没有任何日期"),
])
def test_bad_line_saves_nothing(reference, text, needle):
    before = CalendarDay.objects.count()
    with pytest.raises(ValidationFailed) as info:
        import_schedule(text)
    assert needle in info.value.message
    assert CalendarDay.objects.count() == before and not CalendarYear.objects.filter(year=2031).exists()


def test_year_check(reference):
    with pytest.raises(ValidationFailed, match="不属于 2030 年"):
        import_schedule(GOOD, year=2030)


def test_management_command(reference, tmp_path):
    path = tmp_path / "2031.csv"
    path.write_text(GOOD.replace(",", "\t"), encoding="utf-8")
    call_command("import_holidays", str(path))
    assert CalendarDay.objects.filter(date__year=2031).count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("2031-01-01,元旦,xx\n", encoding="gb18030")
    with pytest.raises(CommandError, match="第1行"):
        call_command("import_holidays", str(bad))


def test_admin_import_page(client, users):
    client.force_login(users["admin"])
    url = "/admin/sla/calendarday/import/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": GOOD.replace("2031-01-04,元旦调休,班", "2031-01-04,元旦调休,?")})
    assert response.status_code == 200 and "第4行" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2031).exists()
    response = client.post(url, {"text": GOOD})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2031).count() == 3
    assert client.get("/admin/sla/calendarday/?year=2031&scope=national").status_code == 200
    assert client.get("/admin/sla/calendaryear/").status_code == 200
    assert client.get("/admin/sla/clockpolicy/").status_code == 200
    assert client.get("/admin/sla/clock/").status_code == 200
