"""Each figure against the hand-counted month in conftest.py."""
import pytest

from core.errors import NotFound, ValidationFailed
from reports import figures
from reports.figures import Period, resolve_scope

pytestmark = pytest.mark.django_db


def fig(data, key):
    figures_ = data["headline"]["figures"] if "headline" in data else data["figures"]
    return next(f for f in figures_ if f["key"] == key)


def test_period_bounds_are_local_months():
    p = Period(2025, 3)
    assert p.start.isoformat() == "2025-03-01T00:00:00+08:00"
    assert p.end.isoformat() == "2025-04-01T00:00:00+08:00"
    assert p.last_day.isoformat() == "2025-03-31"
    assert p.shift(-3) == Period(2024, 12) and p.shift(-12) == Period(2024, 3)
    with pytest.raises(ValidationFailed):
        Period.parse("2025-13")
    with pytest.raises(ValidationFailed):
        Period.parse("March")


def test_headline_for_the_province(world, users, march):
    scope = resolve_scope(users["viewer"])
    assert scope.whole and scope.unit.code == "SGS"
    h = figures.headline(scope, march)
    cur, prev, ly = h["current"], h["previous"], h["last_year"]
    # T1 T3 T4 T5 T6 T8; T2 is February (23:30 on the 28th), T7 last year
    assert cur["volume"] == 6 and prev["volume"] == 1 and ly["volume"] == 1
    assert cur["complaint_requests"] == 5  # 投诉类诉求: every complaint ticket
    assert cur["complaints"] == 1  # 投诉(有责投诉): T1 only — T6 not substantiated, the rest not at fault
    assert (cur["regulator_12398"], prev["regulator_12398"], ly["regulator_12398"]) == (0, 1, 1)
    assert cur["substantiated"] == 2 and cur["at_fault"] == 1
    assert cur["repeat"] == 1 and cur["repeat_rate"] == 0.2
    # archived complaints T1, T3; T3 was re-dispatched
    assert (cur["archived_complaints"], cur["first_time"], cur["first_time_resolution_rate"]) == (2, 1, 0.5)
    assert cur["withdrawn"] == 1
    # first contact: T1 met, T3 met twice (re-dispatch starts a fresh clock), T6 breached, T4 cancelled
    assert (cur["first_contact_met"], cur["first_contact_done"], cur["first_contact_rate"]) == (3, 4, 0.75)
    assert (cur["resolution_met"], cur["resolution_done"], cur["on_time_resolution_rate"]) == (3, 4, 0.75)
    # callbacks: T1 satisfied, T3 unsatisfied then satisfied, T6 unreachable (excluded)
    assert (cur["satisfied"], cur["unsatisfied"], cur["unreachable"]) == (2, 1, 1)
    assert cur["satisfaction_rate"] == round(2 / 3, 4)
    assert prev["satisfaction_rate"] == 1.0
    # 8 stations, 500,000 customers; one at-fault complaint
    assert cur["customers"] == 500_000 and cur["per_million"] == 2.0
    volume = fig(h, "volume")
    assert volume["mom"] == 5.0 and volume["yoy"] == 5.0
    assert fig(h, "regulator_12398")["mom"] == -1.0
    assert fig(h, "satisfaction_rate")["mom_points"] == round(round(2 / 3, 4) - 1, 4)
    assert all(f["definition"] for f in h["figures"])


def test_station_manager_sees_only_their_station(world, users, march):
    scope = resolve_scope(users["manager_a"])
    assert scope.unit.code == "GS-A1-1" and scope.is_home
    cur = figures.headline(scope, march)["current"]
    assert (cur["volume"], cur["complaint_requests"], cur["complaints"], cur["substantiated"]) == (2, 2, 1, 2)
    assert cur["withdrawn"] == 0  # T4 is station B's
    assert (cur["first_contact_met"], cur["first_contact_done"]) == (3, 3)
    assert cur["customers"] == 55_000 and cur["per_million"] == round(1 / 55_000 * 1e6, 2)
    data = figures.dashboard(scope, march)
    numbers = {t.number for t in data["breach_list"]}
    assert world["T4"].number not in numbers and world["T6"].number not in numbers
    assert world["T7"].number in numbers
    assert data["open"]["total"] == 1  # T7 only


def test_unit_parameter_outside_the_subtree_is_refused(world, users):
    with pytest.raises(NotFound):
        resolve_scope(users["manager_a"], "GS-B1-1")
    with pytest.raises(NotFound):
        resolve_scope(users["manager_a"], "XG-A1")  # the parent is not theirs either
    with pytest.raises(NotFound):
        resolve_scope(users["viewer"], "NO-SUCH")
    scope = resolve_scope(users["viewer"], "DS-A")
    assert not scope.is_home and {u["code"] for u in scope.children()} == {"XG-A1", "XG-A2"}


