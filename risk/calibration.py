"""Calibration on the organisation's own history: archived (non-12398) complaints of a period,
each scored as of its first days (intake flags, the customer's 12 months before it, chases in the
first `days` days, the category's share in the year before the period), against whether the
customer later went to 12398 or complained again on the same matter (a repeat) within `horizon`
days. ROC AUC, precision/recall at the top 5% / 10%, per-factor lift. Weights are only reported,
never changed here. Clocks and callbacks count as of the first days too: a clock breached (or warned
and not yet breached) before the cut-off, an unsatisfied / unreachable callback before it."""
from bisect import bisect_left
from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count, F, Q

from complaints.models import Callback, Channel, Kind, Mood, Status, Ticket, TicketEvent
from sla.models import Clock

from .features import HISTORY_DAYS, category_shares_between, customer_key
from .scoring import FACTORS, Model


def roc_auc(scores: list[float], labels: list[bool]) -> float | None:
    """Probability that a random positive outranks a random negative (ties count half) — the
    Mann–Whitney statistic over ranks, O(n log n)."""
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    if not n_pos or not n_neg:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum, i = 0.0, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mid = (i + j) / 2 + 1  # average rank of the tie group (1-based)
        rank_sum += mid * sum(1 for k in range(i, j + 1) if labels[order[k]])
        i = j + 1
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def at_top(scores: list[float], labels: list[bool], share: float) -> dict:
    """Precision and recall of the top `share` of tickets by score."""
    k = max(1, round(len(scores) * share))
    top = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
    hits = sum(1 for i in top if labels[i])
    positives = sum(labels)
    return {"share": share, "k": k, "precision": hits / k, "recall": hits / positives if positives else None}


def lift(flags: list[bool], labels: list[bool]) -> dict:
    """How much likelier the outcome is with the factor present than on average."""
    n, base = len(labels), sum(labels) / len(labels) if labels else 0
    with_factor = [label for flag, label in zip(flags, labels, strict=True) if flag]
    rate = sum(with_factor) / len(with_factor) if with_factor else None
    return {"tickets": len(with_factor), "share": len(with_factor) / n if n else 0, "rate": rate,
            "lift": rate / base if rate is not None and base else None}


def _events_by_customer(since: datetime, until: datetime) -> dict:
    rows = (Ticket.objects.filter(~Q(kind=Kind.REPORT), received_at__gte=since, received_at__lt=until)
            .values_list("account_no", "customer_phone", "received_at", "kind", "channel", "is_repeat").order_by())
    out = defaultdict(list)
    for account_no, phone, at, kind, channel, is_repeat in rows:
        key = customer_key(account_no, phone)
        if key:
            out[key].append((at, kind == Kind.COMPLAINT, channel == Channel.REGULATOR_12398, is_repeat))
    for items in out.values():
        items.sort(key=lambda x: x[0])
    return out


def _first_days_counts(since: datetime, until: datetime, days: int) -> dict[str, dict[int, int]]:
    """Per candidate ticket: its clocks breached / warned and its callbacks unsatisfied / unreachable
    before `days` days after receipt (one aggregate query each)."""
    cutoff = F("ticket__received_at") + timedelta(days=days)
    period = Q(ticket__kind=Kind.COMPLAINT, ticket__received_at__gte=since, ticket__received_at__lt=until)
    queries = {
        "clock_breaches": (Clock, Q(breached_at__lt=cutoff)),
        "clock_warnings": (Clock, Q(warned_at__lt=cutoff) & (Q(breached_at__isnull=True) | Q(breached_at__gte=cutoff))
                           & (Q(completed_at__isnull=True) | Q(completed_at__gte=cutoff))),
        "unsatisfied": (Callback, Q(result=Callback.Result.UNSATISFIED, at__lt=cutoff)),
        "unreachable": (Callback, Q(result=Callback.Result.UNREACHABLE, at__lt=cutoff)),
    }
    return {code: dict(model.objects.filter(period, condition).values("ticket_id").annotate(n=Count("id"))
                       .values_list("ticket_id", "n").order_by())
            for code, (model, condition) in queries.items()}


def calibrate(since: datetime, until: datetime, *, days: int = 3, horizon: int = 90, weights=None) -> dict:
    model = Model(weights)
    tickets = list(Ticket.objects.filter(kind=Kind.COMPLAINT, status=Status.ARCHIVED, received_at__gte=since,
                                         received_at__lt=until).exclude(channel=Channel.REGULATOR_12398)
                   .values_list("id", "mood", "is_repeat", "category_id", "account_no", "customer_phone",
                                "received_at").order_by())
    history = _events_by_customer(since - timedelta(days=HISTORY_DAYS), until + timedelta(days=horizon))
    chases = dict(TicketEvent.objects.filter(action="chase", ticket__kind=Kind.COMPLAINT,
                                             ticket__received_at__gte=since, ticket__received_at__lt=until,
                                             at__lt=until + timedelta(days=days))
                  .values("ticket_id").annotate(n=Count("id")).values_list("ticket_id", "n").order_by())
    first_days = _first_days_counts(since, until, days)
    shares = category_shares_between(since - timedelta(days=HISTORY_DAYS), since)
    scores, labels, factor_flags = [], [], {f.code: [] for f in FACTORS}
    for tid, mood, is_repeat, category_id, account_no, phone, at in tickets:
        items = history.get(customer_key(account_no, phone), [])
        times = [x[0] for x in items]
        lo, me = bisect_left(times, at - timedelta(days=HISTORY_DAYS)), bisect_left(times, at)
        before = items[lo:me]
        after = items[me + 1:bisect_left(times, at + timedelta(days=horizon))]
        features = {"mood_agitated": mood == Mood.AGITATED, "mood_demands": mood == Mood.DEMANDS_COMPLAINT,
                    "repeat": is_repeat, "escalated": False, "chases": chases.get(tid, 0),
                    "prior_12398": sum(1 for x in before if x[2]), "prior_complaints": sum(1 for x in before if x[1]),
                    "category_share": shares.get(category_id, 0.0),
                    **{code: counts.get(tid, 0) for code, counts in first_days.items()}}
        features["sensitive"] = features["prior_complaints"] + 1 >= model.sensitive_n or features["prior_12398"] > 0
        score, _level, _factors = model.score(features)
        scores.append(score)
        labels.append(any(x[2] or x[3] for x in after))
        for f in FACTORS:
            factor_flags[f.code].append(bool(features.get(f.code)))
    return {"tickets": len(tickets), "positives": sum(labels), "auc": roc_auc(scores, labels),
            "top": [at_top(scores, labels, s) for s in (0.05, 0.10)] if tickets else [],
            "factors": {code: lift(flags, labels) for code, flags in factor_flags.items()} if tickets else {}}
