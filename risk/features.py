"""What the points model counts, gathered for many open tickets at once: a handful of grouped
queries per chunk of tickets, never one per ticket."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from complaints.models import OPEN_STATUSES, Callback, Channel, Kind, Mood, Ticket, countable_q
from core.config import setting
from core.memo import Memo
from outages.selectors import unrestored_events
from sla.models import Clock, ClockState

from .models import SensitiveCustomer

HISTORY_DAYS = 365  # "in the last 12 months"
TICKET_FIELDS = ("id", "number", "status", "unit_id", "owner_unit_id", "kind", "channel", "mood", "is_repeat",
                 "is_escalated", "chase_count", "category_id", "account_no", "customer_phone", "received_at",
                 "service_area_id", "address")
# A customer's history never counts misconduct reports: an ordinary ticket's viewers must not
# learn that its customer filed one (complaints.policy); nor a duplicate (重复工单: the same call
# logged twice), which no figure counts.
HISTORY = ~Q(kind=Kind.REPORT) & countable_q()
COMPLAINT = Q(kind=Kind.COMPLAINT)
REGULATOR = Q(channel=Channel.REGULATOR_12398)


def customer_key(account_no: str, phone: str) -> tuple[str, str] | None:
    """A customer is their account number (户号) when known, else their phone."""
    account_no, phone = (account_no or "").strip(), (phone or "").strip()
    if account_no:
        return ("a", account_no)
    if phone:
        return ("p", phone)
    return None


def history_counts(keys: set[tuple[str, str]] | None, since: datetime, until: datetime | None = None) -> dict:
    """key → {"complaints": n, "regulator": n} over tickets received in [since, until) — two
    grouped queries (by account number; by phone for tickets without one). `keys=None`: every
    customer of the window (the sweep asks once instead of once per chunk)."""
    out: dict[tuple[str, str], dict] = {}
    window = HISTORY & Q(received_at__gte=since) & (Q(received_at__lt=until) if until else Q())
    for kind, field, extra in (("a", "account_no", ~Q(account_no="")), ("p", "customer_phone", Q(account_no=""))):
        qs = Ticket.objects.filter(window, extra)
        if keys is not None:
            values = [v for k, v in keys if k == kind]
            if not values:
                continue
            qs = qs.filter(**{f"{field}__in": values})
        grouped = (qs.values(field).annotate(complaints=Count("id", filter=COMPLAINT),
                                             regulator=Count("id", filter=REGULATOR)).order_by())
        for row in grouped:
            if row["complaints"] or row["regulator"]:
                out[(kind, row[field])] = {"complaints": row["complaints"], "regulator": row["regulator"]}
    return out


def marked_by_hand():
    """Whether the ticket's customer (account number or phone) carries a hand-made mark."""
    return Exists(SensitiveCustomer.objects.filter(
        Q(account_no=OuterRef("account_no"), account_no__gt="") | Q(phone=OuterRef("customer_phone"), phone__gt=""),
        removed_at__isnull=True))


def auto_sensitive(counts: dict | None) -> bool:
    """The automatic rule: ≥ N complaints in 12 months (setting) or any 12398 ticket in 12 months."""
    if not counts:
        return False
    return counts["complaints"] >= int(setting("sensitive_complaints_n")) or counts["regulator"] > 0


def _recent_shares() -> dict[int, float]:
    now = timezone.now()
    return category_shares_between(now - timedelta(days=HISTORY_DAYS), now)


# A slowly moving figure: the sweep (every 10 minutes) marks it changed, so every process reloads
# it once after each sweep; with the shared cache down, at most an hour old.
SHARES = Memo("risk-category-shares", _recent_shares, max_age=3600.0)


def category_shares() -> dict[int, float]:
    """category id → share of its complaints in the last 12 months that went to 12398 or were
    escalated (越级); categories with fewer than `risk_category_min_tickets` complaints count 0."""
    return SHARES.get()


def category_shares_between(since: datetime, until: datetime) -> dict[int, float]:
    minimum = int(setting("risk_category_min_tickets"))
    grouped = (Ticket.objects.countable().filter(COMPLAINT | REGULATOR, received_at__gte=since,
                                                 received_at__lt=until, category__isnull=False)
               .values("category_id").annotate(n=Count("id"), up=Count("id", filter=REGULATOR | Q(is_escalated=True)))
               .order_by())
    return {r["category_id"]: r["up"] / r["n"] for r in grouped if r["n"] >= minimum}


# Changed on every save of an event or of its areas (risk.apps). Upcoming ones are kept too: a
# planned outage becomes active at its start without any write.
OUTAGES = Memo("risk-outages", lambda: list(unrestored_events()))


def active_outages() -> list:
    """Outage events started and not restored — a handful, kept in this process."""
    now = timezone.now()
    return [e for e in OUTAGES.get() if e.start_at <= now]


def in_outage(events: list, service_area_id: int | None, address: str) -> bool:
    return any(e.covers(service_area_id=service_area_id, address=address) for e in events)


