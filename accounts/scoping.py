"""Which units a user may see: their unit and everything below it."""
from accounts.models import Unit


def visible_unit_ids(user) -> list[int] | None:
    """Ids of the user's unit subtree, or None when the user sees everything (root unit or
    superuser). Staff of a supervision/customer-service centre see their parent company's
    subtree. Cached on the user object for the request."""
    if hasattr(user, "_visible_unit_ids"):
        return user._visible_unit_ids
    if user.is_superuser:
        ids = None
    elif user.unit_id is None:
        ids = []
    else:
        unit = user.unit
        if unit.is_supervision and unit.parent_id:
            # The customer-service / supervision centre works for its whole company.
            unit = unit.parent
        ids = None if unit.parent_id is None else list(
            Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))
    user._visible_unit_ids = ids
    return ids


def unit_visible(user, unit) -> bool:
    ids = visible_unit_ids(user)
    return ids is None or (unit is not None and unit.pk in ids)
