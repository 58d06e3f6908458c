"""core.memo: reference data kept per process, reloaded when another process changes it."""
import pytest

from core import memo as memo_module
from core.memo import CHECK_SECONDS, Memo


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: now[0])
    return now


def two_processes(rows, **options):
    """The same memo as two worker processes hold it (one shared cache between them)."""
    first = Memo("test-rows", lambda: list(rows), **options)
    second = Memo("test-rows", lambda: list(rows), **options)
    memo_module.MEMOS.remove(first)
    memo_module.MEMOS.remove(second)
    return first, second


def test_a_change_in_one_process_reaches_the_other_within_the_check_interval(clock, db):
    rows = ["a"]
    web, worker = two_processes(rows)
    assert web.get() == ["a"] and worker.get() == ["a"]
    rows.append("b")
    web.changed()  # an administrator saved through the web process
    assert web.get() == ["a", "b"]
    clock[0] += CHECK_SECONDS / 2
    assert worker.get() == ["a"]  # not looked yet
    clock[0] += CHECK_SECONDS
    assert worker.get() == ["a", "b"]


def test_unchanged_data_is_not_reloaded(clock, db):
    loads = []
    memo = Memo("test-count", lambda: loads.append(1) or len(loads))
    memo_module.MEMOS.remove(memo)
    memo.changed()
    for _ in range(10):
        clock[0] += CHECK_SECONDS
        assert memo.get() == 1


def test_with_the_shared_cache_down_a_copy_is_kept_no_longer_than_max_age(clock, settings, db):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # answers nothing
    rows = ["a"]
    web, worker = two_processes(rows, max_age=30.0)
    assert worker.get() == ["a"]
    rows.append("b")
    web.changed()
    clock[0] += CHECK_SECONDS + 1
    assert worker.get() == ["a"]
    clock[0] += 30.0
    assert worker.get() == ["a", "b"]


def test_a_business_setting_saved_by_an_administrator_applies_at_once(db):
    from core.config import DEFAULTS, setting
    from core.models import Setting

    assert setting("repeat_window_days") == DEFAULTS["repeat_window_days"][0]
    Setting.objects.create(key="repeat_window_days", value=DEFAULTS["repeat_window_days"][0] + 5)
    assert setting("repeat_window_days") == DEFAULTS["repeat_window_days"][0] + 5


def test_a_unit_added_below_a_station_is_in_the_stations_scope_at_once(users, units):
    from accounts.models import Unit, User
    from accounts.scoping import visible_unit_ids

    station = units["GS-A1-1"]
    before = visible_unit_ids(User.objects.get(pk=users["station_a"].pk))
    team = Unit.objects.create(code="GS-A1-1-T", name="抢修班", kind=station.kind, parent=station)
    after = visible_unit_ids(User.objects.get(pk=users["station_a"].pk))
    assert team.pk not in before and sorted(after) == sorted([*before, team.pk])
    team_id = team.pk
    team.delete()
    assert team_id not in visible_unit_ids(User.objects.get(pk=users["station_a"].pk))
