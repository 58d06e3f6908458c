"""Which units a user may see: their unit and everything below it."""
from accounts.models import Unit, UnitKind
from core.memo import Memo

# Every unit's (path, id): a few thousand rows at most, read on every scoped request — kept per
# process, changed() on each Unit save/delete (accounts.apps).
UNIT_PATHS = Memo("unit-paths", lambda: list(Unit.objects.order_by("path").values_list("path", "id")))


def scope_unit(user) -> Unit | None:
    """The unit whose subtree the user works in (None without a unit): their own, except that staff
    of a customer-service / supervision centre work for its whole parent company."""
    unit = user.unit
    if unit is not None and unit.is_supervision and unit.parent_id:
        return unit.parent
    return unit


def sees_everything(user) -> bool:
    """The one rule for "sees every unit": a superuser, or a user whose scope unit is the root."""
    if user.is_superuser:
        return True
    unit = scope_unit(user)
    return unit is not None and unit.parent_id is None


def scope_path(user) -> str | None:
    """The materialised-path prefix of what the user sees: "" for everything, None for nothing."""
    if sees_everything(user):
        return ""
    unit = scope_unit(user)
    return None if unit is None else unit.path


def visible_unit_ids(user) -> list[int] | None:
    """Ids of the user's unit subtree, or None when the user sees everything. Staff of a
    supervision/customer-service centre see their parent company's subtree. Cached on the user
    object for the request."""
    if hasattr(user, "_visible_unit_ids"):
        return user._visible_unit_ids
    if sees_everything(user):
        ids = None
    elif (unit := scope_unit(user)) is None:
        ids = []
    else:
        ids = [pk for path, pk in UNIT_PATHS.get() if path.startswith(unit.path)]
    user._visible_unit_ids = ids
    return ids


def unit_visible(user, unit) -> bool:
    ids = visible_unit_ids(user)
    return ids is None or (unit is not None and unit.pk in ids)


def discipline_office(unit: Unit | None) -> Unit | None:
    """The discipline office (纪检监察) that handles misconduct reports taken at `unit`: the one of the
    nearest company above it, else any top-level one."""
    offices = list(Unit.objects.filter(kind=UnitKind.DISCIPLINE).select_related("parent"))
    def reach(office):
        return office.parent.path if office.parent_id else office.path
    mine = [o for o in offices if unit is not None and unit.path.startswith(reach(o))]
    if mine:
        return max(mine, key=lambda o: o.depth)
    return min(offices, key=lambda o: o.depth, default=None)
