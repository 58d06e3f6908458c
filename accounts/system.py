"""The system user: the actor recorded for what the system does by itself (automatic dispatch).
It cannot sign in (no usable password) and works for the whole company (the root unit)."""
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Role, Unit, User

SYSTEM_USERNAME = "system"


def system_user() -> User:
    user = User.objects.filter(username=SYSTEM_USERNAME).select_related("unit").first()
    if user is not None:
        return user
    with transaction.atomic():
        root = Unit.objects.filter(parent__isnull=True).order_by("id").first()
        user, created = User.objects.get_or_create(username=SYSTEM_USERNAME,
                                                   defaults={"first_name": "系统", "unit": root})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=Role.LEAD))
    return user
