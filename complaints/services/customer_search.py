"""Finding tickets by who the customer is (phone or account number) — a search that is no oracle.

Only roles that must find a caller hold `complaints.search_customer` (agents, the intake lead, the
supervision office); for anyone else a number search finds nothing. Agents may also search by the last
four digits or a part of a number (they need it on the phone); the others need the whole number.
Every search is counted against a per-user limit (business setting `customer_search_per_minute`) and
every search by a holder is recorded in SensitiveAccess, like a reveal (the query as a digest only).
"""
import hashlib
import re

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role
from complaints.models import SensitiveAccess
from complaints.policy import holds
from core.config import setting
from core.errors import ApplicationError

NUMBER = re.compile(r"[\d+\-]{4,32}")
FULL_PHONE_DIGITS = 11  # a mobile number; shorter is a part of one


class SearchThrottled(ApplicationError):
    code = "throttled"
    status = 429


def looks_like_customer_number(value: str) -> bool:
    return bool(NUMBER.fullmatch(value.strip()))


def query_digest(value: str) -> str:
    return hashlib.sha256(value.strip().encode()).hexdigest()[:32]


def _throttle(user) -> None:
    limit = int(setting("customer_search_per_minute"))
    key = f"customer-search:{user.pk}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, 120)
    try:
        used = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, 120)
        used = 1
    if used > limit:
        raise SearchThrottled(gettext("按电话或户号查询过于频繁（每分钟最多 %(limit)s 次），请稍后再试")
                              % {"limit": limit})


def customer_search_allowed(*, user, value: str, field: str) -> bool:
    """Count the search against the user's limit (raises SearchThrottled past it) and, for a role that
    may search by customer number, record it; False for everyone else (they find nothing)."""
    _throttle(user)
    if not holds(user, "complaints.search_customer"):
        return False
    SensitiveAccess.objects.create(user=user, ticket=None, field=field, action=SensitiveAccess.Action.SEARCH,
                                   query_digest=query_digest(value))
    return True


def customer_search_q(*, user, value: str, field: str = "q") -> Q:
    """A Q matching tickets whose customer phone or account number is `value` as this user may search
    it, or one matching nothing. Raises SearchThrottled."""
    value = value.strip()
    if not customer_search_allowed(user=user, value=value, field=field):
        return Q(pk__in=[])
    digits = re.sub(r"\D", "", value)
    if user.has_role(Role.AGENT) and len(digits) < FULL_PHONE_DIGITS:
        # The last four digits (a stored, indexed column) or a part of the number: agents only.
        if value.isdigit() and len(value) == 4:
            return Q(phone_last4=value)
        return Q(customer_phone__contains=value) | Q(account_no__contains=value)
    return Q(customer_phone=value) | Q(account_no=value)
