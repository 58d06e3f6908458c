"""Default permissions of each role (a Django group). Administrators may change them in the
admin; seeding only creates groups that do not exist yet, so their edits survive."""
from django.contrib.auth.models import Group, Permission

from accounts.models import Role

_T = "complaints"
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.AGENT: ["view_ticket", "intake_ticket", "withdraw_ticket", "view_phone", "view_complainant", "report_major",
                 "search_customer"],
    Role.LEAD: ["view_ticket", "intake_ticket", "dispatch_ticket", "view_phone", "view_complainant", "report_major",
                "search_customer"],
    Role.HANDLER: ["view_ticket", "handle_ticket", "view_phone", "report_major"],
    Role.UNIT_MANAGER: ["view_ticket", "handle_ticket", "view_phone", "report_major"],
    Role.SUPERVISOR: ["view_ticket", "intake_ticket", "dispatch_ticket", "review_ticket", "callback_ticket",
                      "supervise_ticket", "decide_extension", "decide_responsibility", "withdraw_ticket",
                      "view_phone", "view_complainant", "report_major", "view_report", "search_customer",
                      "view_access_log"],
    Role.DISCIPLINE: ["view_ticket", "dispatch_ticket", "handle_ticket", "view_phone", "view_complainant",
                      "view_report", "view_access_log", "investigate_report"],
    Role.VIEWER: ["view_ticket"],
    Role.ADMIN: ["view_ticket"],
}


def ensure_roles(*, reset: bool = False) -> None:
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label=_T)}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=role)
        if created or reset:
            group.permissions.set([perms[c] for c in codenames])
