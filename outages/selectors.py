"""Reads of outage events. `active_events_for` is the public question other apps ask (intake, the
risk score): which events cover this caller's area or address at a time."""
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.scoping import visible_unit_ids
from complaints.models import ServiceArea
from core.config import setting

from .models import OutageEvent


def _events() -> QuerySet:
    return OutageEvent.objects.select_related("unit").prefetch_related(
        Prefetch("service_areas", queryset=ServiceArea.objects.only("id", "code", "name")))


def _area_id(service_area) -> int | None:
    if service_area is None or service_area == "":
        return None
    return service_area.pk if isinstance(service_area, ServiceArea) else int(service_area)


def active_events_for(*, service_area=None, address: str = "", at: datetime | None = None,
                      include_upcoming: bool = False) -> list[OutageEvent]:
    """Events covering the caller — their service area (a ServiceArea or its id) is one of the
    event's areas, or one of the event's keywords (台区/线路/village) occurs in the address — that
    are active at `at` (started, not yet restored then), plus, with `include_upcoming`, those
    starting within `outage_upcoming_days` after it. Active first, then by start. Each carries
    `is_active`. Unrestored events are few, so the keyword match runs on the fetched rows."""
    at = at or timezone.now()
    area_id = _area_id(service_area)
    address = (address or "").strip()
    if area_id is None and not address:
        return []
    horizon = at + timedelta(days=setting("outage_upcoming_days")) if include_upcoming else at
    candidates = _events().filter(Q(restored_at__isnull=True) | Q(restored_at__gt=at), start_at__lte=horizon)
    found = [e for e in candidates if e.covers(service_area_id=area_id, address=address)]
    for event in found:
        event.is_active = event.start_at <= at
    return sorted(found, key=lambda e: (not e.is_active, e.start_at, e.pk))


def active_q(at: datetime) -> Q:
    """Started and not restored at `at`."""
    return Q(restored_at__isnull=True, start_at__lte=at)


def unrestored_events() -> QuerySet:
    """Events not restored yet, started or upcoming (areas prefetched)."""
    return _events().filter(restored_at__isnull=True)


def outage_list(*, active: bool | None = None, service_area: str = "", unit=None, at: datetime | None = None
                ) -> QuerySet:
    """Events newest first; `active` = started and not restored (False: restored or not started);
    `service_area` = an area code; `unit` = the responsible unit's subtree."""
    at = at or timezone.now()
    qs = _events()
    is_active = active_q(at)
    if active is True:
        qs = qs.filter(is_active)
    elif active is False:
        qs = qs.exclude(is_active)
    if service_area:
        qs = qs.filter(service_areas__code=service_area)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("-start_at", "-id")


def frequent_outage_areas(*, user=None, at: datetime | None = None) -> list[dict]:
    """Service areas with at least `frequent_outage_count` outage events starting in the last
    `frequent_outage_days` days (频繁停电), most first; counted in SQL. With `user`, only the areas
    of their unit subtree."""
    at = at or timezone.now()
    since = at - timedelta(days=setting("frequent_outage_days"))
    threshold = setting("frequent_outage_count")
    through = OutageEvent.service_areas.through
    rows = (through.objects.filter(outageevent__start_at__gt=since, outageevent__start_at__lte=at)
            .values("servicearea_id").annotate(count=Count("outageevent_id", distinct=True))
            .filter(count__gte=threshold))
    ids = visible_unit_ids(user) if user is not None else None
    if ids is not None:
        rows = rows.filter(servicearea__unit_id__in=ids)
    counts = {r["servicearea_id"]: r["count"] for r in rows}
    areas = ServiceArea.objects.filter(pk__in=counts).select_related("unit")
    return sorted(({"area": a, "count": counts[a.pk]} for a in areas), key=lambda r: (-r["count"], r["area"].code))


def frequent_outage_warning(ticket, *, at: datetime | None = None) -> dict | None:
    """The risk mark an open ticket of a frequent-outage area carries (频繁停电，投诉风险): the area,
    its outage count in the window, the window — computed when shown, so it is never stale."""
    if not ticket.is_open or ticket.service_area_id is None:
        return None
    at = at or timezone.now()
    days = setting("frequent_outage_days")
    count = OutageEvent.objects.filter(service_areas=ticket.service_area_id, start_at__gt=at - timedelta(days=days),
                                       start_at__lte=at).count()
    if count < setting("frequent_outage_count"):
        return None
    return {"count": count, "days": days, "area": ticket.service_area}
