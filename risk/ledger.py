"""The 12398 ledger (台账): every 12398 transfer of a month in the user's scope with its regulator
reference, dates, responsible unit, status, on-site investigation, reply to the regulator and 销号;
its Excel export in the regulator's layout; the figure 12398 complaints per million customers by
unit (the chosen unit's children, each with its subtree)."""
from io import BytesIO

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone, translation
from openpyxl import Workbook

from complaints.models import Channel, OnsiteInvestigation, Status, Ticket
from complaints.permissions import ticket_scope
from core.choices import labels
from reports.exports import cell_value
from reports.figures import Period, Scope

from .models import RegulatorCase


def ledger_rows(user, period: Period, scope: Scope) -> list[Ticket]:
    """The month's 12398 transfers (received in the month) the user may see, oldest first; each
    with `case` (its RegulatorCase or None) and `onsite_done`."""
    qs = (ticket_scope(user).filter(period.q(), scope.q(), channel=Channel.REGULATOR_12398)
          .select_related("unit", "regulator_case", "regulator_case__replied_by", "regulator_case__closed_by")
          .annotate(onsite_done=Exists(OnsiteInvestigation.objects.filter(ticket=OuterRef("pk"))))
          .order_by("received_at", "id"))
    rows = list(qs)
    for t in rows:
        try:
            t.case = t.regulator_case
        except RegulatorCase.DoesNotExist:
            t.case = None
        t.ledger_state = t.case.state if t.case else RegulatorCase.State.OPEN
    return rows


def per_million(period: Period, scope: Scope) -> list[dict]:
    """12398 transfers received in the month per million customers, for each child unit of the
    scope (with its subtree) and the scope itself: counted by unit (reports included, never
    listed), like the other figures — one grouped query."""
    counts = dict(Ticket.objects.filter(period.q(), scope.q(), channel=Channel.REGULATOR_12398)
                  .values("owner_unit_id").annotate(n=Count("id")).values_list("owner_unit_id", "n").order_by())
    paths = {u["id"]: u["path"] for u in scope.units}

    def row(unit: dict, *, own_name: str | None = None) -> dict:
        n = sum(c for uid, c in counts.items() if paths.get(uid, "").startswith(unit["path"]))
        customers = scope.subtree_customers(unit["path"])
        return {"code": unit["code"], "name": own_name or unit["name"], "count": n, "customers": customers,
                "per_million": round(n / customers * 1_000_000, 2) if customers else None}

    own = next(u for u in scope.units if u["id"] == scope.unit.pk)
    return [row(child) for child in scope.children()] + [row(own, own_name=f"{own['name']}(合计)")]


HEADERS = ["序号", "转办编号", "收到转办日期", "监管要求办结时间", "工单编号", "承办单位", "客户诉求", "工单状态",
           "现场调查", "答复监管情况", "答复时间", "台账状态", "销号(监管确认)情况", "销号时间"]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def ledger_xlsx(rows: list[Ticket], period: Period, unit_name: str) -> bytes:
    """The regulator's layout: a title row, then one row per transfer (every user text through
    reports.exports.cell_value, so nothing is read as a formula)."""
    with translation.override(settings.LANGUAGE_CODE):
        states, statuses = labels(RegulatorCase.State), labels(Status)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=f"12398台账{period.key}")
        ws.append([cell_value(f"{unit_name} 12398能源监管热线转办投诉台账（{period.label}）")])
        ws.append(HEADERS)
        for i, t in enumerate(rows, 1):
            case = t.case
            ws.append([i, cell_value(t.regulator_ref), _local(t.received_at), _local(t.regulator_due_at), t.number,
                       cell_value(t.unit.name if t.unit else "未派发"), cell_value(t.description),
                       statuses.get(t.status, t.status),
                       "已调查" if t.onsite_done else ("需调查" if t.onsite_required else "否"),
                       cell_value(case.reply_to_regulator if case else ""), _local(case.replied_at if case else None),
                       states.get(t.ledger_state, t.ledger_state), cell_value(case.confirmation if case else ""),
                       _local(case.closed_at if case else None)])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
