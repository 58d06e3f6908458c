"""Who may enter and maintain outage events: the responsible unit's staff (handlers, managers) and
the centre (leads, supervision), each within their unit subtree. Reading is open to every
signed-in user: an event names areas and causes, never a customer."""
from accounts.models import Role
from accounts.scoping import unit_visible

MANAGING_ROLES = (Role.HANDLER, Role.UNIT_MANAGER, Role.LEAD, Role.SUPERVISOR)


def may_manage_outages(user) -> bool:
    return bool(user and user.is_authenticated and (user.has_perm("outages.manage_outage")
                                                    or user.has_role(*MANAGING_ROLES)))


def may_manage_event_of(user, unit) -> bool:
    """Whether `user` may enter / change an event whose responsible unit is `unit`."""
    return may_manage_outages(user) and unit_visible(user, unit)
