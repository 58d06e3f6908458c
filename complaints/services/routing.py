"""Grid routing 网格化 (一人一村): which service area — and so which station and grid contact — a
ticket belongs to. The account number's registered area wins; otherwise the address keywords
(longest keyword first). Optionally the ticket is then dispatched there at once, by the system."""
from dataclasses import dataclass

from django.utils.translation import gettext

from accounts.models import Unit
from accounts.system import system_user
from complaints.models import AccountRegistration, Kind, ServiceArea, ServiceType, Ticket
from core.config import setting
from core.memo import Memo

from .workflow import ticket_dispatch


@dataclass(frozen=True)
class Route:
    area: ServiceArea | None
    matched_by: str  # "account", "address" or "" (no match)

    @property
    def unit(self) -> Unit | None:
        return self.area.unit if self.area else None


def _load_keywords() -> list[tuple[str, ServiceArea]]:
    """(keyword, area) pairs, longest keyword first."""
    pairs = [(word, area) for area in ServiceArea.objects.exclude(keywords="").select_related("unit")
             for word in area.keywords.split()]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


# Intake is the hot path: kept per process; changed() on every ServiceArea / Unit save and delete.
AREA_KEYWORDS = Memo("area-keywords", _load_keywords)


def registered_areas(account_nos) -> dict[str, ServiceArea]:
    """account number → its registered service area, for many numbers in one query."""
    numbers = {a.strip() for a in account_nos if a and a.strip()}
    if not numbers:
        return {}
    return {r.account_no: r.service_area for r in AccountRegistration.objects.filter(account_no__in=numbers)
            .select_related("service_area__unit")}


def route_ticket(*, account_no: str = "", address: str = "", registered: dict | None = None) -> Route:
    """The service area of a caller: by the account number's registration first, then the address.
    `registered` is registered_areas() of a batch, read once; without it this looks the number up."""
    account_no = (account_no or "").strip()
    if account_no:
        area = (registered if registered is not None else registered_areas([account_no])).get(account_no)
        if area is not None:
            return Route(area, "account")
    if address:
        area = next((area for word, area in AREA_KEYWORDS.get() if word in address), None)
        if area is not None:
            return Route(area, "address")
    return Route(None, "")


def auto_dispatch_applies(ticket: Ticket) -> bool:
    """Whether the administrators' automatic dispatch covers this ticket: the setting lists kinds
    (ticket kinds, and service types such as reconnection)."""
    if not setting("auto_dispatch_enabled") or ticket.service_area_id is None:
        return False
    kinds = {k.strip() for k in str(setting("auto_dispatch_kinds")).replace("，", ",").split(",") if k.strip()}
    return ticket.kind in kinds or (ticket.kind == Kind.SERVICE_REQUEST and ticket.service_type in kinds
                                    and ticket.service_type != ServiceType.NONE)


def ticket_auto_dispatch(ticket: Ticket) -> Ticket:
    """Dispatch a just-registered ticket to its service area's station (the grid contact becomes the
    handler), through the dispatch service, as the system user. Unchanged when it does not apply."""
    if not auto_dispatch_applies(ticket):
        return ticket


    return ticket_dispatch(ticket=ticket, actor=system_user(), unit=ticket.service_area.unit,
                           note=gettext("按网格服务区域自动派发"))
