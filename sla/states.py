"""A clock's state as the screen shows it, and the one set of words for the states.

Between two sweeps a clock's recorded state can lag: a due or warning instant that has passed counts
at once (the SQL form of the same rule is `complaints.filters.clock_state_q`)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

RUNNING, WARNING, BREACHED, NONE = "running", "warning", "breached", "none"

STATE_LABELS = {RUNNING: _("正常"), WARNING: _("预警"), BREACHED: _("超时"), NONE: _("无计时"),
                "met": _("按时完成"), "cancelled": _("已取消")}


class SlaState(models.TextChoices):
    """The worst state among the ticket's unfinished clocks (denormalised for queues)."""

    NONE = "none", STATE_LABELS["none"]
    RUNNING = "running", STATE_LABELS["running"]
    WARNING = "warning", STATE_LABELS["warning"]
    BREACHED = "breached", STATE_LABELS["breached"]


def state_as_of(recorded: str, *, due_at, warn_at, now) -> str:
    """`recorded` (running / warning / breached) moved on by the instants that have passed by `now`."""
    if recorded == BREACHED or (due_at is not None and due_at <= now):
        return BREACHED
    if recorded == WARNING or (warn_at is not None and warn_at <= now):
        return WARNING
    return RUNNING


def labelled(*states: str) -> list[tuple[str, str]]:
    """Choices for `states`, in that order."""
    return [(s, STATE_LABELS[s]) for s in states]
