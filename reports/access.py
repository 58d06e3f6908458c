"""Who may open the reports. Scoping (which units' numbers) is separate: reports.figures.resolve_scope."""
from accounts.models import Role
from core.errors import PermissionDenied

DASHBOARD_ROLES = (Role.VIEWER, Role.SUPERVISOR, Role.UNIT_MANAGER, Role.LEAD, Role.ADMIN)
BULLETIN_ROLES = (Role.VIEWER, Role.SUPERVISOR, Role.UNIT_MANAGER, Role.ADMIN)


def may_see(user, roles) -> bool:
    return bool(user.is_authenticated and user.has_role(*roles))


def require_roles(user, roles) -> None:
    if not may_see(user, roles):
        raise PermissionDenied("您的角色无权查看统计报表")


def require_ticket_view(user) -> None:
    if not (user.is_authenticated and user.has_perm("complaints.view_ticket")):
        raise PermissionDenied("您的角色无权导出工单")
