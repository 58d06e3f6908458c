"""Business settings an administrator may change (admin → 业务参数), with DOMAIN.md defaults.

Read through `setting(key)`; values are cached briefly so hot paths do not query each time."""
import time

from django.db.utils import DatabaseError

DEFAULTS: dict[str, tuple[object, str]] = {
    "repeat_window_days": (30, "同一客户同一分类在多少天内再次投诉视为重复投诉"),
    "callback_unreachable_tries": (3, "回访未联系上达到几次后可归档"),
    "archive_after_unreachable": (True, "回访多次未联系上是否允许归档"),
    "return_window_working_days": (1, "承办单位在派发后几个工作日内可退单"),
    "auto_supervision_on_breach": (True, "超时后自动生成督办单"),
    "supervision_due_hours": (24, "自动督办单的办理期限(小时)"),
    "reconnection_night_after": ("22:00", "此时间后缴费的欠费复电顺延至次日"),
    "reconnection_next_morning": ("10:00", "顺延复电的完成时间"),
}

_cache: dict[str, tuple[float, object]] = {}
_TTL = 30.0


def setting(key: str):
    now = time.monotonic()
    hit = _cache.get(key)
    if hit and now - hit[0] < _TTL:
        return hit[1]
    from core.models import Setting

    try:
        row = Setting.objects.filter(key=key).values_list("value", flat=True).first()
    except DatabaseError:
        row = None
    value = DEFAULTS[key][0] if row is None else row
    _cache[key] = (now, value)
    return value


def clear_cache():
    _cache.clear()
