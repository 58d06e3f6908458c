"""The monthly complaint bulletin (投诉事件通报): the month's substantiated complaints of a unit subtree,
grouped by responsible unit, each with its course, cause, responsibility, accountability and measures.

The cases are read once as plain values (two queries) and their texts composed here, so the page, the
workbook and the API show the same words and none of them builds thousands of model instances or
formats inside a template loop: a province month holds several thousand cases.
"""
from collections import defaultdict
from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from complaints.models import Accountability, Channel, Kind, Status, Ticket
from core.choices import labels

from .figures import Period, Scope

CASE_FIELDS = ("id", "number", "channel", "status", "description", "cause", "measures", "at_fault",
               "redispatch_count", "received_at", "dispatched_at", "replied_at", "closed_at",
               "unit__code", "unit__name", "category__name", "category__parent__name")
TIMES = ("received_at", "dispatched_at", "replied_at", "closed_at")
ACCOUNTABILITY_FIELDS = ("ticket_id", "unit__code", "unit__name", "person", "decision", "note")


def bulletin_tickets(scope: Scope, period: Period):
    """Substantiated complaints received in the month, in unit order."""
    return (Ticket.objects.filter(scope.q(), period.q(), kind=Kind.COMPLAINT, substantiated=True)
            .order_by("unit__path", "received_at", "id"))


def bulletin_groups(scope: Scope, period: Period) -> list[dict]:
    """[{code, name, at_fault, cases: [case, …]}, …] in unit order; "未派发" holds undispatched cases."""
    accountabilities = _accountabilities(scope, period)
    texts = _Texts()
    cases = [texts.case(row, accountabilities.get(row["id"], []))
             for row in bulletin_tickets(scope, period).values(*CASE_FIELDS)]
    groups = []
    for (code, name), rows in groupby(cases, key=lambda c: (c["unit_code"], c["unit_name"])):
        rows = list(rows)
        groups.append({"code": code or "", "name": name or gettext("未派发"), "cases": rows,
                       "at_fault": sum(1 for c in rows if c["at_fault"])})
    return groups


def _accountabilities(scope: Scope, period: Period) -> dict[int, list[dict]]:
    rows = (Accountability.objects.filter(ticket__in=bulletin_tickets(scope, period).values("id"))
            .order_by("decided_at", "id").values(*ACCOUNTABILITY_FIELDS))
    decisions = labels(Accountability.Decision)
    line = gettext("责任单位：%(unit)s；责任人：%(person)s；考核意见：%(decision)s")
    by_ticket = defaultdict(list)
    for row in rows:
        row["decision_label"] = decision = decisions.get(row["decision"], row["decision"])
        row["text"] = line % {"unit": row["unit__name"], "person": row["person"] or "—",
                              "decision": f"{decision}({row['note']})" if row["note"] else decision}
        by_ticket[row.pop("ticket_id")].append(row)
    return by_ticket


class _Texts:
    """The translated words, looked up once per bulletin rather than once per case."""

    def __init__(self):
        self.channels, self.statuses = labels(Channel), labels(Status)
        self.fault = {None: gettext("尚未认定"), True: gettext("有责"), False: gettext("无责")}
        # the page's former msgids, so their translations carry over
        self.steps = {"received_at": gettext("%(at)s 受理"), "dispatched_at": gettext("%(at)s 派发"),
                      "replied_at": gettext("%(at)s 答复")}
        self.current = gettext("当前%(status)s")
        self.tz = timezone.get_current_timezone()

    def case(self, row: dict, accountabilities: list[dict]) -> dict:
        """The row's values, plus the labels and texts every output shows."""
        unit_code, unit_name = row.pop("unit__code"), row.pop("unit__name")
        category, parent = row.pop("category__name"), row.pop("category__parent__name")
        status = self.statuses.get(row["status"], row["status"])
        for field in TIMES:  # the local minute as shown, formatted once for the page and the workbook
            row[f"{field}_text"] = row[field].astimezone(self.tz).strftime("%Y-%m-%d %H:%M") if row[field] else ""
        return {
            **row, "unit_code": unit_code, "unit_name": unit_name,
            "category": f"{parent} / {category}" if category and parent else (category or ""),
            "channel_label": self.channels.get(row["channel"], row["channel"]), "status_label": status,
            "course": self.course(row, status), "at_fault_label": self.fault[row["at_fault"]],
            "accountabilities": accountabilities,
        }

    def course(self, row: dict, status: str) -> str:
        """处理经过: received, dispatched, replied, closed (or the current status), redispatches."""
        steps = [text % {"at": row[f"{field}_text"]} for field, text in self.steps.items() if row[field]]
        if row["closed_at"]:
            steps.append(f"{row['closed_at_text']} {status}")
        else:
            steps.append(self.current % {"status": status})
        if n := row["redispatch_count"]:
            steps.append(ngettext("回访不满意重新派发 %(n)s 次", "回访不满意重新派发 %(n)s 次", n) % {"n": n})
        return "；".join(steps)