# The ticket's own counts: (feature, model, filter).
COUNTS = (("unsatisfied", Callback, Q(result=Callback.Result.UNSATISFIED)),
          ("unreachable", Callback, Q(result=Callback.Result.UNREACHABLE)),
          ("clock_warnings", Clock, Q(state=ClockState.WARNING)),
          ("clock_breaches", Clock, Q(state=ClockState.BREACHED)))


@dataclass
class Context:
    """What the sweep reads once for every open ticket instead of once per chunk: the customers'
    12-month history and each open ticket's callback and clock counts (grouped queries)."""
    history: dict
    counts: dict  # ticket id → {feature: n}
    read_at: datetime  # a row an action rescored after this is fresher than the context

    @classmethod
    def read(cls, now: datetime) -> "Context":
        read_at = timezone.now()
        return cls(history=history_counts(None, now - timedelta(days=HISTORY_DAYS)),
                   counts=own_counts(Q(ticket__status__in=OPEN_STATUSES)), read_at=read_at)

    @classmethod
    def read_for(cls, rows: list[dict], now: datetime) -> "Context":
        """The same for the tickets of one event (rows of `live_rows`): grouped queries restricted
        to them — a few simple statements, far cheaper to build and run than correlated counts."""
        read_at = timezone.now()
        keys = {customer_key(r["account_no"], r["customer_phone"]) for r in rows} - {None}
        history = history_counts(keys, now - timedelta(days=HISTORY_DAYS)) if keys else {}
        counts = own_counts(Q(ticket_id__in=[r["id"] for r in rows])) if rows else {}
        return cls(history=history, counts=counts, read_at=read_at)


def own_counts(tickets: Q) -> dict[int, dict]:
    """ticket id → its callback and clock counts (COUNTS), one grouped query per model."""
    counts: dict[int, dict] = {}
    for model in (Callback, Clock):
        parts = [(name, condition) for name, m, condition in COUNTS if m is model]
        either = Q()
        for _name, condition in parts:
            either |= condition
        grouped = (model.objects.filter(either, tickets).values("ticket_id")
                   .annotate(**{name: Count("pk", filter=condition) for name, condition in parts}).order_by())
        for row in grouped:
            counts.setdefault(row.pop("ticket_id"), {}).update(row)
    return counts


def live_rows(ids: list[int]) -> list[dict]:
    """The open tickets among `ids` with their hand-made sensitive mark and current risk row (LEFT
    JOIN), in one query; their counts and their customer's history come with a `Context`."""
    return list(Ticket.objects.filter(pk__in=ids, status__in=OPEN_STATUSES)
                .annotate(marked=marked_by_hand())
                .values(*TICKET_FIELDS, "marked", "risk__score", "risk__level", "risk__factors",
                        "risk__red_since", "risk__updated_at"))


def locked_chunk(*, after: int, limit: int) -> list[dict]:
    """The sweep's next `limit` open tickets after id `after`, read as `live_rows` without the
    counts (the Context has them) and locked — FOR UPDATE OF the ticket SKIP LOCKED — in the
    same query."""
    qs = Ticket.objects.filter(status__in=OPEN_STATUSES, pk__gt=after).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs.annotate(marked=marked_by_hand())
                .values(*TICKET_FIELDS, "marked", "risk__score", "risk__level", "risk__factors", "risk__red_since",
                        "risk__updated_at")[:limit])


def live_features(rows: list[dict], now: datetime, context: Context) -> dict[int, dict]:
    """ticket id → features, as of now, for rows of `live_rows` with their context."""
    since = now - timedelta(days=HISTORY_DAYS)
    shares = category_shares()
    outages = active_outages()
    out = {}
    for r in rows:
        key = customer_key(r["account_no"], r["customer_phone"])
        counts = context.history.get(key) if key else None
        own_in_window = r["received_at"] >= since and r["kind"] != Kind.REPORT
        r = {**r, "unsatisfied": 0, "unreachable": 0, "clock_warnings": 0, "clock_breaches": 0,
             **context.counts.get(r["id"], {})}
        out[r["id"]] = {
            "mood_agitated": r["mood"] == Mood.AGITATED,
            "mood_demands": r["mood"] == Mood.DEMANDS_COMPLAINT,
            "repeat": r["is_repeat"],
            "escalated": r["is_escalated"],
            "chases": r["chase_count"],
            "unsatisfied": r["unsatisfied"],
            "unreachable": r["unreachable"],
            "clock_warnings": r["clock_warnings"],
            "clock_breaches": r["clock_breaches"],
            "prior_12398": max(0, (counts or {}).get("regulator", 0)
                               - (own_in_window and r["channel"] == Channel.REGULATOR_12398)),
            "prior_complaints": max(0, (counts or {}).get("complaints", 0)
                                    - (own_in_window and r["kind"] == Kind.COMPLAINT)),
            "sensitive": r["marked"] or auto_sensitive(counts),
            "category_share": shares.get(r["category_id"], 0.0),
            "outage": in_outage(outages, r["service_area_id"], r["address"]),
        }
    return out
