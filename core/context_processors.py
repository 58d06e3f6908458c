"""Navigation by role, and the bell's unread counts (needs my action / for information)."""
import functools

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Role
from notifications.selectors import bell_counts
from reports.access import BULLETIN_ROLES, DASHBOARD_ROLES
from sla.calendar import can_import_holidays, missing_next_year

# (label, url name, roles that see it; empty = everyone signed in). The first entry a user's roles match
# is the page their day starts on (core.views.home).
NAV = [
    (gettext_lazy("待派发"), "complaints:dispatch_queue", (Role.LEAD, Role.SUPERVISOR, Role.DISCIPLINE)),
    (gettext_lazy("受理登记"), "complaints:intake", (Role.AGENT, Role.LEAD)),  # the lead takes calls too
    (gettext_lazy("我的工单"), "complaints:my_work", (Role.HANDLER, Role.UNIT_MANAGER, Role.DISCIPLINE)),
    (gettext_lazy("调查任务"), "complaints:investigations", (Role.HANDLER, Role.UNIT_MANAGER)),
    (gettext_lazy("督办审核"), "complaints:supervision", (Role.SUPERVISOR,)),
    (gettext_lazy("风险工单"), "risk:list", (Role.SUPERVISOR, Role.UNIT_MANAGER)),
    (gettext_lazy("敏感客户"), "risk:sensitive", (Role.SUPERVISOR,)),
    (gettext_lazy("12398台账"), "risk:ledger", (Role.SUPERVISOR,)),
    (gettext_lazy("约谈名单"), "risk:interviews", (Role.SUPERVISOR,)),
    (gettext_lazy("工单查询"), "complaints:list", ()),
    (gettext_lazy("统计看板"), "reports:dashboard", DASHBOARD_ROLES),
    (gettext_lazy("投诉通报"), "reports:bulletin", BULLETIN_ROLES),
    (gettext_lazy("停电信息"), "outages:board",
     (Role.AGENT, Role.LEAD, Role.HANDLER, Role.UNIT_MANAGER, Role.SUPERVISOR)),
    (gettext_lazy("知识库"), "knowledge:search", ()),
    (gettext_lazy("工作日计算"), "sla:calculator", ()),
    (gettext_lazy("访问记录"), "complaints:access_log", (Role.SUPERVISOR, Role.DISCIPLINE)),
]


@functools.cache
def nav_entries() -> list[tuple]:
    """NAV with its URLs resolved (once per process)."""
    return [(label, reverse(name), roles) for label, name, roles in NAV]


def navigation(request):
    user = getattr(request, "user", None)
    # htmx fragments (the caller's earlier tickets while typing, export progress) show no navigation.
    if user is None or not user.is_authenticated or request.headers.get("HX-Request"):
        return {}
    items = [{"label": label, "url": url, "active": request.path.startswith(url) and url != "/"}
             for label, url, roles in nav_entries() if not roles or user.has_role(*roles)]
    if user.is_staff:
        items.append({"label": gettext_lazy("系统管理"), "url": reverse("admin:index"), "active": False})
    return {"nav": items, **bell_context(user),
            "calendar_missing_year": _calendar_missing_year(user)}


def bell_context(user) -> dict:
    """The bell (base.html and its own polled fragment): needs-my-action and for-information counts,
    one indexed query."""
    return {"notifications_url": reverse("notifications:list"), "bell_url": reverse("notifications:bell"),
            "bell": bell_counts(user)}


def _calendar_missing_year(user) -> int | None:
    """For those who may import holidays: next year, from November while its holidays are unknown."""
    if not can_import_holidays(user):
        return None
    return missing_next_year(timezone.localdate())
