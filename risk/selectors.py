"""Reads of the risk app; lists are scoped with complaints.permissions.ticket_scope (so a 举报 is
left out for everyone who may not see reports)."""
from datetime import timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from complaints.models import OPEN_STATUSES, Ticket
from complaints.permissions import ticket_scope
from complaints.policy import mask_phone
from core.choices import labels
from core.config import setting

from .features import COMPLAINT, HISTORY, HISTORY_DAYS, REGULATOR, customer_key, history_counts
from .models import Level, SensitiveCustomer, TicketRisk
from .scoring import explain


def risk_view(ticket: Ticket) -> dict | None:
    """The API / page shape of a ticket's risk: {"score", "level", "level_label", "factors"};
    None for a ticket without one (closed). Reads `ticket.risk` (select_related by the detail
    selectors: no query)."""
    try:
        risk = ticket.risk
    except TicketRisk.DoesNotExist:
        return None
    return {"score": risk.score, "level": risk.level, "level_label": labels(Level).get(risk.level, risk.level),
            "factors": explain(risk.factors)}


def risk_list(user, *, levels: list[str] | None = None, unit_ids: list[int] | None = None):
    """Open tickets the user may see with a risk level, highest score first."""
    qs = (ticket_scope(user).filter(status__in=OPEN_STATUSES)
          .filter(risk__level__in=levels or [Level.YELLOW, Level.ORANGE, Level.RED])
          .select_related("risk", "unit", "category", "risk__followed_up_by")
          .order_by("-risk__score", "-received_at", "-id"))
    if unit_ids:
        qs = qs.filter(owner_unit_id__in=unit_ids)
    return qs


def sensitive_status(*, phone: str = "", account_no: str = "", now=None) -> dict | None:
    """Whether a caller is a sensitive customer (敏感客户) and why: hand-made marks (account number or
    phone), ≥ `sensitive_complaints_n` complaints or any 12398 ticket in 12 months. None if not."""
    key = customer_key(account_no, phone)
    if key is None:
        return None
    now = now or timezone.now()
    match = Q()
    if (account_no or "").strip():
        match |= Q(account_no=account_no.strip())
    if (phone or "").strip():
        match |= Q(phone=phone.strip())
    marks = list(SensitiveCustomer.objects.filter(match, removed_at__isnull=True).order_by("-marked_at"))
    counts = history_counts({key}, now - timedelta(days=HISTORY_DAYS)).get(key, {"complaints": 0, "regulator": 0})
    reasons = [m.reason for m in marks] + _auto_reasons(counts)
    return {"reasons": reasons, "marks": marks, **counts} if reasons else None


def _auto_reasons(counts: dict) -> list[str]:
    reasons = []
    if counts["complaints"] >= int(setting("sensitive_complaints_n")):
        reasons.append(gettext("12个月内投诉 %(n)s 件") % {"n": counts["complaints"]})
    if counts["regulator"]:
        reasons.append(gettext("12个月内12398工单 %(n)s 件") % {"n": counts["regulator"]})
    return reasons


SENSITIVE_LIMIT = 200


def sensitive_customers(user, *, now=None) -> list[dict]:
    """The sensitive customers of the user's scope, most 12398 tickets first: the automatic rule
    over their tickets in 12 months (grouped in SQL, ticket_scope — never a report the user may not
    see) plus every hand-made mark; each with its tickets of the 12 months (one more query)."""
    now = now or timezone.now()
    since = now - timedelta(days=HISTORY_DAYS)
    base = ticket_scope(user).filter(HISTORY, received_at__gte=since)
    n = int(setting("sensitive_complaints_n"))
    found: dict[tuple[str, str], dict] = {}
    for kind, field, extra in (("a", "account_no", ~Q(account_no="")), ("p", "customer_phone", Q(account_no=""))):
        grouped = (base.filter(extra).values(field)
                   .annotate(complaints=Count("id", filter=COMPLAINT), regulator=Count("id", filter=REGULATOR),
                             last=Max("received_at"))
                   .filter(Q(complaints__gte=n) | Q(regulator__gt=0))
                   .order_by("-regulator", "-complaints", "-last")[:SENSITIVE_LIMIT])
        for row in grouped:
            found[(kind, row[field])] = {"complaints": row["complaints"], "regulator": row["regulator"], "marks": []}
    for mark in SensitiveCustomer.objects.filter(removed_at__isnull=True).select_related("marked_by")[:SENSITIVE_LIMIT]:
        key = ("a", mark.account_no) if mark.account_no else ("p", mark.phone)
        found.setdefault(key, {"complaints": 0, "regulator": 0, "marks": []})["marks"].append(mark)
    accounts = [v for k, v in found if k == "a"]
    phones = [v for k, v in found if k == "p"]
    tickets = (base.filter(Q(account_no__in=accounts) | Q(account_no="", customer_phone__in=phones))
               .order_by("-received_at").values("number", "received_at", "kind", "channel", "status", "account_no",
                                                "customer_phone", "customer_name")) if found else []
    for t in tickets:
        key = ("a", t["account_no"]) if t["account_no"] else ("p", t["customer_phone"])
        row = found.get(key)
        if row is not None:
            row.setdefault("tickets", []).append(t)
            row.setdefault("name", t["customer_name"])
            row.setdefault("phone", mask_phone(t["customer_phone"]))
    out = []
    for (kind, value), row in found.items():
        row.setdefault("tickets", [])
        row["account_no"] = value if kind == "a" else ""
        row.setdefault("phone", mask_phone(value) if kind == "p" else "")
        row.setdefault("name", "")
        row["reasons"] = [m.reason for m in row["marks"]] + _auto_reasons(row)
        out.append(row)
    return sorted(out, key=lambda r: (-r["regulator"], -r["complaints"], -len(r["marks"])))
