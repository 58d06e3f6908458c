"""Choosing the policy row that sets a clock's limit for a ticket."""
from core.memo import Memo
from sla.models import ClockPolicy

_CRITERIA = ("kind", "channel", "severity", "service_type", "region_type")

# changed() on every ClockPolicy save/delete (sla.apps)
POLICIES = Memo("clock-policies", lambda: list(ClockPolicy.objects.filter(active=True)))


def match_policy(clock: str, ticket, region_type: str = "") -> ClockPolicy | None:
    """Blank criteria match anything; the highest priority wins, then the most specific."""
    facts = {"kind": ticket.kind, "channel": ticket.channel, "severity": ticket.severity,
             "service_type": ticket.service_type, "region_type": region_type}
    best, best_key = None, None
    for policy in POLICIES.get():
        if policy.clock != clock:
            continue
        values = [getattr(policy, name) for name in _CRITERIA]
        if any(v and v != facts[name] for name, v in zip(_CRITERIA, values, strict=True)):
            continue
        key = (policy.priority, sum(1 for v in values if v))
        if best_key is None or key > best_key:
            best, best_key = policy, key
    return best