def test_breakdowns(world, users, march):
    scope = resolve_scope(users["viewer"])
    data = figures.by_channel_and_kind(scope, march)
    assert {r["code"]: r["count"] for r in data["by_channel"]} == {"95598_phone": 5, "95598_online": 1}
    assert {r["code"]: r["count"] for r in data["by_kind"]} == {"complaint": 5, "enquiry": 1}
    cats = {r["code"]: r for r in figures.by_category(scope, march)}
    assert {k: r["count"] for k, r in cats.items()} == {"FW": 3, "YX": 1, "YW": 1, "": 1}
    assert {i["code"]: i["count"] for i in cats["FW"]["items"]} == {"FW01": 2, "FW02": 1}
    units = {r["name"]: r for r in figures.by_unit(scope, march)}
    assert units["东州供电公司"]["volume"] == 3 and units["东州供电公司"]["substantiated"] == 2
    assert units["西州供电公司"]["volume"] == 1
    assert units["未派发"]["volume"] == 2
    assert units["东州供电公司"]["customers"] == 250_000
    ranked = figures.ranking(figures.by_unit(scope, march))
    assert [r["code"] for r in ranked] == ["DS-A", "DS-B"] and ranked[0]["rank"] == 1
    county = figures.by_unit(resolve_scope(users["viewer"], "DS-A"), march)
    assert [(r["code"], r["volume"]) for r in county] == [("XG-A1", 3)]
    station = figures.by_unit(resolve_scope(users["viewer"], "GS-A1-1"), march)
    assert [(r["name"], r["volume"]) for r in station] == [("东州一县城关供电所(本级)", 2)]


def test_daily_and_trend(world, users, march):
    scope = resolve_scope(users["viewer"])
    days = {d["date"]: d["volume"] for d in figures.daily(scope, march)}
    assert len(days) == 31 and days["2025-03-01"] == 1 and days["2025-03-10"] == 1
    assert sum(days.values()) == 6
    trend = {m["month"]: m for m in figures.trend(scope, march)}
    assert list(trend)[0] == "2024-04" and list(trend)[-1] == "2025-03"
    assert trend["2025-03"]["volume"] == 6 and trend["2025-02"]["regulator_12398"] == 1
    assert "2024-03" not in trend
    trend13 = {m["month"]: m for m in figures.trend(scope, march, months=13)}
    assert trend13["2024-03"]["volume"] == 1


def test_open_snapshot_and_breaches(world, users):
    scope = resolve_scope(users["viewer"])
    snap = figures.open_snapshot(scope)
    assert snap["total"] == 4  # T5 T6 T7 T8
    ages = {b["label"]: b["count"] for b in snap["by_age"]}
    assert ages == {"当天": 0, "1–2天": 0, "3–6天": 0, "7–14天": 2, "15–29天": 1, "30天及以上": 1}
    clocks = {c["state"]: c["count"] for c in snap["by_clock"]}
    assert clocks == {"breached": 3, "running": 1, "warning": 0, "none": 0}
    breaches = {t.number for t in figures.breach_list(scope)}
    assert breaches == {world[k].number for k in ("T5", "T7", "T8")}
    by_unit = {r["name"]: r["breached"] for r in figures.breaches_by_unit(scope)}
    assert by_unit == {"东州供电公司": 1, "未派发": 2}


def test_dashboard_is_json_ready_except_breaches(world, users, march):
    import json

    data = figures.dashboard(resolve_scope(users["viewer"]), march)
    data.pop("breach_list")
    json.dumps(data)


def test_definitions_are_documented():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "figures.md").read_text()
    for key, definition in figures.DEFINITIONS.items():
        assert str(definition) in text, key


def test_month_figures_are_shared_briefly_and_the_beat_refreshes_them(db, users, make_ticket):
    """A second look within the cache window reuses the figures; the warm-up task recomputes."""
    from reports.figures import Period, period_figures, scope_of
    from reports.tasks import warm_dashboard_task

    root = users["viewer"].unit
    period = Period.parse(None)
    assert period_figures(scope_of(root), period)["headline"]["current"]["volume"] == 0
    make_ticket()
    assert period_figures(scope_of(root), period)["headline"]["current"]["volume"] == 0  # cached
    warm_dashboard_task()
    assert period_figures(scope_of(root), period)["headline"]["current"]["volume"] == 1
